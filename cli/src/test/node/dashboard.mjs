// Opens the MeshCode dashboard the way a browser does, in jsdom: the page and its script come from
// the real gateway, the script runs, and it talks to the real mesh with fetch (Node's) and
// WebSocket (jsdom's). Every check is an assertion: the script exits 0 when all hold, and prints
// one JSON report line on stdout.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, an owner key of PROJECT, a meshwork with agents api,
// web and one whose role is HOSTILE_ROLE; OWNER_URL and GUEST_URL, the links `meshcode dashboard`
// opened for the owner and for a guest (GUEST_MEMBER_ID) of agent web.
import { JSDOM } from "jsdom";
import assert from "node:assert/strict";

const SERVER = required("MESHCODE_SERVER");
const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const HOSTILE_ROLE = required("HOSTILE_ROLE");
const OWNER_URL = required("OWNER_URL");
const GUEST_URL = required("GUEST_URL");
const GUEST_MEMBER_ID = required("GUEST_MEMBER_ID");

const report = { checks: [], agents: [] };

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function check(name) {
  report.checks.push(name);
}

async function api(method, path, key, body) {
  const response = await fetch(new URL(path, SERVER), {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

/** Loads a dashboard link as a browser would: the page, then its script, which runs. */
async function open(url) {
  const page = await fetch(url.split("#")[0]);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  const dom = new JSDOM(await page.text(), {
    url,
    runScripts: "dangerously",
    resources: "usable",
    pretendToBeVisual: true,
    beforeParse(window) {
      // jsdom has no fetch: lend it Node's, resolving relative addresses against the page.
      window.fetch = (input, init) => fetch(new URL(String(input), window.location.href), init);
    },
  });
  return dom.window;
}

async function waitFor(what, condition, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function text(window, id) {
  return window.document.getElementById(id).textContent;
}

function visible(window, id) {
  return !window.document.getElementById(id).hidden;
}

function row(window, agent) {
  for (const tr of window.document.querySelectorAll("#agents tbody tr")) {
    if (tr.getAttribute("data-agent") === agent) {
      return tr;
    }
  }
  return null;
}

function statusOf(window, agent) {
  const tr = row(window, agent);
  return tr ? tr.querySelector("td.status").textContent : null;
}

function events(window) {
  return [...window.document.querySelectorAll("#events li")].map((li) => li.textContent);
}

// ---- the owner: signs in, sees the team, follows it live, signs out ----
{
  const window = await open(OWNER_URL);
  await waitFor("the agent list", () => window.document.querySelectorAll("#agents tbody tr").length === 3);
  assert.equal(window.location.hash, "");
  assert.ok(!window.location.href.includes("ticket"));
  check("fragment removed");
  const session = window.sessionStorage.getItem("meshcode.session");
  assert.match(session ?? "", /^mc_ds_[0-9A-Za-z]{43}$/);
  assert.equal(window.localStorage.length, 0);
  assert.equal(window.document.cookie, "");
  check("session in sessionStorage only");

  assert.equal(text(window, "who-name"), "Ada");
  assert.ok(visible(window, "board"));
  assert.equal(window.document.getElementById("meshwork").value, PROJECT);
  for (const tr of window.document.querySelectorAll("#agents tbody tr")) {
    const cells = [...tr.cells].map((cell) => cell.textContent);
    report.agents.push({ name: cells[0], role: cells[1], status: cells[2] });
  }
  check("agents rendered");

  assert.equal(window.document.querySelector("#agents img"), null);
  assert.equal(window.pwned, undefined);
  assert.ok([...window.document.querySelectorAll("#agents td.role")].some((td) => td.textContent === HOSTILE_ROLE));
  check("hostile role shown as text");

  await waitFor("the stream to go live", () => window.document.getElementById("live").getAttribute("data-state") === "live");
  assert.equal(statusOf(window, "api"), "offline");
  const opened = await api("POST", `/v1/meshworks/${PROJECT}/agents/api/sessions`, OWNER_KEY, { client: "dashboard-test" });
  assert.equal(opened.status, 201);
  await waitFor("api to show working", () => statusOf(window, "api") === "working");
  await waitFor("the session event", () => events(window).some((line) => line.includes("api opened a session (dashboard-test)")));
  check("presence live");

  const sent = await api("POST", `/v1/meshworks/${PROJECT}/agents/api/messages`, OWNER_KEY, { to: "web", text: "<b>ship</b> it" });
  assert.equal(sent.status, 201);
  await waitFor("the message event", () => events(window).some((line) => line.includes("api → web: <b>ship</b> it")));
  assert.equal(window.document.querySelector("#events b"), null);
  check("message live, as text");

  window.document.getElementById("sign-out").click();
  await waitFor("the signed-out page", () => visible(window, "signed-out"));
  assert.equal(text(window, "signed-out-reason"), "You signed out.");
  assert.match(text(window, "signed-out"), /Sign in by running: meshcode dashboard/);
  assert.equal(window.sessionStorage.getItem("meshcode.session"), null);
  assert.equal((await api("GET", "/v1/me", session)).status, 401);
  check("signed out");
  window.close();
}

// ---- a guest: signs in as its agent, and is signed out the moment its member is revoked ----
{
  const window = await open(GUEST_URL);
  await waitFor("the guest's agent list", () => row(window, "web") !== null);
  assert.equal(text(window, "who-name"), "Gus");
  assert.match(text(window, "who-scope"), new RegExp(`guest: agent web in ${PROJECT}`));
  await waitFor("the stream to go live", () => window.document.getElementById("live").getAttribute("data-state") === "live");
  const revoked = await api("DELETE", `/v1/meshworks/${PROJECT}/members/${GUEST_MEMBER_ID}`, OWNER_KEY);
  assert.equal(revoked.status, 204);
  await waitFor("the revocation to sign the page out", () => visible(window, "signed-out"));
  assert.match(text(window, "signed-out-reason"), /revoked/);
  assert.equal(window.sessionStorage.getItem("meshcode.session"), null);
  check("guest signed out by revocation");
  window.close();

  // The same link again: its ticket was used.
  const again = await open(GUEST_URL);
  await waitFor("the used ticket to be refused", () => visible(again, "signed-out"));
  assert.match(text(again, "signed-out-reason"), /already used/);
  check("ticket used once");
  again.close();
}

// ---- no ticket, no session ----
{
  const window = await open(new URL("/dashboard", SERVER).toString());
  await waitFor("the sign-in hint", () => visible(window, "signed-out"));
  assert.equal(text(window, "signed-out-reason"), "");
  assert.match(text(window, "signed-out"), /Sign in by running: meshcode dashboard/);
  check("sign-in hint");
  window.close();
}

console.log(JSON.stringify(report));
