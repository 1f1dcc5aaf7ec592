// The Chat panel: the meshwork's messages, newest last. The history comes from the replay log
// (message.sent entries, paged back as you scroll up), then live from the stream; replies are
// grouped under their thread's first message, broadcasts are marked, and each recipient's
// delivery state (queued, delivered, read) follows message.delivered and message.read entries.
// The owner writes as the person, not as an agent.
import { $, el, api, mw, clip, clockTime, showError, perFrame } from "./core.js";

const PAGE = 50;
const MAX_MESSAGES = 400;
const STATE_ORDER = { queued: 0, delivered: 1, read: 2 };
const NEWEST = Number.MAX_SAFE_INTEGER;

export function createChat(ctx) {
  let messages = new Map();
  let threads = new Map();
  let pending = new Map();
  let nextBefore = null;
  let loadingOlder = false;
  let generation = 0;
  const list = $("chat-messages");
  const scroller = $("chat-log");

  $("chat-older").addEventListener("click", () => older());
  // Whether the reader is at the newest message: kept from scroll events, so a hidden panel
  // (which has no layout) remembers it, and a batch of entries costs no layout to ask.
  let atBottom = true;
  scroller.addEventListener("scroll", () => {
    atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    if (scroller.scrollTop < 40 && nextBefore !== null && !loadingOlder) {
      older();
    }
  });
  $("chat-send").addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });

  async function load(meshwork) {
    generation++;
    messages = new Map();
    threads = new Map();
    pending = new Map();
    list.replaceChildren();
    $("chat-send").hidden = !ctx.isOwner;
    const page = await api("GET", mw(meshwork, "log") + "?type=message.sent&limit=" + PAGE + "&before=" + NEWEST);
    if (meshwork !== ctx.meshwork) {
      return;
    }
    const entries = (page.entries || []).slice().reverse();
    entries.forEach((entry) => add(entry, false));
    nextBefore = page.next_before === undefined ? null : page.next_before;
    pagingControls();
    if (entries.length) {
      await states(meshwork, entries[0].seq);
    }
    $("chat-empty").hidden = messages.size > 0;
    atBottom = true;
    scroller.scrollTop = scroller.scrollHeight;
  }

  /** The panel came into view: at the newest message, unless the reader had scrolled back. */
  function shown() {
    if (atBottom) {
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  /** The delivery changes since the oldest message shown, applied in order. */
  async function states(meshwork, fromSeq) {
    let after = fromSeq;
    for (let pages = 0; pages < 10 && after !== null; pages++) {
      const page = await api("GET", mw(meshwork, "log") + "?type=message.delivered,message.read&limit=500&after=" + after);
      (page.entries || []).forEach(delivery);
      after = page.next_after === undefined ? null : page.next_after;
    }
  }

  async function older() {
    if (nextBefore === null || loadingOlder) {
      return;
    }
    loadingOlder = true;
    const mine = generation;
    try {
      const page = await api("GET", mw(ctx.meshwork, "log") + "?type=message.sent&limit=" + PAGE + "&before=" + nextBefore);
      if (mine !== generation) {
        return;
      }
      const height = scroller.scrollHeight;
      (page.entries || []).forEach((entry) => add(entry, true));
      nextBefore = page.next_before === undefined ? null : page.next_before;
      pagingControls();
      scroller.scrollTop += scroller.scrollHeight - height;
      // Older messages' states: each message's own record.
      await Promise.all((page.entries || []).map((entry) => api("GET", mw(ctx.meshwork, "messages", entry.payload.id)).then((found) => {
        (found.recipients || []).forEach((r) => setState(entry.payload.id, r.agent, r.state));
      }, () => null)));
    } catch (e) {
      ctx.notice(e.message);
    } finally {
      loadingOlder = false;
    }
  }

  function pagingControls() {
    $("chat-older").hidden = nextBefore === null;
    $("chat-start").hidden = nextBefore !== null || messages.size === 0;
  }

  function sender(entry) {
    const p = entry.payload || {};
    if (p.from_person) {
      return { name: p.from_person, person: true };
    }
    return { name: p.from || entry.agent || "?", person: entry.agent === "@owner" };
  }

  /** Adds a message.sent entry; `before` puts it above the others (paging back). */
  function add(entry, before) {
    const p = entry.payload || {};
    if (!p.id || messages.has(p.id)) {
      return;
    }
    const from = sender(entry);
    const recipients = entry.recipients || [];
    const broadcast = p.to === "*" || (Array.isArray(p.to) && p.to.includes("*"));
    const states = new Map(recipients.map((agent) => [agent, "queued"]));
    const stateList = el("ul", { class: "deliveries", "aria-label": "Delivery" });
    const item = el("li", {
      class: "message" + (broadcast ? " broadcast" : "") + (from.person ? " from-person" : "") + (p.kind && p.kind !== "message" ? " kind-" + p.kind : ""),
      "data-id": p.id,
      "data-seq": entry.seq
    },
      el("div", { class: "meta" },
        el("span", { class: "from" + (from.person ? " person" : ""), text: from.person ? from.name + " (person)" : from.name }),
        el("span", { class: "arrow", "aria-hidden": "true", text: " → " }),
        el("span", { class: "to", text: broadcast ? "everyone" : recipients.join(", ") }),
        broadcast ? el("span", { class: "badge broadcast-badge", text: "broadcast" }) : null,
        p.kind && p.kind !== "message" ? el("span", { class: "badge", text: p.kind }) : null,
        el("time", { datetime: entry.time, text: clockTime(entry.time) })),
      el("p", { class: "text", text: clip(p.text, 4000) }),
      stateList);
    const record = { entry, states, stateList, item, seq: entry.seq };
    messages.set(p.id, record);
    drawStates(record);
    const key = p.thread_id || (p.reply_to && messages.has(p.reply_to) ? threadOf(p.reply_to) : null);
    const thread = key ? threads.get(key) : null;
    if (thread && thread.root !== p.id) {
      addReply(thread, item, before);
    } else {
      const group = { root: p.id, node: el("li", { class: "thread" }, el("ol", { class: "thread-root" }, item)), replies: null, count: 0 };
      threads.set(key || p.id, group);
      record.thread = key || p.id;
      if (before) {
        list.prepend(group.node);
      } else {
        list.append(group.node);
      }
    }
    if (!record.thread) {
      record.thread = key;
    }
    const waiting = pending.get(p.id);
    if (waiting) {
      pending.delete(p.id);
      waiting.forEach(([agent, state]) => setState(p.id, agent, state));
    }
  }

  function threadOf(id) {
    const record = messages.get(id);
    return record ? record.thread : id;
  }

  function addReply(thread, item, before) {
    if (!thread.replies) {
      thread.list = el("ol", { class: "replies" });
      thread.summary = el("summary");
      thread.replies = el("details", { class: "thread-replies" }, thread.summary, thread.list);
      thread.node.append(thread.replies);
    }
    thread.count++;
    thread.summary.textContent = thread.count + (thread.count === 1 ? " reply" : " replies");
    if (before) {
      thread.list.prepend(item);
    } else {
      thread.list.append(item);
    }
  }

  function drawStates(record) {
    record.stateList.replaceChildren(...[...record.states].map(([agent, state]) =>
      el("li", { class: "delivery state-" + state, "data-agent": agent, "data-state": state }, agent + ": " + state)));
  }

  function setState(id, agent, state) {
    const record = messages.get(id);
    if (!record) {
      return;
    }
    const current = record.states.get(agent);
    if (current !== undefined && STATE_ORDER[state] <= STATE_ORDER[current]) {
      return;
    }
    record.states.set(agent, state);
    dirty.add(record);
    redraw();
  }

  const dirty = new Set();
  const redraw = perFrame(() => {
    dirty.forEach(drawStates);
    dirty.clear();
  });

  function delivery(entry) {
    const state = entry.type === "message.read" ? "read" : "delivered";
    const ids = (entry.payload && entry.payload.message_ids) || [];
    ids.forEach((id) => {
      if (messages.has(id)) {
        setState(id, entry.agent, state);
      } else if (pending.size < 2000) {
        // A state that overtook its message's page: kept until the message shows.
        pending.set(id, (pending.get(id) || []).concat([[entry.agent, state]]));
      }
    });
  }

  /** Keeps at most MAX_MESSAGES in the page: the oldest go, and paging back brings them again. */
  function trim() {
    while (messages.size > MAX_MESSAGES && list.firstChild) {
      const group = list.firstChild;
      group.querySelectorAll("li.message").forEach((item) => messages.delete(item.getAttribute("data-id")));
      for (const [key, thread] of threads) {
        if (thread.node === group) {
          threads.delete(key);
        }
      }
      group.remove();
      const oldest = list.querySelector("li.message");
      nextBefore = oldest ? Number(oldest.getAttribute("data-seq")) : null;
    }
    pagingControls();
  }

  /** Whether the reader is at the newest message (then new ones keep it in view). */
  function following() {
    return atBottom;
  }

  /** After a batch of entries: the history bounded, and the newest in view if the reader was there. */
  function settle(wasFollowing) {
    if (!grew) {
      return;
    }
    grew = false;
    trim();
    $("chat-empty").hidden = true;
    if (wasFollowing) {
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  let grew = false;
  function onEntry(entry) {
    if (entry.type === "message.sent") {
      add(entry, false);
      grew = true;
    } else if (entry.type === "message.delivered" || entry.type === "message.read") {
      delivery(entry);
    }
  }

  async function send() {
    const raw = $("chat-to").value.trim();
    const names = raw.split(",").map((name) => name.trim()).filter(Boolean);
    const to = names.length === 1 ? names[0] : names;
    showError($("chat-error"), null);
    try {
      await api("POST", mw(ctx.meshwork, "messages"), { to, text: $("chat-text").value });
      $("chat-text").value = "";
    } catch (e) {
      showError($("chat-error"), e);
    }
  }

  function teamChanged() {
    $("chat-to-options").replaceChildren(el("option", { value: "*", text: "everyone" }),
      ...[...ctx.team.keys()].map((name) => el("option", { value: name })));
  }

  return { load, onEntry, teamChanged, following, settle, shown };
}
