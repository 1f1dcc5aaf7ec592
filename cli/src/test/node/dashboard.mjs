// Opens the MeshCode dashboard in a real headless chromium (browser.mjs): the page and its script
// come from the real gateway, and the page talks to the real mesh with the browser's own fetch and
// WebSocket. Every check is an assertion: the script exits 0 when all hold and no page logged an
// unexpected error, and prints one JSON report line on stdout.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, an owner key of PROJECT, a meshwork with agents api,
// web and one whose role is HOSTILE_ROLE; OWNER_URL and GUEST_URL, the links `meshcode dashboard`
// opened for the owner and for a guest (GUEST_MEMBER_ID) of agent web.
import assert from "node:assert/strict";
import { runScript, screenshot, waitFor } from "./browser.mjs";
import { required, api, SERVER } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const HOSTILE_ROLE = required("HOSTILE_ROLE");
const OWNER_URL = required("OWNER_URL");
const GUEST_URL = required("GUEST_URL");
const GUEST_MEMBER_ID = required("GUEST_MEMBER_ID");

// What the browser itself logs when the page's request is refused, as these checks make it be: a
// revoked session's request (if the page sends one before the stream signs it out), a used ticket.
const REVOKED = /Failed to load resource: the server responded with a status of 401 .*\/v1\//;
const TICKET_USED = /Failed to load resource: the server responded with a status of 404 .*\/v1\/tickets\/redeem/;

/** Loads a dashboard link in a fresh page, as a person's browser does. */
async function open(newPage, url, viewport = { width: 1280, height: 800 }) {
  const page = await newPage(viewport);
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-security-policy"] ?? "", /script-src 'self'/);
  return page;
}

const text = (page, id) => page.locator(`#${id}`).textContent();
const visible = (page, id) => page.locator(`#${id}`).isVisible();

/** Each agent card: [{agent, name, role, status}]. */
const agents = (page) => page.$$eval("#agent-cards .card", (cards) => cards.map((card) => ({
  agent: card.getAttribute("data-agent"),
  name: card.querySelector(".name").textContent,
  role: card.querySelector(".role").textContent,
  status: card.getAttribute("data-status"),
})));

async function statusOf(page, agent) {
  const card = (await agents(page)).find((c) => c.agent === agent);
  return card ? card.status : null;
}

const messages = (page) => page.$$eval("#chat-messages li.message", (items) => items.map((li) => li.querySelector(".text").textContent));
const live = async (page) => (await page.locator("#live").getAttribute("data-state")) === "live";

await runScript(async ({ newPage, report }) => {
  const check = (name) => report.checks.push(name);
  report.agents = [];

  // ---- the owner: signs in, sees the team, follows it live, signs out ----
  {
    const page = await open(newPage, OWNER_URL);
    await waitFor("the agent list", async () => (await agents(page)).length === 3);
    assert.equal(new URL(page.url()).hash, "");
    assert.ok(!page.url().includes("ticket"));
    check("fragment removed");
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem("meshcode.session"),
      local: localStorage.length,
      cookie: document.cookie,
    }));
    assert.match(storage.session ?? "", /^mc_ds_[0-9A-Za-z]{43}$/);
    assert.equal(storage.local, 0);
    assert.equal(storage.cookie, "");
    assert.deepEqual(await page.context().cookies(), []);
    check("session in sessionStorage only");

    assert.equal(await text(page, "who-name"), "Ada");
    assert.ok(await visible(page, "board"));
    assert.equal(await page.locator("#meshwork").inputValue(), PROJECT);
    for (const { name, role, status } of await agents(page)) {
      report.agents.push({ name, role, status });
    }
    check("agents rendered");

    assert.equal(await page.locator("#agent-cards img").count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.ok((await agents(page)).some((card) => card.role === HOSTILE_ROLE));
    check("hostile role shown as text");

    await waitFor("the stream to go live", () => live(page));
    assert.equal(await statusOf(page, "api"), "offline");
    const opened = await api("POST", `/v1/meshworks/${PROJECT}/agents/api/sessions`, OWNER_KEY, { client: "dashboard-test" });
    assert.equal(opened.status, 201);
    await waitFor("api to show online", async () => (await statusOf(page, "api")) === "online");
    await waitFor("the session's editor", async () => (await page.textContent('#agent-cards [data-agent="api"] .editor')) === "dashboard-test");
    check("presence live");

    const sent = await api("POST", `/v1/meshworks/${PROJECT}/agents/api/messages`, OWNER_KEY, { to: "web", text: "<b>ship</b> it" });
    assert.equal(sent.status, 201);
    await waitFor("the message in the chat", async () => (await messages(page)).includes("<b>ship</b> it"));
    assert.equal(await page.locator("#chat-messages b").count(), 0);
    check("message live, as text");
    await screenshot(page, "dashboard-1280x800");

    await page.locator("#sign-out").click();
    await waitFor("the signed-out page", () => visible(page, "signed-out"));
    assert.equal(await text(page, "signed-out-reason"), "You signed out.");
    assert.match(await text(page, "signed-out"), /Sign in by running: meshcode dashboard/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("meshcode.session")), null);
    assert.equal((await api("GET", "/v1/me", storage.session)).status, 401);
    check("signed out");
    await page.close();
  }

  // ---- a guest: signs in as its agent, and is signed out the moment its member is revoked ----
  {
    const page = await open(newPage, GUEST_URL);
    await waitFor("the guest's agent list", async () => (await agents(page)).some((r) => r.agent === "web"));
    assert.equal(await text(page, "who-name"), "Gus");
    assert.match(await text(page, "who-scope"), new RegExp(`guest: agent web in ${PROJECT}`));
    await waitFor("the stream to go live", () => live(page));
    page.errors.allow(REVOKED);
    const revoked = await api("DELETE", `/v1/meshworks/${PROJECT}/members/${GUEST_MEMBER_ID}`, OWNER_KEY);
    assert.equal(revoked.status, 204);
    await waitFor("the revocation to sign the page out", () => visible(page, "signed-out"));
    assert.match(await text(page, "signed-out-reason"), /revoked/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("meshcode.session")), null);
    check("guest signed out by revocation");
    await page.close();

    // The same link again: its ticket was used.
    const again = await newPage({ width: 1280, height: 800 });
    again.errors.allow(TICKET_USED);
    await again.goto(GUEST_URL);
    await waitFor("the used ticket to be refused", () => visible(again, "signed-out"));
    assert.match(await text(again, "signed-out-reason"), /already used/);
    check("ticket used once");
    await again.close();
  }

  // ---- no ticket, no session ----
  {
    const page = await open(newPage, new URL("/dashboard", SERVER).toString(), { width: 390, height: 844 });
    await waitFor("the sign-in hint", () => visible(page, "signed-out"));
    assert.equal(await text(page, "signed-out-reason"), "");
    assert.match(await text(page, "signed-out"), /Sign in by running: meshcode dashboard/);
    await screenshot(page, "signed-out-390x844");
    check("sign-in hint");
    await page.close();
  }
});
