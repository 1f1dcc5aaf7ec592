// The MeshCode dashboard: signs in with the one-time ticket `meshcode dashboard` put in the URL's
// fragment, then shows the caller's meshworks and keeps the selected one live over the WebSocket
// stream (docs/STREAM.md). No framework and no build step. Everything the API answers reaches the
// page through textContent, never as markup.
(function () {
  "use strict";

  // sessionStorage, never localStorage or a cookie: the session lives as long as this tab, and
  // with no cookie there is nothing a cross-site request could ride on.
  var SESSION = "meshcode.session";
  var EXPIRES = "meshcode.session_expires_at";
  var PROJECT = "meshcode.project";
  var MAX_EVENTS = 50;
  var MAX_TEXT = 200;
  var STATUSES = ["working", "waiting", "idle", "offline", "unknown"];
  var SIGN_IN_AGAIN = "run meshcode dashboard to sign in again";

  var state = {
    me: null,
    meshworks: [],
    selected: null,
    agents: new Map(),
    socket: null,
    subscribed: null,
    lastSeq: null,
    loading: null,
    held: [],
    reconnectDelay: 1000,
    reconnectTimer: null,
    expiryTimer: null,
    reloadTimer: null
  };

  function $(id) {
    return document.getElementById(id);
  }

  function show(section) {
    ["signing-in", "signed-out", "board"].forEach(function (id) {
      $(id).hidden = id !== section;
    });
  }

  function url(path) {
    return new URL(path, document.baseURI).toString();
  }

  /** An answer the API refused: its status, and the message of its error body. */
  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  async function call(method, path, body, withSession) {
    var headers = {};
    if (withSession) {
      headers.Authorization = "Bearer " + sessionStorage.getItem(SESSION);
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    var response;
    try {
      response = await fetch(url(path), {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
        referrerPolicy: "no-referrer"
      });
    } catch (e) {
      throw new ApiError(0, "cannot reach the server (" + e.message + ")");
    }
    if (response.status === 204) {
      return null;
    }
    var answer = null;
    try {
      answer = await response.json();
    } catch (e) {
      answer = null;
    }
    if (!response.ok) {
      var error = answer && answer.error ? answer.error : {};
      throw new ApiError(response.status, error.message || "the server answered " + response.status);
    }
    return answer;
  }

  function api(method, path, body) {
    return call(method, path, body, true);
  }

  // ---- signing in and out ----

  async function start() {
    $("sign-out").addEventListener("click", signOut);
    $("meshwork").addEventListener("change", function () {
      select($("meshwork").value);
    });
    var fragment = new URLSearchParams(location.hash.slice(1));
    if (location.hash) {
      // The ticket leaves the address bar (and the history) before anything else happens.
      history.replaceState(null, "", location.pathname + location.search);
    }
    if (fragment.get("project")) {
      sessionStorage.setItem(PROJECT, fragment.get("project"));
    }
    try {
      var ticket = fragment.get("ticket");
      if (ticket) {
        show("signing-in");
        var signedIn = await call("POST", "v1/tickets/redeem", { ticket: ticket }, false);
        sessionStorage.setItem(SESSION, signedIn.session);
        sessionStorage.setItem(EXPIRES, signedIn.expires_at);
        state.me = signedIn.me;
      } else if (sessionStorage.getItem(SESSION)) {
        state.me = await api("GET", "v1/me");
      } else {
        signedOut("");
        return;
      }
      renderWho();
      await loadMeshworks();
    } catch (e) {
      failed(e);
    }
  }

  async function signOut() {
    var session = sessionStorage.getItem(SESSION);
    closeSocket();
    if (session) {
      try {
        await api("DELETE", "v1/sessions/current");
      } catch (e) {
        // Signed out here either way; an ended session is 401 anyway.
      }
    }
    signedOut("You signed out.");
  }

  /** Drops the session and shows how to sign in, with the reason. */
  function signedOut(reason) {
    sessionStorage.removeItem(SESSION);
    sessionStorage.removeItem(EXPIRES);
    closeSocket();
    clearTimeout(state.expiryTimer);
    clearTimeout(state.reloadTimer);
    state.me = null;
    $("who").hidden = true;
    $("signed-out-reason").textContent = reason;
    show("signed-out");
  }

  /** A failure of a call: a 401 or a refused ticket signs out, anything else is shown and kept. */
  function failed(e) {
    if (e instanceof ApiError && (e.status === 401 || (e.status === 404 && !state.me))) {
      signedOut(e.message);
      return;
    }
    if (!state.me) {
      signedOut(e.message || String(e));
      return;
    }
    notice(e.message || String(e));
  }

  function notice(text) {
    $("notice").textContent = text;
    $("notice").hidden = !text;
  }

  function renderWho() {
    var me = state.me;
    var name;
    var scope;
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
    var expires = sessionStorage.getItem(EXPIRES);
    $("who-expires").textContent = expires ? "until " + new Date(expires).toLocaleString() : "";
    $("who").hidden = false;
    clearTimeout(state.expiryTimer);
    if (expires) {
      // Timers cap at about 24.8 days; a session lasts at most a week.
      var left = Math.max(0, new Date(expires).getTime() - Date.now());
      state.expiryTimer = setTimeout(function () {
        signedOut("The dashboard session has expired; " + SIGN_IN_AGAIN + ".");
      }, left);
    }
  }

  // ---- meshworks and agents ----

  async function loadMeshworks() {
    var answer = await api("GET", "v1/meshworks");
    state.meshworks = answer.meshworks || [];
    show("board");
    var picker = $("meshwork");
    picker.replaceChildren();
    state.meshworks.forEach(function (meshwork) {
      var option = document.createElement("option");
      option.value = meshwork.name;
      option.textContent = meshwork.name;
      picker.appendChild(option);
    });
    $("no-meshworks").hidden = state.meshworks.length > 0;
    picker.disabled = state.meshworks.length === 0;
    if (state.meshworks.length === 0) {
      state.selected = null;
      renderAgents([]);
      return;
    }
    var wanted = sessionStorage.getItem(PROJECT);
    var found = state.meshworks.find(function (m) { return m.name === wanted; });
    notice(wanted && !found ? "Project " + wanted + " is not one you can see; showing " + state.meshworks[0].name + "." : "");
    var chosen = found || state.meshworks.find(function (m) { return m.name === state.selected; }) || state.meshworks[0];
    if (chosen.name !== state.selected || !state.socket) {
      select(chosen.name);
    } else {
      picker.value = chosen.name;
    }
  }

  function select(name) {
    state.selected = name;
    sessionStorage.setItem(PROJECT, name);
    $("meshwork").value = name;
    state.lastSeq = null;
    state.held = [];
    $("events").replaceChildren();
    $("events-empty").hidden = false;
    var meshwork = state.meshworks.find(function (m) { return m.name === name; });
    renderAgents(meshwork ? meshwork.agents || [] : []);
    if (state.socket && state.socket.readyState === WebSocket.OPEN && state.socket.ready) {
      subscribe();
    } else if (!state.socket) {
      connect();
    }
  }

  /**
   * Reads the meshwork's agents once its subscription is live. Entries arriving meanwhile are
   * held and applied after, so a change logged during the read is never overwritten by it.
   */
  function loadAgents(name) {
    var loading = {};
    state.loading = loading;
    api("GET", "v1/meshworks/" + encodeURIComponent(name)).then(function (meshwork) {
      if (state.loading !== loading || state.selected !== name) {
        return;
      }
      state.loading = null;
      renderAgents(meshwork.agents || []);
      var held = state.held;
      state.held = [];
      held.forEach(applyEntry);
    }, function (e) {
      if (state.loading === loading) {
        state.loading = null;
        state.held = [];
      }
      failed(e);
    });
  }

  function reloadSoon() {
    clearTimeout(state.reloadTimer);
    state.reloadTimer = setTimeout(function () {
      loadMeshworks().then(function () {
        if (state.selected) {
          loadAgents(state.selected);
        }
      }, failed);
    }, 300);
  }

  function renderAgents(agents) {
    state.agents = new Map();
    var body = $("agents").tBodies[0];
    body.replaceChildren();
    agents.forEach(function (agent) {
      var row = document.createElement("tr");
      row.setAttribute("data-agent", agent.name);
      ["name", "role", "status", "last-seen"].forEach(function (field) {
        var cell = document.createElement("td");
        cell.className = field;
        row.appendChild(cell);
      });
      row.cells[0].textContent = agent.name;
      row.cells[1].textContent = agent.role || "";
      body.appendChild(row);
      state.agents.set(agent.name, row);
      setStatus(row, agent.status || "unknown");
      setLastSeen(row, agent.last_seen);
    });
  }

  function setStatus(row, status) {
    var known = STATUSES.indexOf(status) >= 0 ? status : "unknown";
    var cell = row.cells[2];
    cell.textContent = status;
    cell.className = "status status-" + known;
  }

  function setLastSeen(row, time) {
    var cell = row.cells[3];
    if (!time) {
      cell.textContent = "never";
      cell.removeAttribute("data-time");
      return;
    }
    var previous = cell.getAttribute("data-time");
    if (previous && new Date(previous) > new Date(time)) {
      return;
    }
    cell.setAttribute("data-time", time);
    cell.textContent = new Date(time).toLocaleString();
  }

  // ---- the live stream ----

  function streamUrl() {
    var address = new URL("v1/stream", document.baseURI);
    address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
    return address.toString();
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    live("connecting", "connecting…");
    var socket = new WebSocket(streamUrl());
    state.socket = socket;
    socket.onopen = function () {
      // A browser cannot set headers on a WebSocket: the session goes in the first frame.
      socket.send(JSON.stringify({ type: "auth", key: sessionStorage.getItem(SESSION) }));
    };
    socket.onmessage = function (message) {
      if (state.socket !== socket) {
        return;
      }
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      onFrame(socket, frame);
    };
    socket.onclose = function (event) {
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      state.subscribed = null;
      if (event.code === 4401) {
        signedOut((event.reason || "The dashboard session has ended") + "; " + SIGN_IN_AGAIN + ".");
        return;
      }
      if (!sessionStorage.getItem(SESSION)) {
        return;
      }
      live("down", "reconnecting…");
      state.reconnectTimer = setTimeout(function () {
        if (sessionStorage.getItem(SESSION) && !state.socket) {
          connect();
        }
      }, state.reconnectDelay);
      state.reconnectDelay = Math.min(state.reconnectDelay * 2, 30000);
    };
  }

  function closeSocket() {
    clearTimeout(state.reconnectTimer);
    var socket = state.socket;
    state.socket = null;
    state.subscribed = null;
    if (socket) {
      socket.close(1000, "signed out");
    }
    live("down", "offline");
  }

  function onFrame(socket, frame) {
    switch (frame.type) {
      case "ready":
        socket.ready = true;
        state.reconnectDelay = 1000;
        subscribe();
        break;
      case "subscribed":
        if (frame.meshwork === state.selected) {
          live("live", "live");
          loadAgents(frame.meshwork);
        }
        break;
      case "entry":
        if (frame.meshwork === state.selected) {
          if (state.loading) {
            state.held.push(frame.entry);
          } else {
            applyEntry(frame.entry);
          }
        }
        break;
      case "unsubscribed":
        if (frame.meshwork === state.selected && state.subscribed === frame.meshwork) {
          // The gateway ended it (its log could not be read): follow again shortly.
          state.subscribed = null;
          live("down", "reconnecting…");
          setTimeout(function () {
            if (state.socket === socket && state.selected === frame.meshwork && !state.subscribed) {
              subscribe();
            }
          }, 2000);
        }
        break;
      case "error":
        notice(frame.error && frame.error.message ? frame.error.message : "the stream refused a request");
        break;
      default:
        break;
    }
  }

  /** Follows the selected meshwork, resuming after the last entry seen if there was one. */
  function subscribe() {
    var socket = state.socket;
    if (!socket || !state.selected) {
      return;
    }
    if (state.subscribed && state.subscribed !== state.selected) {
      socket.send(JSON.stringify({ type: "unsubscribe", meshwork: state.subscribed }));
    }
    if (state.subscribed === state.selected) {
      return;
    }
    var frame = { type: "subscribe", meshwork: state.selected };
    if (state.lastSeq !== null) {
      frame.after = state.lastSeq;
    }
    state.subscribed = state.selected;
    socket.send(JSON.stringify(frame));
  }

  function live(stateName, text) {
    $("live").setAttribute("data-state", stateName);
    $("live").textContent = text;
  }

  function applyEntry(entry) {
    if (state.lastSeq !== null && entry.seq <= state.lastSeq) {
      return;
    }
    state.lastSeq = entry.seq;
    var payload = entry.payload || {};
    var row = entry.agent ? state.agents.get(entry.agent) : null;
    if (row) {
      if (entry.type === "agent.status" && payload.to) {
        setStatus(row, payload.to);
      }
      if (entry.type !== "agent.status" || payload.to !== "offline") {
        setLastSeen(row, entry.time);
      }
    }
    if (/^(agent|meshwork)\./.test(entry.type) && entry.type !== "agent.status") {
      reloadSoon();
    }
    addEvent(entry);
  }

  function addEvent(entry) {
    var item = document.createElement("li");
    item.setAttribute("data-type", entry.type);
    var time = document.createElement("span");
    time.className = "time";
    time.textContent = entry.time ? new Date(entry.time).toLocaleTimeString() : "";
    var type = document.createElement("span");
    type.className = "type";
    type.textContent = entry.type;
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = describe(entry);
    item.append(time, type, text);
    var list = $("events");
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_EVENTS) {
      list.removeChild(list.lastChild);
    }
    $("events-empty").hidden = true;
  }

  function clip(text) {
    text = String(text == null ? "" : text);
    return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + "…" : text;
  }

  /** One line about an entry of the replay log. */
  function describe(entry) {
    var p = entry.payload || {};
    var who = entry.agent || "the meshwork";
    switch (entry.type) {
      case "message.sent":
        return who + " → " + (entry.recipients || [].concat(p.to || [])).join(", ") + ": " + clip(p.text);
      case "agent.status":
        return who + ": " + p.from + " → " + p.to;
      case "session.opened":
        return who + " opened a session" + (p.client ? " (" + clip(p.client) + ")" : "") + (p.took_over ? ", taking over" : "");
      case "session.closed":
        return who + " closed its session";
      case "session.taken_over":
        return who + ": another window took over";
      case "tool.called":
        return who + " called " + clip(p.tool || "a tool") + (p.result ? " (" + p.result + ")" : "");
      default:
        if (/^task\./.test(entry.type)) {
          return who + ": " + clip(p.title || p.task_id || "");
        }
        return who;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
