// What every panel shares: finding and making elements (text only, never markup), calling the API
// with the page's credential, and formatting times. The credential lives in this module's memory
// (and, for a signed-in dashboard session, in sessionStorage); a spectator link's token only here.

/** The gateway's public root: this module is at <root>/dashboard/core.js. */
export const ROOT = new URL("../", import.meta.url);

const credential = { value: null };

export function setCredential(value) {
  credential.value = value;
}

export function getCredential() {
  return credential.value;
}

export function $(id) {
  return document.getElementById(id);
}

/** An element with attributes and children; strings become text nodes, never markup. */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "class") {
      node.className = value;
    } else if (name === "text") {
      node.textContent = value;
    } else if (name.startsWith("on")) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** An answer the API refused: its status, code and the message of its error body. */
export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; `auth` false sends no credential (redeeming a ticket). */
export async function call(method, path, body, auth = true) {
  const headers = {};
  if (auth && credential.value) {
    headers.Authorization = "Bearer " + credential.value;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(new URL(path, ROOT), {
      method,
      headers,
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
  let answer = null;
  try {
    answer = await response.json();
  } catch (e) {
    answer = null;
  }
  if (!response.ok) {
    const error = answer && answer.error ? answer.error : {};
    throw new ApiError(response.status, error.message || "the server answered " + response.status, error.code);
  }
  return answer;
}

export const api = (method, path, body) => call(method, path, body, true);

/** A path under a meshwork, each segment encoded. */
export function mw(meshwork, ...segments) {
  return ["v1/meshworks", meshwork, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join("/");
}

export function clip(text, max = 200) {
  text = String(text == null ? "" : text);
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

export function clockTime(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "";
}

/** "12 s ago", "5 min ago", "3 h ago", else the date. */
export function ago(iso, now = Date.now()) {
  if (!iso) {
    return "never";
  }
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) {
    return seconds + " s ago";
  }
  if (seconds < 3600) {
    return Math.floor(seconds / 60) + " min ago";
  }
  if (seconds < 86400) {
    return Math.floor(seconds / 3600) + " h ago";
  }
  return new Date(iso).toLocaleString();
}

/** Every status an agent card, a graph node and a replay show, with its rule (docs/ARCHITECTURE.md). */
export const STATUSES = {
  online: { label: "online", symbol: "●", rule: "a live session with no activity since it opened (connected, not started)" },
  waiting: { label: "waiting", symbol: "⏸", rule: "a meshcode_wait is parked for it (until its end plus 5 s)" },
  working: { label: "working", symbol: "▶", rule: "activity (a tool call, a busy editor, messages taken) within the idle window" },
  idle: { label: "idle", symbol: "◌", rule: "a live session with no activity for the idle window" },
  offline: { label: "offline", symbol: "○", rule: "no live session (its lease expired or it closed)" },
  unknown: { label: "unknown", symbol: "?", rule: "not seen yet" }
};

export function statusOf(value) {
  return STATUSES[value] ? value : "unknown";
}

/** A status badge: colour, a symbol and the word, so colour is never the only signal. */
export function statusBadge(status) {
  const known = statusOf(status);
  return el("span", { class: "status status-" + known, title: STATUSES[known].rule, "data-status": known },
    el("span", { "aria-hidden": "true", text: STATUSES[known].symbol + " " }), STATUSES[known].label);
}

/** Copies text to the clipboard, falling back to selecting it for Ctrl-C. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    if (input) {
      input.focus();
      input.select();
    }
    return false;
  }
}

/** Shows an error's message in a panel's error line (never a blank panel). */
export function showError(node, error) {
  node.textContent = error ? error.message || String(error) : "";
  node.hidden = !error;
}

/** Runs fn at most once per animation frame, with the latest arguments. */
export function perFrame(fn) {
  let scheduled = false;
  return () => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        fn();
      });
    }
  };
}
