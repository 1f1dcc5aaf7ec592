// The MeshCode dashboard: signs in with the one-time ticket `meshcode dashboard` put in the URL's
// fragment (or, on a spectator link's page /watch/<token>, with that read-only token), then shows
// one meshwork in panels kept live over the WebSocket stream (docs/STREAM.md). No framework and
// no build step; everything the API answers reaches the page as text, never as markup.
import { $, el, api, call, mw, setCredential, ApiError, showError } from "./core.js";
import { Stream } from "./stream.js";
import { Graph } from "./graph.js";
import { createAgents } from "./agents.js";
import { createChat } from "./chat.js";
import { createTasks } from "./tasks.js";
import { createMemory } from "./memory.js";
import { createReplay } from "./replay.js";
import { createSpectator } from "./spectator.js";
import { createOnboarding } from "./onboarding.js";

// sessionStorage, never localStorage or a cookie: the session lives as long as this tab, and with
// no cookie there is nothing a cross-site request could ride on. A spectator token stays in memory.
const SESSION = "meshcode.session";
const EXPIRES = "meshcode.session_expires_at";
const PROJECT = "meshcode.project";
const TAB = "meshcode.tab";
const SIGN_IN_AGAIN = "run meshcode dashboard to sign in again";
const WATCH = /\/watch\/([^/]+)$/.exec(location.pathname);
const NEWEST = Number.MAX_SAFE_INTEGER;
const MESHWORKS_POLL_MS = 15000;

const PANELS = [
  ["agents", "Agents"],
  ["chat", "Chat"],
  ["graph", "Mesh graph"],
  ["replay", "Replay"],
  ["tasks", "Tasks"],
  ["memory", "Memory"],
  ["spectator", "Spectator", (ctx) => ctx.isOwner]
];

const ctx = {
  me: null,
  meshwork: null,
  meshworks: [],
  team: new Map(),
  readOnly: false,
  isOwner: false,
  teamChanged: () => team(),
  statusChanged: (name, status) => graph.setStatus(name, status),
  taskChanged: (task) => agents.setTask(task),
  reloadSoon: () => reloadSoon(),
  notice: (text) => notice(text),
  dialog: (title, body, onOk) => dialog(title, body, onOk)
};

const graph = new Graph($("graph"));
const agents = createAgents(ctx);
const chat = createChat(ctx);
const tasks = createTasks(ctx);
const memory = createMemory(ctx);
const replay = createReplay(ctx);
const spectator = createSpectator(ctx);
const onboarding = createOnboarding(ctx);
const stream = new Stream({
  onEntry: (entry) => onEntry(entry),
  onSubscribed: (meshwork) => onSubscribed(meshwork),
  onState: (state, text) => live(state, text),
  onEnded: (reason) => ended(reason),
  onError: (message) => notice(message)
});
let reloadTimer = null;
let view = {};

function show(section) {
  ["signing-in", "signed-out", "board"].forEach((id) => {
    $(id).hidden = id !== section;
  });
}

// ---- signing in and out ----

async function start() {
  $("sign-out").addEventListener("click", signOut);
  $("meshwork").addEventListener("change", () => select($("meshwork").value));
  $("graph-layout").addEventListener("change", () => graph.setMode($("graph-layout").value));
  $("graph-lead").addEventListener("change", () => {
    const lead = $("graph-lead").value;
    localStorage.setItem("meshcode.lead." + ctx.meshwork, lead);
    graph.setLead(lead);
  });
  $("dialog-close").addEventListener("click", () => $("dialog").close());
  // A link to a moment pasted into a signed-in tab changes only the fragment: open it there.
  window.addEventListener("hashchange", openMoment);
  const fragment = new URLSearchParams(location.hash.slice(1));
  view = { tab: fragment.get("view"), agent: fragment.get("agent"), at: fragment.get("at") };
  if (location.hash) {
    // The ticket leaves the address bar (and the history) before anything else happens.
    history.replaceState(null, "", location.pathname + location.search);
  }
  if (fragment.get("project")) {
    sessionStorage.setItem(PROJECT, fragment.get("project"));
  }
  try {
    if (WATCH) {
      setCredential(decodeURIComponent(WATCH[1]));
      show("signing-in");
      ctx.me = await api("GET", "v1/me");
    } else if (fragment.get("ticket")) {
      show("signing-in");
      const signedIn = await call("POST", "v1/tickets/redeem", { ticket: fragment.get("ticket") }, false);
      sessionStorage.setItem(SESSION, signedIn.session);
      sessionStorage.setItem(EXPIRES, signedIn.expires_at);
      setCredential(signedIn.session);
      ctx.me = signedIn.me;
    } else if (sessionStorage.getItem(SESSION)) {
      setCredential(sessionStorage.getItem(SESSION));
      ctx.me = await api("GET", "v1/me");
    } else {
      signedOut("");
      return;
    }
    ctx.readOnly = ctx.me.kind === "spectator";
    ctx.isOwner = ctx.me.kind === "owner";
    renderWho();
    tabs();
    stream.open();
    await loadMeshworks();
    watchMeshworks();
  } catch (e) {
    failed(e);
  }
}

async function signOut() {
  stream.stop("signed out");
  if (!WATCH && sessionStorage.getItem(SESSION)) {
    try {
      await api("DELETE", "v1/sessions/current");
    } catch (e) {
      // Signed out here either way; an ended session is 401 anyway.
    }
  }
  signedOut("You signed out.");
}

/** Drops the credential and shows how to sign in, with the reason. */
function signedOut(reason) {
  sessionStorage.removeItem(SESSION);
  sessionStorage.removeItem(EXPIRES);
  setCredential(null);
  stream.stop("signed out");
  ctx.me = null;
  $("who").hidden = true;
  $("banner").hidden = true;
  $("signed-out-reason").textContent = reason;
  $("sign-in-hint").hidden = Boolean(WATCH);
  show("signed-out");
}

/** A failure: a 401 (or a refused ticket) signs out, anything else is shown and kept. */
function failed(e) {
  if (e instanceof ApiError && (e.status === 401 || (e.status === 404 && !ctx.me))) {
    signedOut(WATCH ? "This spectator link does not hold: it was revoked, it expired, or it is mistyped. " + e.message : e.message);
    return;
  }
  if (!ctx.me) {
    signedOut(e.message || String(e));
    return;
  }
  notice(e.message || String(e));
}

/** The stream refused the credential: a spectator page keeps what it shows and says so. */
function ended(reason) {
  if (WATCH) {
    live("ended", "not updating");
    banner("This spectator link was revoked or has expired (" + reason + "): the page no longer updates.", false);
    return;
  }
  signedOut(reason + "; " + SIGN_IN_AGAIN + ".");
}

function notice(text) {
  $("notice").textContent = text || "";
  $("notice").hidden = !text;
}

function renderWho() {
  const me = ctx.me;
  let name;
  let scope;
  if (me.kind === "owner") {
    name = me.account.name;
    scope = me.account.admin ? "owner · admin" : "owner";
  } else if (me.kind === "guest") {
    name = me.member.display_name;
    scope = "guest: agent " + me.scope.agent + " in " + me.scope.meshwork;
  } else {
    name = "Spectator";
    scope = "read-only: " + me.scope.meshwork;
  }
  $("who-name").textContent = name;
  $("who-scope").textContent = scope;
  $("read-only").hidden = !ctx.readOnly;
  $("sign-out").hidden = Boolean(WATCH);
  const expires = WATCH ? null : sessionStorage.getItem(EXPIRES);
  $("who-expires").textContent = expires ? "until " + new Date(expires).toLocaleString() : "";
  $("who").hidden = false;
  if (expires) {
    // Timers cap at about 24.8 days; a session lasts at most a week.
    setTimeout(() => signedOut("The dashboard session has expired; " + SIGN_IN_AGAIN + "."),
      Math.max(0, new Date(expires).getTime() - Date.now()));
  }
}

/** Opens the moment a replay link names (#view=replay&project=…&agent=…&at=…) in this tab. */
async function openMoment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!ctx.me || fragment.get("view") !== "replay") {
    return;
  }
  history.replaceState(null, "", location.pathname + location.search);
  const project = fragment.get("project");
  openTab("replay");
  if (project && project !== ctx.meshwork && ctx.meshworks.some((m) => m.name === project)) {
    view = { tab: "replay", agent: fragment.get("agent"), at: fragment.get("at") };
    await select(project);
    return;
  }
  await replay.openAt(fragment.get("agent"), fragment.get("at"));
}

// ---- panels as tabs ----

function tabs() {
  const list = $("tabs");
  const shown = PANELS.filter(([, , allowed]) => !allowed || allowed(ctx));
  list.replaceChildren(...shown.map(([id, label]) => el("button", {
    type: "button", role: "tab", id: "tab-" + id, "aria-controls": "panel-" + id, "data-panel": id,
    onclick: () => openTab(id),
    onkeydown: (event) => {
      const i = shown.findIndex(([other]) => other === id);
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step) {
        const next = shown[(i + step + shown.length) % shown.length][0];
        openTab(next);
        $("tab-" + next).focus();
        event.preventDefault();
      }
    }
  }, label)));
  const wanted = view.tab || sessionStorage.getItem(TAB);
  openTab(shown.some(([id]) => id === wanted) ? wanted : "agents");
}

function openTab(id) {
  sessionStorage.setItem(TAB, id);
  document.querySelectorAll("#tabs [role=tab]").forEach((tab) => {
    const selected = tab.getAttribute("data-panel") === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  });
  document.querySelectorAll(".panel").forEach((panel) => {
    panel.hidden = panel.id !== "panel-" + id;
  });
  if (id === "graph") {
    graph.run();
  }
  if (id === "chat") {
    chat.shown();
  }
  if (id === "replay" && ctx.meshwork && document.body.getAttribute("data-loaded") && !replay.loaded()) {
    replay.load();
  }
}

// ---- meshworks ----

async function loadMeshworks() {
  const answer = await api("GET", "v1/meshworks");
  ctx.meshworks = answer.meshworks || [];
  show("board");
  const picker = $("meshwork");
  picker.replaceChildren(...ctx.meshworks.map((m) => el("option", { value: m.name, text: m.name })));
  $("no-meshworks").hidden = ctx.meshworks.length > 0;
  picker.disabled = ctx.meshworks.length < 2;
  onboarding.start(ctx.meshworks).catch(failed);
  if (ctx.meshworks.length === 0) {
    ctx.meshwork = null;
    return;
  }
  const wanted = sessionStorage.getItem(PROJECT);
  const found = ctx.meshworks.find((m) => m.name === wanted);
  notice(wanted && !found ? "Project " + wanted + " is not one you can see; showing " + ctx.meshworks[0].name + "." : "");
  const chosen = found || ctx.meshworks.find((m) => m.name === ctx.meshwork) || ctx.meshworks[0];
  if (chosen.name !== ctx.meshwork) {
    await select(chosen.name);
  } else {
    picker.value = chosen.name;
  }
}

/**
 * The caller's meshworks change with no entry on any stream this page follows (a project made by
 * `meshcode go`, one deleted): read them every 15 s and update the switcher when they differ.
 */
function watchMeshworks() {
  setInterval(async () => {
    if (!ctx.me || document.hidden) {
      return;
    }
    try {
      const answer = await api("GET", "v1/meshworks");
      const names = (list) => list.map((m) => m.name).join("\n");
      if (names(answer.meshworks || []) !== names(ctx.meshworks)) {
        await loadMeshworks();
      }
    } catch (e) {
      // A session that ended is reported by the stream; a passing failure, by the next read.
    }
  }, MESHWORKS_POLL_MS);
}

/** Follows another meshwork: from the newest entry on, its panels read once the stream is live. */
async function select(name) {
  ctx.meshwork = name;
  sessionStorage.setItem(PROJECT, name);
  $("meshwork").value = name;
  replay.reset();
  // Nothing of the previous meshwork's team may be asked of this one (its agents differ).
  ctx.team.clear();
  team();
  try {
    const head = await api("GET", mw(name, "log") + "?limit=1&before=" + NEWEST);
    const newest = (head.entries || [])[0];
    stream.follow(name, newest ? newest.seq : 0);
  } catch (e) {
    failed(e);
  }
}

/** The stream follows the meshwork: read every panel, then apply what arrived meanwhile. */
async function onSubscribed(meshwork) {
  if (!stream.holding || meshwork !== ctx.meshwork) {
    return;
  }
  try {
    const started = performance.now();
    await Promise.all([agents.load(meshwork), chat.load(meshwork), tasks.load(meshwork), spectator.load(), links(meshwork)]);
    await memory.load();
    if (meshwork !== ctx.meshwork) {
      return;
    }
    stream.release(meshwork);
    document.body.setAttribute("data-loaded", meshwork);
    document.body.setAttribute("data-load-ms", String(Math.round(performance.now() - started)));
    if (view.tab === "replay") {
      const { agent, at } = view;
      view = {};
      replay.openAt(agent, at);
    }
  } catch (e) {
    stream.release(meshwork);
    failed(e);
  }
}

async function links(meshwork) {
  const answer = await api("GET", mw(meshwork, "links")).catch(() => ({ links: [] }));
  graph.setLinked((answer.links || []).map(String));
}

function reloadSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    Promise.all([agents.load(ctx.meshwork), links(ctx.meshwork)]).catch(failed);
  }, 300);
}

/** The team changed: every panel that lists agents hears of it. */
function team() {
  const members = [...ctx.team.values()];
  graph.setAgents(members);
  const stored = localStorage.getItem("meshcode.lead." + ctx.meshwork);
  const lead = ctx.team.has(stored) ? stored
    : (members.find((a) => /commander|lead/i.test(a.role) || /commander|lead/i.test(a.name)) || {}).name || "";
  $("graph-lead").replaceChildren(el("option", { value: "", text: "none" }),
    ...members.map((a) => el("option", { value: a.name, text: a.name, selected: a.name === lead })));
  $("graph-lead").disabled = ctx.readOnly;
  graph.setLead(lead);
  legend();
  chat.teamChanged();
  tasks.teamChanged();
  memory.teamChanged();
  replay.teamChanged();
}

function legend() {
  $("graph-legend").replaceChildren(...["online", "waiting", "working", "idle", "offline"].map((status) =>
    el("li", { class: "status status-" + status }, status)));
}

// Entries are applied in batches, every 50 ms at most: a burst of hundreds a second costs one
// layout per batch rather than one per entry, and a timer (unlike a frame) also runs in a
// background tab, so the queue drains there too.
const queue = [];
let flushTimer = null;

function onEntry(entry) {
  queue.push(entry);
  if (!flushTimer) {
    flushTimer = setTimeout(flush, 50);
  }
}

function flush() {
  flushTimer = null;
  const batch = queue.splice(0, queue.length);
  const following = chat.following();
  batch.forEach(apply);
  chat.settle(following);
}

function apply(entry) {
  agents.onEntry(entry);
  chat.onEntry(entry);
  tasks.onEntry(entry);
  memory.onEntry(entry);
  onboarding.onEntry(entry);
  if (entry.type === "message.sent" && entry.agent) {
    graph.flash(entry.agent, entry.recipients || []);
  }
}

// ---- the connection banner and the dialog ----

function live(state, text) {
  $("live").setAttribute("data-state", state);
  $("live").textContent = text;
  if (state === "down") {
    banner("Disconnected from the server: " + text, true);
  } else if (state === "live") {
    $("banner").hidden = true;
  }
}

function banner(text, retry) {
  const node = $("banner");
  node.replaceChildren(text, retry ? el("button", { type: "button", id: "banner-retry", onclick: () => stream.retry() }, "Reconnect now") : "");
  node.hidden = false;
}

function dialog(title, body, onOk) {
  const box = $("dialog");
  const opener = document.activeElement;
  $("dialog-title").textContent = title;
  $("dialog-body").replaceChildren(...body);
  showError($("dialog-error"), null);
  const ok = $("dialog-ok");
  ok.hidden = !onOk;
  ok.onclick = async () => {
    try {
      await onOk();
      box.close();
    } catch (e) {
      showError($("dialog-error"), e);
    }
  };
  box.onclose = () => {
    if (opener && opener.isConnected) {
      opener.focus();
    }
  };
  box.showModal();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
