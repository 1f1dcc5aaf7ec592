// The dashboard under a broken connection and a burst, in a real headless chromium against the
// real mesh. A dropped stream shows a banner, reconnects by itself and resumes after the last
// entry it had: a message sent while it was down shows once, with no reload. Then a burst of
// messages at BURST_RATE per second for BURST_SECONDS: the page keeps answering (the gaps between
// its animation frames and its long tasks, measured inside the page all along), keeps a bounded
// history, and shows the newest message at the end.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, the owner of PROJECT (agents api and web); BURST_RATE
// (default 200), BURST_SECONDS (default 60).
import assert from "node:assert/strict";
import { runScript, screenshot, waitFor } from "./browser.mjs";
import { required, ok, api, mw, tab, loaded, signInLink } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const RATE = Number(process.env.BURST_RATE || 200);
const SECONDS = Number(process.env.BURST_SECONDS || 60);
const MAX_MESSAGES_SHOWN = 400;

const percentile = (values, p) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

await runScript(async ({ newPage, report }) => {
  const page = await newPage({ width: 1280, height: 800 });
  // Keeps the page's sockets reachable, to drop one as a network would; measures its frames.
  await page.addInitScript(() => {
    window.__frames = { gaps: [], longTasks: 0, longTaskMs: 0, on: false, last: 0 };
    const frame = (now) => {
      const f = window.__frames;
      if (f.on && f.last) {
        f.gaps.push(now - f.last);
      }
      f.last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => list.getEntries().forEach((task) => {
      if (window.__frames.on) {
        window.__frames.longTasks++;
        window.__frames.longTaskMs += task.duration;
      }
    })).observe({ type: "longtask", buffered: false });
    const Native = window.WebSocket;
    window.__sockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        window.__sockets.push(this);
      }
    };
  });
  await page.goto(await signInLink(OWNER_KEY));
  await loaded(page);
  await tab(page, "chat");
  await waitFor("live", async () => (await page.getAttribute("#live", "data-state")) === "live");

  // ---- dropped: the banner, the message sent meanwhile, shown once after the resume ----
  await page.evaluate(() => window.__sockets.at(-1).close());
  await waitFor("the banner", () => page.isVisible("#banner"));
  assert.match(await page.textContent("#banner"), /Disconnected/);
  assert.equal(await page.isVisible("#banner-retry"), true);
  await screenshot(page, "disconnected-1280x800");
  const missed = await ok("POST", mw(PROJECT, "agents", "api", "messages"), OWNER_KEY, { to: "web", text: "sent while the page was away" });
  await waitFor("reconnected", async () => (await page.getAttribute("#live", "data-state")) === "live", 15000);
  await waitFor("the missed message", () => page.locator(`#chat-messages li[data-id="${missed.id}"]`).count());
  assert.equal(await page.isVisible("#banner"), false);
  await page.waitForTimeout(500);
  assert.equal(await page.locator(`#chat-messages li[data-id="${missed.id}"]`).count(), 1, "shown once");
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1, "no reload");
  report.checks.push("disconnected banner, resumed without a gap");

  // ---- the burst ----
  await page.evaluate(() => {
    window.__frames.on = true;
  });
  const started = performance.now();
  let sent = 0;
  let failed = 0;
  const inFlight = new Set();
  for (let second = 0; second < SECONDS; second++) {
    const tick = performance.now();
    for (let i = 0; i < RATE; i++) {
      const k = sent++;
      const send = api("POST", mw(PROJECT, "agents", k % 2 ? "api" : "web", "messages"), OWNER_KEY,
        { to: k % 2 ? "web" : "api", text: `burst ${k}` }).then((answer) => {
        if (answer.status !== 201) {
          failed++;
        }
      }, () => failed++).finally(() => inFlight.delete(send));
      inFlight.add(send);
      if (inFlight.size >= 64) {
        await Promise.race(inFlight);
      }
    }
    const wait = 1000 - (performance.now() - tick);
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await waitFor("the last burst message", () => page.locator("#chat-messages .text", { hasText: `burst ${sent - 1}` }).count(), 60000);
  const frames = await page.evaluate(() => {
    window.__frames.on = false;
    return window.__frames;
  });
  const shown = await page.locator("#chat-messages li.message").count();
  const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : null));
  const clickStarted = performance.now();
  await tab(page, "agents");
  const tabMs = performance.now() - clickStarted;
  report.burst = {
    sent, failed, seconds: Math.round(seconds * 10) / 10, rate: Math.round(sent / seconds),
    frameGapMs: { median: Math.round(percentile(frames.gaps, 0.5)), p95: Math.round(percentile(frames.gaps, 0.95)), max: Math.round(Math.max(...frames.gaps)), frames: frames.gaps.length },
    longTasks: frames.longTasks, longTaskMs: Math.round(frames.longTaskMs),
    messagesShown: shown, heapMB: heap ? Math.round(heap / 1048576) : null, tabSwitchMs: Math.round(tabMs)
  };
  assert.equal(failed, 0, "every burst message accepted");
  assert.ok(shown <= MAX_MESSAGES_SHOWN, `a bounded history: ${shown} messages in the page`);
  assert.ok(percentile(frames.gaps, 0.95) < 250, `frames kept coming (p95 gap ${percentile(frames.gaps, 0.95)} ms)`);
  assert.ok(tabMs < 2000, `a tab opens during the burst's aftermath in ${tabMs} ms`);
  await screenshot(page, "after-burst-1280x800");
  report.checks.push("burst: responsive, bounded");
});
