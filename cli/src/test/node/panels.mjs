// The dashboard's panels in a real headless chromium (browser.mjs) against the real mesh: each
// panel shows data made through the public API, and what agents do meanwhile (a message, a status
// change, a claim) shows without a reload; what the owner does on the page (a message, a task, a
// memory edit, a spectator link) is read back through the API. Screenshots of every panel at
// 1280×800 and 390×844 go to SCREENSHOTS.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, the owner of PROJECT, whose agents are lead (role
// "commander"), api, web (the slot of Gus, a guest) and evil (role HOSTILE_ROLE), with some messages sent before.
import assert from "node:assert/strict";
import { runScript, screenshot, waitFor } from "./browser.mjs";
import { required, ok, mw as path, tab, loaded, signInLink } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const HOSTILE_ROLE = required("HOSTILE_ROLE");
const PANELS = ["agents", "chat", "graph", "replay", "tasks", "memory", "spectator"];
// The browser logs the refusals these checks provoke on purpose: a memory value over 10 KB, a key
// with a control character (400), a memory past the 100-key limit (409).
const REFUSED = /Failed to load resource: the server responded with a status of (400|409)/;

const mw = (...segments) => path(PROJECT, ...segments);
const asAgent = (method, agent, segments, body, query = "") => ok(method, mw("agents", agent, ...segments) + query, OWNER_KEY, body);

/** Saves the open dialog and waits until it closed: while it is open, the page behind it is inert. */
async function saveDialog(page) {
  await page.click("#dialog-ok");
  await waitFor("the dialog to close", async () => !(await page.isVisible("#dialog")));
}

const cardStatus = (page, agent) => page.getAttribute(`#agent-cards [data-agent="${agent}"]`, "data-status");
const nodeStatus = (page, agent) => page.getAttribute(`#graph [data-agent="${agent}"]`, "data-status");

await runScript(async ({ newPage, report }) => {
  const page = await newPage({ width: 1280, height: 800 });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  page.errors.allow(REFUSED);
  await page.goto(await signInLink(OWNER_KEY));
  await loaded(page);
  assert.equal(new URL(page.url()).hash, "", "the ticket left the address bar");

  // ---- Agents: a card each, the hostile role as text, status in words, a Reconnect command ----
  const names = await page.$$eval("#agent-cards .card", (cards) => cards.map((card) => card.getAttribute("data-agent")));
  assert.deepEqual(names.sort(), ["api", "evil", "lead", "web"]);
  assert.equal(await page.textContent('#agent-cards [data-agent="evil"] .role'), HOSTILE_ROLE);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await cardStatus(page, "web"), "offline");
  assert.match(await page.textContent('#agent-cards [data-agent="web"] .status'), /offline/, "the status is a word, not only a colour");
  assert.equal(await page.textContent('#agent-cards [data-agent="api"] .memory'), "1");
  await page.click('#agent-cards [data-agent="web"] button.reconnect');
  assert.equal(await page.inputValue("#reconnect-command"), `meshcode run web -p ${PROJECT}`);
  assert.match(await page.textContent("#dialog-body"), /web is Gus's slot\. Ask Gus to run this/);
  assert.ok(await page.isVisible("#reconnect-copy"));
  await page.click("#dialog-close");
  report.checks.push("agent cards");

  // A status change shows on the card and the graph's node, live.
  const session = await asAgent("POST", "api", ["sessions"], { client: "cursor" });
  await waitFor("api's card turns live", async () => (await cardStatus(page, "api")) !== "offline");
  await waitFor("api's node turns live", async () => (await nodeStatus(page, "api")) !== "offline");
  assert.equal(await page.textContent('#agent-cards [data-agent="api"] .editor'), "cursor");
  report.checks.push("status live on card and node");

  // ---- Chat: the history on open, then a message live, its edge lit, its delivery states ----
  await tab(page, "chat");
  const history = await page.$$eval("#chat-messages li.message .text", (items) => items.map((item) => item.textContent));
  assert.ok(history.includes("hello web"), `the history shows the earlier messages: ${history}`);
  await tab(page, "graph");
  const sent = await asAgent("POST", "api", ["messages"], { to: "web", text: "live <b>now</b>" });
  await waitFor("the message in the chat", () => page.locator(`#chat-messages li[data-id="${sent.id}"]`).count());
  await waitFor("the api-web edge lit", () => page.locator('#graph line.edge.lit[data-edge="api|web"]').count());
  assert.equal(await page.textContent(`#chat-messages li[data-id="${sent.id}"] .text`), "live <b>now</b>");
  const waited = await asAgent("GET", "web", ["wait"], undefined, "?timeout=1");
  await waitFor("delivered", () => page.locator(`#chat-messages li[data-id="${sent.id}"] .delivery[data-agent="web"][data-state="delivered"]`).count());
  await asAgent("POST", "web", ["ack"], { cursor: waited.cursor });
  await waitFor("read", () => page.locator(`#chat-messages li[data-id="${sent.id}"] .delivery[data-agent="web"][data-state="read"]`).count());
  report.checks.push("message live, edge lit, delivery states");

  // The hierarchy layout puts the commander on top, or the agent the owner marks as lead; linked
  // meshworks sit at the edge.
  const heights = () => page.$$eval("#graph g.node", (nodes) => Object.fromEntries(nodes.map((node) =>
    [node.getAttribute("data-agent"), Number(/translate\([^,]+,([^)]+)\)/.exec(node.getAttribute("transform") || "translate(0,0)")[1])])));
  const onTop = async (agent) => {
    const y = await heights();
    return Object.entries(y).every(([name, height]) => name === agent || height > y[agent] + 20);
  };
  await page.selectOption("#graph-layout", "hierarchy");
  await waitFor("the commander on top", () => onTop("lead"));
  await page.selectOption("#graph-lead", "web");
  await waitFor("the marked lead on top", () => onTop("web"));
  assert.equal(await page.locator("#graph .linked-node").count(), 1);
  assert.match(await page.textContent("#graph .linked-node"), /partner-/);
  await page.selectOption("#graph-layout", "force");
  report.checks.push("hierarchy, lead, linked meshworks");

  // A reply is grouped under its thread's first message; a broadcast is marked.
  const reply = await asAgent("POST", "web", ["messages"], { to: "api", kind: "reply", reply_to: sent.id, text: "on it" });
  await tab(page, "chat");
  await waitFor("the reply in its thread", () => page.locator(`#chat-messages li.thread:has(li[data-id="${sent.id}"]) details li[data-id="${reply.id}"]`).count());
  await asAgent("POST", "lead", ["messages"], { to: "*", text: "standup" });
  await waitFor("the broadcast", () => page.locator("#chat-messages li.message.broadcast .text", { hasText: "standup" }).count());
  report.checks.push("threads and broadcasts");

  // The owner writes as the person, to one agent and to everyone.
  await page.fill("#chat-to", "*");
  await page.fill("#chat-text", "hello team, from me");
  await page.click("#chat-send button[type=submit]");
  await waitFor("the person's message", () => page.locator("#chat-messages li.message.from-person .text", { hasText: "hello team, from me" }).count());
  await page.fill("#chat-to", "api, lead");
  await page.fill("#chat-text", "to two of you");
  await page.click("#chat-send button[type=submit]");
  const toTwo = page.locator("#chat-messages li.message.from-person", { hasText: "to two of you" });
  await waitFor("the message to a list", () => toTwo.count());
  assert.deepEqual(await toTwo.locator(".delivery").evaluateAll((items) => items.map((item) => item.getAttribute("data-agent")).sort()), ["api", "lead"]);
  const inbox = await asAgent("GET", "web", ["inbox"]);
  const mine = inbox.messages.find((m) => m.text === "hello team, from me");
  assert.ok(mine, "web got the person's message");
  assert.equal(mine.from, "@owner");
  report.checks.push("owner sends as the person");

  // ---- Tasks: the owner adds one; an agent's claim moves it live; the owner closes it ----
  await tab(page, "tasks");
  await page.fill("#task-title", "Ship the dashboard");
  await page.selectOption("#task-priority", "high");
  await page.click("#task-new button[type=submit]");
  const card = page.locator("#task-board li.task", { hasText: "Ship the dashboard" });
  await waitFor("the new task on the board", () => card.count());
  const taskId = await card.getAttribute("data-task");
  assert.equal(await page.getAttribute(`#task-board li[data-task="${taskId}"]`, "data-status"), "todo");
  await asAgent("POST", "api", ["tasks", taskId, "claim"], {});
  await waitFor("the claim on the board", async () =>
    (await page.locator(`#task-board section[data-status="in_progress"] li[data-task="${taskId}"]`).count()) === 1);
  await waitFor("the task on api's card", async () => {
    await tab(page, "agents");
    return (await page.textContent('#agent-cards [data-agent="api"] .current-task')).includes("Ship the dashboard");
  });
  await tab(page, "tasks");
  await page.click(`#task-board li[data-task="${taskId}"] button.edit`);
  await page.fill("#edit-title", "Ship the dashboard, v2");
  await page.selectOption("#edit-assignee", "web");
  await page.selectOption("#edit-status", "review");
  await saveDialog(page);
  await waitFor("the edit stored", async () => {
    const task = await ok("GET", mw("tasks", taskId), OWNER_KEY);
    return task.title === "Ship the dashboard, v2" && task.assignee === "web" && task.status === "review";
  });
  await waitFor("the card in its new column", () => page.locator(`#task-board section[data-status="review"] li[data-task="${taskId}"]`).count());
  await page.click(`#task-board li[data-task="${taskId}"] button.close-task`);
  await waitFor("closed", async () => (await ok("GET", mw("tasks", taskId), OWNER_KEY)).status === "done");
  report.checks.push("tasks: create, claim live, edit and reassign, close");

  // ---- Memory: an edit from the page is what the agent recalls; over the limit, the server says why ----
  await tab(page, "memory");
  await page.selectOption("#memory-agent", "api");
  await waitFor("api's memory", () => page.locator('#memory-entries li[data-key="goal"]').count());
  await page.click('#memory-entries li[data-key="goal"] button.edit');
  await page.fill("#edit-value", "ship on friday");
  await saveDialog(page);
  await waitFor("the edit stored", async () => (await asAgent("GET", "api", ["memory", "goal"])).value === "ship on friday");
  await page.fill("#memory-key", "big");
  await page.fill("#memory-value", "x".repeat(10241));
  await page.click("#memory-new button[type=submit]");
  await waitFor("the server's message", () => page.isVisible("#memory-error"));
  assert.match(await page.textContent("#memory-error"), /10,?240|10 KB|bytes/i);
  assert.equal((await asAgent("GET", "api", ["memory", "big"])).found, false, "nothing stored");
  assert.match(await page.textContent("#memory-limits"), /of 100 keys/);
  await page.fill("#memory-key", "bell\u0007key");
  await page.fill("#memory-value", "x");
  await page.click("#memory-new button[type=submit]");
  await waitFor("the server's message about the key", async () => /control/i.test(await page.textContent("#memory-error")));
  await page.click('#memory-entries li[data-key="goal"] button.delete');
  await waitFor("forgotten", async () => (await asAgent("GET", "api", ["memory", "goal"])).found === false);
  await page.fill("#scratchpad-key", "plan");
  await page.fill("#scratchpad-value", "dashboard first");
  await page.click("#scratchpad-new button[type=submit]");
  await waitFor("the scratchpad entry stored", async () => (await ok("GET", mw("scratchpad", "plan"), OWNER_KEY)).value === "dashboard first");
  await waitFor("the scratchpad entry shown", () => page.locator('#scratchpad-entries li[data-key="plan"]').count());
  // The 100-key limit: lead keeps 100 memories; one more from the page is refused with the server's message.
  await Promise.all(Array.from({ length: 100 }, (_, i) => asAgent("PUT", "lead", ["memory", `note-${i}`], { value: `n${i}` })));
  await page.selectOption("#memory-agent", "lead");
  await waitFor("lead's 100 memories", async () => /^100 of 100 keys/.test(await page.textContent("#memory-limits")));
  await page.fill("#memory-key", "one-more");
  await page.fill("#memory-value", "x");
  await page.click("#memory-new button[type=submit]");
  await waitFor("the limit's message", async () => (await page.isVisible("#memory-error")) && /100/.test(await page.textContent("#memory-error")));
  assert.equal((await asAgent("GET", "lead", ["memory", "one-more"])).found, false, "nothing stored");
  // The 100-key limit: lead keeps 100 memories; one more from the page is refused with the server's message.
  await Promise.all(Array.from({ length: 100 }, (_, i) => asAgent("PUT", "lead", ["memory", `note-${i}`], { value: `n${i}` })));
  await page.selectOption("#memory-agent", "lead");
  await waitFor("lead's 100 memories", async () => /^100 of 100 keys/.test(await page.textContent("#memory-limits")));
  await page.fill("#memory-key", "one-more");
  await page.fill("#memory-value", "x");
  await page.click("#memory-new button[type=submit]");
  await waitFor("the limit's message", async () => /100/.test(await page.textContent("#memory-error")) && await page.isVisible("#memory-error"));
  assert.equal((await asAgent("GET", "lead", ["memory", "one-more"])).found, false, "nothing stored");
  report.checks.push("memory edit, delete and scratchpad read back, limits refused with the server's message");

  // ---- Replay: the timeline, scrubbed and played, and a link to a moment ----
  await tab(page, "replay");
  await waitFor("the timeline", async () => Number(await page.getAttribute("#replay-scrub", "max")) > 5);
  await page.fill("#replay-scrub", "0");
  await page.dispatchEvent("#replay-scrub", "input");
  assert.ok((await page.locator("#replay-entries li.current").count()) === 1);
  assert.ok((await page.locator("#replay-chat li").count()) <= 1, "no messages yet at the first moment");
  await page.click("#replay-play-60");
  await waitFor("playing moves the moment", async () => Number(await page.inputValue("#replay-scrub")) > 0);
  await page.click("#replay-pause");
  const last = await page.getAttribute("#replay-scrub", "max");
  await page.fill("#replay-scrub", last);
  await page.dispatchEvent("#replay-scrub", "input");
  assert.ok((await page.locator("#replay-chat li").count()) >= 5, "the messages up to the last moment");
  // One agent's timeline: only what it did or what concerned it.
  const team = await page.textContent("#replay-count");
  await page.selectOption("#replay-agent", "evil");
  await page.click("#replay-load");
  await waitFor("evil's timeline", async () => (await page.textContent("#replay-count")) !== team && !/loading/.test(await page.textContent("#replay-count")));
  assert.ok(parseInt(await page.textContent("#replay-count"), 10) < parseInt(team, 10), "fewer entries than the team's");
  await page.selectOption("#replay-agent", "");
  await page.click("#replay-load");
  await waitFor("the team's timeline again", async () => parseInt(await page.textContent("#replay-count"), 10) >= parseInt(team, 10));
  // A link to a moment, pasted into the signed-in tab, opens that moment.
  await page.fill("#replay-scrub", "3");
  await page.dispatchEvent("#replay-scrub", "input");
  const moment = await page.textContent("#replay-time");
  await page.click("#replay-link");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#view=replay&project=/);
  await page.fill("#replay-scrub", last);
  await page.dispatchEvent("#replay-scrub", "input");
  await page.goto(link);
  await waitFor("the shared moment", async () => (await page.textContent("#replay-time")) === moment).catch(async (e) => {
    throw new Error(`${e.message}: ${moment} wanted, ${await page.textContent("#replay-time")} shown, link ${link}, `
      + `scrub ${await page.inputValue("#replay-scrub")}/${await page.getAttribute("#replay-scrub", "max")}, ${await page.textContent("#replay-count")}`);
  });
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1, "no reload");
  report.checks.push("replay");

  // ---- Screenshots of every panel at two sizes ----
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    for (const id of PANELS) {
      await tab(page, id);
      await page.waitForTimeout(150);
      await screenshot(page, `${id}-${width}x${height}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  report.checks.push("screenshots");

  // ---- the switcher: another of the owner's meshworks, and back ----
  await tab(page, "agents");
  const cards = () => page.$$eval("#agent-cards .card", (all) => all.map((card) => card.getAttribute("data-agent")).sort().join(","));
  const partner = (await page.$$eval("#meshwork option", (options) => options.map((o) => o.value))).find((name) => name.startsWith("partner-"));
  await page.selectOption("#meshwork", partner);
  await waitFor("the partner's team", async () => (await cards()) === "scout");
  await page.selectOption("#meshwork", PROJECT);
  await waitFor("the team again", async () => (await cards()) === "api,evil,lead,web");
  // Switched away and back before the first meshwork's panels are read: the last choice wins.
  await page.selectOption("#meshwork", partner);
  await page.selectOption("#meshwork", PROJECT);
  await page.waitForTimeout(1500);
  assert.equal(await cards(), "api,evil,lead,web");
  await ok("POST", mw("agents", "lead", "messages"), OWNER_KEY, { to: "api", text: "after the switches" });
  await tab(page, "chat");
  await waitFor("live after the switches", () => page.locator("#chat-messages .text", { hasText: "after the switches" }).count());
  report.checks.push("meshwork switcher");

  await asAgent("DELETE", "api", ["sessions", session.session_id]);
});
