// The Agents panel: a card per agent with its status (colour, symbol and word), last seen, current
// task, editor and memory count, kept live from the stream. This module also keeps the team every
// other panel reads (ctx.team), and tells them when it changes.
import { $, el, api, mw, ago, statusBadge, statusOf, copyText } from "./core.js";

// The current task, as on `meshcode board`: the task in progress assigned to the agent.
const ACTIVE_TASK = new Set(["in_progress"]);

export function createAgents(ctx) {
  const cards = new Map();
  let members = new Map();

  async function load(meshwork) {
    const [detail, presence, tasks, memory, guests] = await Promise.all([
      api("GET", mw(meshwork)),
      api("GET", mw(meshwork, "presence")),
      api("GET", mw(meshwork, "tasks") + "?status=in_progress&limit=500").catch(() => ({ tasks: [] })),
      ctx.readOnly ? Promise.resolve(null) : api("GET", mw(meshwork, "memory")).catch(() => null),
      ctx.isOwner ? api("GET", mw(meshwork, "members")).catch(() => null) : Promise.resolve(null)
    ]);
    if (meshwork !== ctx.meshwork) {
      return;
    }
    const clients = new Map((presence.agents || []).map((p) => [p.agent, p]));
    const counts = new Map(((memory && memory.agents) || []).map((m) => [m.agent, m.count]));
    members = new Map();
    ((guests && guests.members) || []).forEach((member) => {
      if (member.agent && member.kind !== "owner" && !member.revoked_at) {
        members.set(member.agent, member.display_name || member.name || "your teammate");
      }
    });
    ctx.team.clear();
    (detail.agents || []).forEach((agent) => {
      const seen = clients.get(agent.name) || {};
      ctx.team.set(agent.name, {
        name: agent.name,
        role: agent.role || "",
        status: seen.status || agent.status || "offline",
        lastSeen: seen.last_seen || agent.last_seen || null,
        client: seen.client || null,
        sessionOpenedAt: seen.session_opened_at || null,
        task: null,
        // An agent with no memories is not listed; null: not readable with this credential.
        memory: memory ? counts.get(agent.name) || 0 : null
      });
    });
    ((tasks && tasks.tasks) || []).forEach((task) => setTask(task));
    render();
    ctx.teamChanged();
  }

  function setTask(task) {
    for (const agent of ctx.team.values()) {
      if (agent.task && agent.task.id === task.id && (agent.name !== task.assignee || !ACTIVE_TASK.has(task.status))) {
        agent.task = null;
        update(agent.name);
      }
    }
    const agent = task.assignee && ctx.team.get(task.assignee);
    if (agent && ACTIVE_TASK.has(task.status)) {
      agent.task = { id: task.id, title: task.title, progress: task.progress };
      update(agent.name);
    }
  }

  function render() {
    const list = $("agent-cards");
    list.replaceChildren();
    cards.clear();
    for (const agent of ctx.team.values()) {
      const card = el("li", { class: "card", "data-agent": agent.name });
      cards.set(agent.name, card);
      list.append(card);
      fill(card, agent);
    }
    $("agents-empty").hidden = ctx.team.size > 0;
  }

  function fill(card, agent) {
    const status = statusOf(agent.status);
    card.setAttribute("data-status", status);
    card.className = "card status-border-" + status;
    const facts = el("dl", { class: "facts" },
      el("dt", { text: "Last seen" }), el("dd", { class: "last-seen", "data-time": agent.lastSeen, text: ago(agent.lastSeen) }),
      el("dt", { text: "Task" }), el("dd", { class: "current-task", text: agent.task ? agent.task.title + progress(agent.task) : "none" }),
      el("dt", { text: "Editor" }), el("dd", { class: "editor", text: agent.client || "unknown" }),
      el("dt", { text: "Memories" }), el("dd", { class: "memory", text: agent.memory === null ? "private" : String(agent.memory) }));
    const children = [
      el("h3", { class: "name", text: agent.name }),
      el("p", { class: "role muted", text: agent.role || "no role" }),
      statusBadge(status),
      facts
    ];
    if (status === "offline" && !ctx.readOnly) {
      children.push(el("button", { type: "button", class: "reconnect", "aria-label": "Reconnect " + agent.name, onclick: () => reconnect(agent.name) }, "Reconnect"));
    }
    card.replaceChildren(...children);
  }

  function progress(task) {
    return typeof task.progress === "number" ? " (" + task.progress + "%)" : "";
  }

  function update(name) {
    const card = cards.get(name);
    const agent = ctx.team.get(name);
    if (card && agent) {
      fill(card, agent);
    }
  }

  /** The exact command to bring the agent back, with a copy button. */
  function reconnect(name) {
    const project = ctx.meshwork;
    const command = "meshcode run " + name + " -p " + project;
    const friend = members.get(name);
    const input = el("input", { id: "reconnect-command", readonly: true, value: command, "aria-label": "Command" });
    const copied = el("span", { class: "muted", role: "status" });
    const body = [
      el("p", { text: friend
        ? name + " is " + friend + "'s slot. Ask " + friend + " to run this in a terminal on their machine:"
        : "Paste this into a terminal on the machine where " + name + " runs:" }),
      input,
      el("button", { type: "button", id: "reconnect-copy", onclick: async () => {
        copied.textContent = (await copyText(command, input)) ? "Copied." : "Press Ctrl-C to copy.";
      } }, "Copy"),
      copied
    ];
    ctx.dialog("Reconnect " + name, body);
  }

  function onEntry(entry) {
    const payload = entry.payload || {};
    const agent = entry.agent && ctx.team.get(entry.agent);
    switch (entry.type) {
      case "agent.status":
        if (agent && payload.to) {
          agent.status = payload.to;
          if (payload.to !== "offline") {
            agent.lastSeen = entry.time;
          }
          update(agent.name);
          ctx.statusChanged(agent.name, payload.to);
        }
        return;
      case "session.opened":
        if (agent) {
          agent.client = payload.client || agent.client;
          agent.lastSeen = entry.time;
          update(agent.name);
        }
        return;
      case "agent.added":
      case "agent.removed":
      case "agent.updated":
      case "meshwork.linked":
      case "meshwork.unlinked":
      case "member.joined":
      case "member.revoked":
        ctx.reloadSoon();
        return;
      case "memory.remembered":
      case "memory.forgotten":
        if (agent && agent.memory !== null && payload.created !== false) {
          recountSoon();
        }
        return;
      default:
        if (agent && entry.type !== "session.closed") {
          agent.lastSeen = entry.time;
          const card = cards.get(agent.name);
          if (card) {
            const cell = card.querySelector(".last-seen");
            cell.textContent = ago(entry.time);
            cell.setAttribute("data-time", entry.time);
          }
        }
    }
  }

  let recountTimer = null;
  function recountSoon() {
    clearTimeout(recountTimer);
    recountTimer = setTimeout(async () => {
      try {
        const memory = await api("GET", mw(ctx.meshwork, "memory"));
        (memory.agents || []).forEach((m) => {
          const agent = ctx.team.get(m.agent);
          if (agent && agent.memory !== m.count) {
            agent.memory = m.count;
            update(agent.name);
          }
        });
        for (const agent of ctx.team.values()) {
          if (agent.memory && !(memory.agents || []).some((m) => m.agent === agent.name)) {
            agent.memory = 0;
            update(agent.name);
          }
        }
      } catch (e) {
        ctx.notice(e.message);
      }
    }, 300);
  }

  // "12 s ago" grows old: refresh the times every 15 s.
  setInterval(() => {
    document.querySelectorAll("#agent-cards .last-seen[data-time]").forEach((cell) => {
      cell.textContent = ago(cell.getAttribute("data-time"));
    });
  }, 15000);

  return { load, onEntry, setTask };
}
