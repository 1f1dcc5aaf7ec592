// The Replay panel: one agent's timeline (or the whole team's) from the replay log — tool calls,
// messages, status changes — scrubbed with a slider or played at 1×, 10× or 60×. The graph and
// the messages beside it show the team as it was at the chosen moment, and a link names that
// moment so it can be shared (#view=replay&project=…&agent=…&at=…).
import { $, el, api, mw, clip, clockTime, copyText } from "./core.js";
import { Graph } from "./graph.js";
import { describe } from "./describe.js";

const MAX_ENTRIES = 5000;
const WINDOW = 15;
const CHAT_SHOWN = 20;

export function createReplay(ctx) {
  const graph = new Graph($("replay-graph"));
  let entries = [];
  let index = 0;
  let player = null;
  let wantedAt = null;

  $("replay-load").addEventListener("click", () => load());
  $("replay-scrub").addEventListener("input", () => moveTo(Number($("replay-scrub").value)));
  document.querySelectorAll("#panel-replay [data-speed]").forEach((button) =>
    button.addEventListener("click", () => play(Number(button.getAttribute("data-speed")))));
  $("replay-pause").addEventListener("click", pause);
  $("replay-link").addEventListener("click", async () => {
    const link = momentLink();
    $("replay-copied").textContent = (await copyText(link)) ? "Link copied." : link;
  });

  async function load() {
    pause();
    const agent = $("replay-agent").value;
    $("replay-count").textContent = "loading…";
    const found = [];
    let before = Number.MAX_SAFE_INTEGER;
    try {
      while (found.length < MAX_ENTRIES && before !== null) {
        const page = await api("GET", mw(ctx.meshwork, "log") + "?limit=500&before=" + before + (agent ? "&agent=" + encodeURIComponent(agent) : ""));
        found.push(...(page.entries || []));
        before = page.next_before === undefined ? null : page.next_before;
      }
    } catch (e) {
      $("replay-count").textContent = e.message;
      return;
    }
    entries = found.reverse();
    $("replay-count").textContent = entries.length + " entries" + (before !== null ? " (the latest " + MAX_ENTRIES + ")" : "");
    const scrub = $("replay-scrub");
    scrub.max = String(Math.max(0, entries.length - 1));
    scrub.disabled = entries.length === 0;
    graph.setAgents([...ctx.team.values()].map((a) => ({ name: a.name, role: a.role, status: "offline" })));
    let start = entries.length - 1;
    if (wantedAt) {
      const at = new Date(wantedAt).getTime();
      start = Math.max(0, entries.findIndex((e) => new Date(e.time).getTime() > at) - 1);
      if (entries.length && new Date(entries[entries.length - 1].time).getTime() <= at) {
        start = entries.length - 1;
      }
      wantedAt = null;
    }
    moveTo(Math.max(0, start));
  }

  /** The team and the messages as they were at entry i. */
  function moveTo(i) {
    index = Math.max(0, Math.min(i, entries.length - 1));
    $("replay-scrub").value = String(index);
    const statuses = new Map([...ctx.team.keys()].map((name) => [name, "offline"]));
    const said = [];
    for (let k = 0; k <= index && k < entries.length; k++) {
      const entry = entries[k];
      if (entry.type === "agent.status" && entry.agent && entry.payload) {
        statuses.set(entry.agent, entry.payload.to);
      } else if (entry.type === "message.sent") {
        said.push(entry);
        graph.connect(entry.agent, entry.recipients || []);
      }
    }
    statuses.forEach((status, name) => graph.setStatus(name, status));
    const current = entries[index];
    $("replay-time").textContent = current ? new Date(current.time).toLocaleString() : "no entries";
    if (current && current.type === "message.sent") {
      graph.flash(current.agent, current.recipients || []);
    }
    $("replay-chat").replaceChildren(...said.slice(-CHAT_SHOWN).map((entry) =>
      el("li", { class: "message" }, el("time", { text: clockTime(entry.time) + " " }),
        el("strong", { text: (entry.payload && entry.payload.from_person) || entry.agent || "" }),
        " → " + (entry.recipients || []).join(", ") + ": " + clip(entry.payload && entry.payload.text, 200))));
    const from = Math.max(0, index - WINDOW);
    $("replay-entries").replaceChildren(...entries.slice(from, index + WINDOW + 1).map((entry, k) =>
      el("li", { class: from + k === index ? "current" : "", "aria-current": from + k === index ? "step" : null, "data-type": entry.type },
        el("time", { text: clockTime(entry.time) }), " ", el("span", { class: "type", text: entry.type }), " ", describe(entry))));
  }

  function play(speed) {
    pause();
    if (!entries.length) {
      return;
    }
    if (index >= entries.length - 1) {
      moveTo(0);
    }
    let clock = new Date(entries[index].time).getTime();
    let last = performance.now();
    player = setInterval(() => {
      const now = performance.now();
      clock += (now - last) * speed;
      last = now;
      let next = index;
      while (next + 1 < entries.length && new Date(entries[next + 1].time).getTime() <= clock) {
        next++;
      }
      if (next !== index) {
        moveTo(next);
      }
      if (index >= entries.length - 1) {
        pause();
      }
    }, 100);
    $("replay-count").setAttribute("data-playing", String(speed));
  }

  function pause() {
    clearInterval(player);
    player = null;
    $("replay-count").removeAttribute("data-playing");
  }

  function momentLink() {
    const current = entries[index];
    const params = new URLSearchParams({ view: "replay", project: ctx.meshwork });
    if ($("replay-agent").value) {
      params.set("agent", $("replay-agent").value);
    }
    if (current) {
      params.set("at", current.time);
    }
    return location.origin + location.pathname + "#" + params.toString();
  }

  /** Opens at a moment a shared link named. */
  function openAt(agent, at) {
    wantedAt = at;
    $("replay-agent").value = agent || "";
    return load();
  }

  function teamChanged() {
    const chosen = $("replay-agent").value;
    $("replay-agent").replaceChildren(el("option", { value: "", text: "Whole team" }),
      ...[...ctx.team.keys()].map((name) => el("option", { value: name, text: name, selected: name === chosen })));
  }

  function reset() {
    pause();
    entries = [];
    $("replay-entries").replaceChildren();
    $("replay-chat").replaceChildren();
    $("replay-count").textContent = "";
    $("replay-scrub").disabled = true;
  }

  return { teamChanged, openAt, reset, load, loaded: () => entries.length > 0 };
}
