// The Memory panel: one agent's memories and the meshwork's scratchpad. The owner (and a guest,
// for its own agent) views, edits and deletes entries; the limits are shown, and an edit over
// them gets the server's message here. A spectator link does not reach an agent's memory.
import { $, el, api, mw, showError, clip } from "./core.js";

export function createMemory(ctx) {
  let agent = null;
  let reloadTimer = null;

  $("memory-agent").addEventListener("change", () => {
    agent = $("memory-agent").value;
    loadAgent();
  });
  // The two "new entry" forms: #memory-new and #scratchpad-new, each with its key and value.
  ["memory", "scratchpad"].forEach((kind) => $(kind + "-new").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await save(kind, $(kind + "-key").value, $(kind + "-value").value)) {
      $(kind + "-key").value = "";
      $(kind + "-value").value = "";
    }
  }));

  function writable(kind) {
    if (ctx.readOnly) {
      return false;
    }
    if (kind === "scratchpad") {
      return ctx.isOwner;
    }
    return ctx.isOwner || (ctx.me.kind === "guest" && ctx.me.scope.agent === agent);
  }

  function path(kind, key) {
    return kind === "memory"
      ? mw(ctx.meshwork, "agents", agent, "memory", ...(key === undefined ? [] : [key]))
      : mw(ctx.meshwork, "scratchpad", ...(key === undefined ? [] : [key]));
  }

  async function load() {
    showError($("memory-error"), null);
    await Promise.all([loadAgent(), loadScratchpad()]);
  }

  async function loadAgent() {
    $("memory-new").hidden = !agent || !writable("memory");
    if (!agent) {
      $("memory-entries").replaceChildren(el("li", { class: "muted", text: "No agents yet." }));
      $("memory-limits").textContent = "";
      return;
    }
    const asked = { meshwork: ctx.meshwork, agent };
    try {
      const answer = await api("GET", path("memory"));
      if (asked.meshwork !== ctx.meshwork || asked.agent !== agent) {
        return;
      }
      $("memory-limits").textContent = answer.count + " of " + answer.max_keys + " keys · each value at most 10 KB (10,240 bytes)";
      render("memory", $("memory-entries"), answer.memories || []);
    } catch (e) {
      $("memory-limits").textContent = "";
      $("memory-entries").replaceChildren(el("li", { class: "muted", text: e.status === 403 ? "An agent's memory is private to its team: " + e.message : e.message }));
    }
  }

  async function loadScratchpad() {
    $("scratchpad-new").hidden = !writable("scratchpad");
    try {
      const answer = await api("GET", path("scratchpad"));
      $("scratchpad-limits").textContent = answer.count + " of " + answer.max_keys + " keys";
      render("scratchpad", $("scratchpad-entries"), answer.entries || []);
    } catch (e) {
      $("scratchpad-entries").replaceChildren(el("li", { class: "muted", text: e.message }));
    }
  }

  function render(kind, list, entries) {
    if (!entries.length) {
      list.replaceChildren(el("li", { class: "muted", text: "Nothing kept yet." }));
      return;
    }
    list.replaceChildren(...entries.map((entry) => {
      const buttons = writable(kind)
        ? el("div", { class: "entry-buttons" },
          el("button", { type: "button", class: "edit", "aria-label": "Edit " + entry.key, onclick: () => edit(kind, entry) }, "Edit"),
          el("button", { type: "button", class: "delete", "aria-label": "Delete " + entry.key, onclick: () => remove(kind, entry.key) }, "Delete"))
        : null;
      return el("li", { class: "entry", "data-key": entry.key },
        el("h4", { class: "key", text: entry.key }),
        el("pre", { class: "value", text: clip(entry.value, 2000) }),
        el("p", { class: "muted", text: entry.size + " bytes · by " + (entry.updated_by || "?") + " · " + new Date(entry.updated_at).toLocaleString() }),
        buttons);
    }));
  }

  async function save(kind, key, value) {
    showError($("memory-error"), null);
    try {
      await api("PUT", path(kind, key), { value });
      await (kind === "memory" ? loadAgent() : loadScratchpad());
      return true;
    } catch (e) {
      showError($("memory-error"), e);
      return false;
    }
  }

  function edit(kind, entry) {
    const value = el("textarea", { id: "edit-value", rows: 8, "aria-label": "Value of " + entry.key });
    value.value = entry.value;
    ctx.dialog("Edit " + entry.key, [el("label", { for: "edit-value", text: "Value" }), value], async () => {
      await api("PUT", path(kind, entry.key), { value: value.value });
      await (kind === "memory" ? loadAgent() : loadScratchpad());
    });
  }

  async function remove(kind, key) {
    showError($("memory-error"), null);
    try {
      await api("DELETE", path(kind, key));
      await (kind === "memory" ? loadAgent() : loadScratchpad());
    } catch (e) {
      showError($("memory-error"), e);
    }
  }

  function onEntry(entry) {
    const mine = (entry.type === "memory.remembered" || entry.type === "memory.forgotten") && entry.agent === agent;
    const pad = entry.type === "scratchpad.set" || entry.type === "scratchpad.deleted";
    if (mine || pad) {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => (pad ? loadScratchpad() : loadAgent()), 200);
    }
  }

  function teamChanged() {
    const names = [...ctx.team.keys()];
    if (ctx.me.kind === "guest") {
      names.splice(0, names.length, ...names.filter((n) => n === ctx.me.scope.agent));
    }
    if (!names.includes(agent)) {
      agent = names[0] || null;
    }
    $("memory-agent").replaceChildren(...names.map((name) => el("option", { value: name, text: name, selected: name === agent })));
    loadAgent();
  }

  return { load, onEntry, teamChanged };
}
