// The onboarding checklist (owners): key created, CLI logged in, first agent online, first
// message sent. Each step ticks as it happens: the agent and message steps from the stream and
// the meshworks the page reads, the CLI step from GET /v1/me (which records the CLI's first call),
// read every few seconds while that step is open. Shown until every step is done; reopenable.
import { $, el, api, mw } from "./core.js";

const STEPS = [
  ["key", "Key created", "You signed in with an owner key."],
  ["cli", "CLI logged in", "Run: meshcode login <your key>"],
  ["agent", "First agent online", "Run: meshcode go <agent> --project <name>"],
  ["message", "First message sent", "Have an agent send one (meshcode_send), or send one from the Chat panel."]
];
const POLL_MS = 4000;

export function createOnboarding(ctx) {
  const done = { key: false, cli: false, agent: false, message: false };
  let hidden = false;
  let timer = null;

  $("close-onboarding").addEventListener("click", () => {
    hidden = true;
    render();
    $("open-onboarding").focus();
  });
  $("open-onboarding").addEventListener("click", () => {
    hidden = false;
    render();
    $("onboarding").focus();
  });

  async function start(meshworks) {
    if (!ctx.isOwner) {
      return;
    }
    $("open-onboarding").hidden = false;
    $("onboarding").setAttribute("tabindex", "-1");
    done.key = true;
    done.cli = Boolean(ctx.me.onboarding && ctx.me.onboarding.cli_logged_in);
    done.agent = meshworks.some((m) => (m.agents || []).some((a) => a.last_seen || (a.status && a.status !== "offline")));
    if (!done.message) {
      const found = await Promise.all(meshworks.map((m) =>
        api("GET", mw(m.name, "log") + "?type=message.sent&limit=1").then((page) => (page.entries || []).length > 0, () => false)));
      done.message = found.some(Boolean);
    }
    hidden = allDone();
    render();
    poll();
  }

  function allDone() {
    return Object.values(done).every(Boolean);
  }

  function poll() {
    clearTimeout(timer);
    if (done.cli) {
      return;
    }
    timer = setTimeout(async () => {
      try {
        const me = await api("GET", "v1/me");
        if (me.onboarding && me.onboarding.cli_logged_in) {
          tick("cli");
        }
      } catch (e) {
        // The page's own calls report a session that ended; here, try again later.
      }
      poll();
    }, POLL_MS);
  }

  function tick(step) {
    if (!done[step]) {
      done[step] = true;
      render();
    }
  }

  function render() {
    if (!ctx.isOwner) {
      $("onboarding").hidden = true;
      return;
    }
    $("onboarding-steps").replaceChildren(...STEPS.map(([key, title, hint]) =>
      el("li", { class: "step " + (done[key] ? "done" : "todo"), "data-step": key, "data-done": String(done[key]) },
        el("span", { class: "tick", "aria-hidden": "true", text: done[key] ? "✔ " : "○ " }),
        el("strong", { text: title }),
        el("span", { class: "sr-only", text: done[key] ? " (done)" : " (to do)" }),
        done[key] ? null : el("span", { class: "muted hint", text: " " + hint }))));
    $("onboarding-title").textContent = allDone() ? "All set: your team is online" : "Get started";
    $("onboarding").hidden = hidden;
  }

  function onEntry(entry) {
    if (entry.type === "session.opened" || (entry.type === "agent.status" && entry.payload && entry.payload.to !== "offline")) {
      tick("agent");
    }
    if (entry.type === "message.sent") {
      tick("message");
    }
  }

  return { start, onEntry, done };
}
