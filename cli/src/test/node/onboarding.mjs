// The onboarding checklist in a real headless chromium against the real mesh: a new owner's page
// shows four steps, and each ticks as it happens — the CLI's first call, the first agent online,
// the first message — with no reload; once done it can be hidden and reopened.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, a new owner whose one meshwork PROJECT has an agent
// "first" that never came online.
import assert from "node:assert/strict";
import { runScript, screenshot, waitFor } from "./browser.mjs";
import { required, ok, mw, loaded, signInLink } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");

const done = (page, step) => page.getAttribute(`#onboarding-steps [data-step="${step}"]`, "data-done");

await runScript(async ({ newPage, report }) => {
  const page = await newPage({ width: 1280, height: 800 });
  await page.goto(await signInLink(OWNER_KEY));
  await loaded(page);
  await waitFor("the checklist", () => page.isVisible("#onboarding"));
  assert.equal(await done(page, "key"), "true");
  assert.equal(await done(page, "cli"), "false");
  assert.equal(await done(page, "agent"), "false");
  assert.equal(await done(page, "message"), "false");
  assert.match(await page.textContent('#onboarding-steps [data-step="cli"]'), /meshcode login/);
  await screenshot(page, "onboarding-1280x800");
  report.checks.push("four steps, one done");

  // The CLI's first call (meshcode login checks the key with GET /v1/me).
  const me = await fetch(new URL("/v1/me", process.env.MESHCODE_SERVER), { headers: { Authorization: `Bearer ${OWNER_KEY}`, "User-Agent": "meshcode-cli" } });
  assert.equal(me.status, 200);
  await waitFor("CLI logged in ticks", async () => (await done(page, "cli")) === "true", 15000);
  report.checks.push("cli ticks");

  await ok("POST", mw(PROJECT, "agents", "first", "sessions"), OWNER_KEY, { client: "claude-code" });
  await waitFor("first agent online ticks", async () => (await done(page, "agent")) === "true");
  report.checks.push("agent ticks");

  await ok("POST", mw(PROJECT, "messages"), OWNER_KEY, { to: "first", text: "welcome" });
  await waitFor("first message ticks", async () => (await done(page, "message")) === "true");
  assert.match(await page.textContent("#onboarding-title"), /All set/);
  report.checks.push("message ticks");

  await page.click("#close-onboarding");
  assert.equal(await page.isVisible("#onboarding"), false);
  await page.click("#open-onboarding");
  assert.equal(await page.isVisible("#onboarding"), true);
  report.checks.push("hidden and reopened");

  // Opened again when everything is done, it starts hidden, and can be reopened.
  const again = await newPage({ width: 390, height: 844 });
  await again.goto(await signInLink(OWNER_KEY));
  await loaded(again);
  await again.waitForTimeout(300);
  assert.equal(await again.isVisible("#onboarding"), false);
  assert.equal(await again.isVisible("#open-onboarding"), true);
  report.checks.push("done: hidden until reopened");

  // A meshwork made elsewhere (meshcode go) joins the switcher with no reload.
  const later = `${PROJECT}-later`;
  await ok("POST", "/v1/meshworks", OWNER_KEY, { name: later });
  await waitFor("the new meshwork in the switcher", () => again.locator(`#meshwork option[value="${later}"]`).count(), 25000);
  report.checks.push("new meshwork listed");
});
