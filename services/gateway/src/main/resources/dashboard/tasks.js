// The Tasks panel: the board by status, each card with priority, assignee and progress. The owner
// adds, edits, reassigns and closes tasks; changes from agents (a claim, progress) arrive as task
// entries on the stream and the card is read again, so the board shows the task as stored.
import { $, el, api, mw, showError } from "./core.js";

const COLUMNS = ["todo", "in_progress", "blocked", "review", "done", "cancelled"];
const LABELS = { todo: "To do", in_progress: "In progress", blocked: "Blocked", review: "Review", done: "Done", cancelled: "Cancelled" };
const PRIORITIES = ["low", "normal", "high", "urgent"];

export function createTasks(ctx) {
  let tasks = new Map();
  const columns = new Map();

  const priority = $("task-priority");
  priority.replaceChildren(...PRIORITIES.map((p) => el("option", { value: p, text: p, selected: p === "normal" })));
  $("task-new").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError($("task-error"), null);
    try {
      const assignee = $("task-assignee").value || null;
      const task = await api("POST", mw(ctx.meshwork, "tasks"), { title: $("task-title").value, priority: priority.value, assignee });
      $("task-title").value = "";
      put(task);
    } catch (e) {
      showError($("task-error"), e);
    }
  });

  function board() {
    const root = $("task-board");
    root.replaceChildren();
    columns.clear();
    COLUMNS.forEach((status) => {
      const list = el("ul", { class: "column-tasks", "aria-label": LABELS[status] });
      const count = el("span", { class: "count muted" });
      root.append(el("section", { class: "column", "data-status": status }, el("h3", {}, LABELS[status] + " ", count), list));
      columns.set(status, { list, count });
    });
  }

  async function load(meshwork) {
    tasks = new Map();
    board();
    $("task-new").hidden = !ctx.isOwner;
    let after = null;
    for (let pages = 0; pages < 20; pages++) {
      const page = await api("GET", mw(meshwork, "tasks") + "?limit=500" + (after ? "&after=" + after : ""));
      if (meshwork !== ctx.meshwork) {
        return;
      }
      (page.tasks || []).forEach(put);
      after = page.next_after;
      if (!after) {
        break;
      }
    }
    counts();
  }

  function put(task) {
    const old = tasks.get(task.id);
    if (old && old.task.version > task.version) {
      return;
    }
    const card = old ? old.card : el("li", { class: "task", "data-task": task.id });
    tasks.set(task.id, { task, card });
    fill(card, task);
    const column = columns.get(task.status) || columns.get("todo");
    if (card.parentNode !== column.list) {
      column.list.append(card);
    }
    counts();
    ctx.taskChanged(task);
  }

  function fill(card, task) {
    card.setAttribute("data-status", task.status);
    const meter = el("progress", { max: 100, value: task.progress || 0, "aria-label": "Progress of " + task.title });
    const children = [
      el("h4", { class: "title", text: task.title }),
      el("p", { class: "facts" },
        el("span", { class: "badge priority-" + task.priority, text: task.priority }),
        el("span", { class: "assignee", text: task.assignee ? "→ " + task.assignee : "unassigned" })),
      el("p", { class: "progress" }, meter, " " + (task.progress || 0) + "%")
    ];
    if (ctx.isOwner) {
      children.push(el("div", { class: "task-buttons" },
        el("button", { type: "button", class: "edit", "aria-label": "Edit " + task.title, onclick: () => edit(task.id) }, "Edit"),
        task.status !== "done"
          ? el("button", { type: "button", class: "close-task", "aria-label": "Close " + task.title, onclick: () => change(task.id, { status: "done", progress: 100 }) }, "Close")
          : null));
    }
    card.replaceChildren(...children);
  }

  function counts() {
    for (const [status, column] of columns) {
      column.count.textContent = "(" + column.list.children.length + ")";
    }
  }

  async function change(id, fields) {
    const current = tasks.get(id);
    try {
      put(await api("PATCH", mw(ctx.meshwork, "tasks", id), Object.assign({ version: current.task.version }, fields)));
    } catch (e) {
      ctx.notice(e.message);
      refresh(id);
      throw e;
    }
  }

  function edit(id) {
    const task = tasks.get(id).task;
    const title = el("input", { id: "edit-title", value: task.title, maxlength: 200, required: true });
    const status = el("select", { id: "edit-status" }, COLUMNS.map((s) => el("option", { value: s, text: LABELS[s], selected: s === task.status })));
    const prio = el("select", { id: "edit-priority" }, PRIORITIES.map((p) => el("option", { value: p, text: p, selected: p === task.priority })));
    const assignee = el("select", { id: "edit-assignee" }, assigneeOptions(task.assignee));
    const progress = el("input", { id: "edit-progress", type: "number", min: 0, max: 100, value: task.progress || 0 });
    ctx.dialog("Edit task", [
      el("label", { for: "edit-title", text: "Title" }), title,
      el("label", { for: "edit-status", text: "Status" }), status,
      el("label", { for: "edit-priority", text: "Priority" }), prio,
      el("label", { for: "edit-assignee", text: "Assignee" }), assignee,
      el("label", { for: "edit-progress", text: "Progress (%)" }), progress
    ], () => change(id, {
      title: title.value,
      status: status.value,
      priority: prio.value,
      assignee: assignee.value || null,
      progress: Number(progress.value)
    }));
  }

  function assigneeOptions(selected) {
    return [el("option", { value: "", text: "unassigned" })].concat([...ctx.team.keys()].map((name) =>
      el("option", { value: name, text: name, selected: name === selected })));
  }

  async function refresh(id) {
    try {
      put(await api("GET", mw(ctx.meshwork, "tasks", id)));
    } catch (e) {
      if (e.status === 404) {
        remove(id);
      }
    }
  }

  function remove(id) {
    const old = tasks.get(id);
    if (old) {
      old.card.remove();
      tasks.delete(id);
      counts();
    }
  }

  const refreshing = new Map();
  function onEntry(entry) {
    if (!entry.type.startsWith("task.")) {
      return;
    }
    const id = entry.payload && entry.payload.task_id;
    if (!id) {
      return;
    }
    if (entry.type === "task.deleted") {
      remove(id);
      return;
    }
    // A burst of changes to one task is read once.
    clearTimeout(refreshing.get(id));
    refreshing.set(id, setTimeout(() => {
      refreshing.delete(id);
      refresh(id);
    }, 100));
  }

  function teamChanged() {
    $("task-assignee").replaceChildren(...assigneeOptions(null));
  }

  return { load, onEntry, teamChanged };
}
