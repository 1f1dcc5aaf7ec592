// Spectator links in a real headless chromium against the real mesh: the owner makes one on the
// page and copies it; the link opens the same dashboard read-only with no sign-in — no write
// controls, and the server refuses a write with its token — and when the owner revokes it, the
// open page stops updating and says so within seconds.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, the owner of PROJECT (agents api, evil, lead and web,
// api with a memory), with a message sent before.
import assert from "node:assert/strict";
import { runScript, screenshot, waitFor, timed } from "./browser.mjs";
import { required, api, ok, mw, tab, loaded, signInLink } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const PANELS = ["agents", "chat", "graph", "replay", "tasks", "memory"];
// What a spectator's page provokes on purpose: reading an agent's memory is refused (403).
const PRIVATE = /Failed to load resource: the server responded with a status of 403/;

await runScript(async ({ newPage, report }) => {
  const owner = await newPage({ width: 1280, height: 800 });
  await owner.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await owner.goto(await signInLink(OWNER_KEY));
  await loaded(owner);
  await tab(owner, "spectator");
  await owner.click("#spectator-new button[type=submit]");
  await waitFor("the new link", async () => (await owner.inputValue("#spectator-url")).includes("/watch/mc_spec_"));
  const url = await owner.inputValue("#spectator-url");
  await owner.click("#spectator-copy");
  assert.equal(await owner.evaluate(() => navigator.clipboard.readText()), url, "Copy puts the link on the clipboard");
  assert.equal(await owner.locator("#spectator-links li.link-active").count(), 1);
  report.checks.push("link made and copied");

  // ---- the link, in another browser: no sign-in, read-only ----
  const watcher = await newPage({ width: 1280, height: 800 });
  watcher.errors.allow(PRIVATE);
  await timed(report.timings, "watchOpen", async () => {
    await watcher.goto(url);
    await loaded(watcher);
  });
  assert.equal(await watcher.isVisible("#read-only"), true);
  assert.equal(await watcher.isVisible("#sign-out"), false);
  const token = decodeURIComponent(new URL(url).pathname.split("/").pop());
  const stored = await watcher.evaluate(() => [...Object.values(sessionStorage), ...Object.values(localStorage), document.cookie].join("\n"));
  assert.ok(!stored.includes(token) && !stored.includes("mc_"), "no credential in browser storage");
  const cards = await watcher.$$eval("#agent-cards .card", (all) => all.map((card) => card.getAttribute("data-agent")));
  assert.deepEqual(cards.sort(), ["api", "evil", "lead", "web"]);
  assert.equal(await watcher.locator("#tab-spectator").count(), 0);
  for (const id of PANELS) {
    await tab(watcher, id);
    await watcher.waitForTimeout(100);
    // Every write control: none visible. Buttons that only read (tabs, replay, copy, close) may stay.
    const writes = await watcher.$$eval(
      "#chat-send:not([hidden]), #task-new:not([hidden]), #memory-new:not([hidden]), #scratchpad-new:not([hidden]), #spectator-new, "
        + "button.reconnect, button.edit, button.delete, button.close-task, button.revoke",
      (found) => found.filter((node) => node.getClientRects().length > 0).map((node) => node.id || node.className));
    assert.deepEqual(writes, [], `no write controls on the ${id} panel`);
    await screenshot(watcher, `spectator-${id}-1280x800`);
  }
  assert.match(await watcher.textContent("#memory-entries"), /private/i);
  report.checks.push("read-only page, no write controls");

  // ---- the server refuses every write with the link's token ----
  const writes = [
    ["POST", mw(PROJECT, "messages"), { to: "api", text: "x" }],
    ["POST", mw(PROJECT, "agents", "api", "messages"), { to: "web", text: "x" }],
    ["POST", mw(PROJECT, "tasks"), { title: "x" }],
    ["PUT", mw(PROJECT, "scratchpad", "k"), { value: "x" }],
    ["PUT", mw(PROJECT, "agents", "api", "memory", "k"), { value: "x" }],
    ["POST", mw(PROJECT, "spectator-links"), {}],
    ["DELETE", mw(PROJECT, "agents", "web"), undefined],
  ];
  for (const [method, path, body] of writes) {
    const answer = await api(method, path, token, body);
    assert.equal(answer.status, 403, `${method} ${path} with a spectator token: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  report.checks.push("writes refused");

  // ---- live while it holds ----
  await tab(watcher, "chat");
  await ok("POST", mw(PROJECT, "agents", "api", "messages"), OWNER_KEY, { to: "web", text: "seen by the spectator" });
  await waitFor("the message on the spectator's page", () => watcher.locator("#chat-messages .text", { hasText: "seen by the spectator" }).count());
  report.checks.push("live");

  // A moment copied on the spectator page keeps the link's path: it opens there in any browser.
  await watcher.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await tab(watcher, "replay");
  await waitFor("the spectator's timeline", async () => !(await watcher.isDisabled("#replay-scrub")));
  await watcher.fill("#replay-scrub", "2");
  await watcher.dispatchEvent("#replay-scrub", "input");
  const moment = await watcher.textContent("#replay-time");
  await watcher.click("#replay-link");
  const momentLink = await watcher.evaluate(() => navigator.clipboard.readText());
  assert.ok(momentLink.startsWith(url + "#view=replay&"), momentLink);
  const shared = await newPage({ width: 1280, height: 800 });
  shared.errors.allow(PRIVATE);
  await shared.goto(momentLink);
  await loaded(shared);
  await waitFor("the shared moment on a fresh page", async () => (await shared.textContent("#replay-time")) === moment);
  assert.equal(await shared.getAttribute("#tab-replay", "aria-selected"), "true");
  await shared.close();
  report.checks.push("moment shared from the spectator page");

  // ---- revoked from the owner's page: the spectator's page stops and says so ----
  // A read the page makes between the revocation and the stream's end (its meshwork list, say) is
  // refused with 401, which the browser logs: expected from here on, whichever comes first.
  watcher.errors.allow(/status of 401/);
  await owner.click("#spectator-links li.link-active button.revoke");
  await timed(report.timings, "revokedShownMs", () =>
    waitFor("the revocation on the spectator's page", async () =>
      (await watcher.isVisible("#banner")) && /revoked/.test(await watcher.textContent("#banner")), 10000));
  assert.equal(await watcher.getAttribute("#live", "data-state"), "ended");
  await ok("POST", mw(PROJECT, "agents", "api", "messages"), OWNER_KEY, { to: "web", text: "after the revocation" });
  await watcher.waitForTimeout(1500);
  assert.equal(await watcher.locator("#chat-messages .text", { hasText: "after the revocation" }).count(), 0);
  await screenshot(watcher, "spectator-revoked-1280x800");
  report.checks.push("revoked: stops and says so");

  // The link opened afresh now says it does not hold.
  const late = await newPage({ width: 390, height: 844 });
  late.errors.allow(/status of 401/);
  await late.goto(url);
  await waitFor("the refusal", () => late.isVisible("#signed-out"));
  assert.match(await late.textContent("#signed-out-reason"), /spectator link does not hold/);
  assert.equal(await late.isVisible("#sign-in-hint"), false);
  report.checks.push("revoked link refused on open");
});
