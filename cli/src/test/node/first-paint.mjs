// How fast the dashboard opens on a large meshwork, in a real headless chromium against the real
// mesh: from navigation to the first complete paint — every agent's card, the graph's nodes and
// the last 50 messages — RUNS times, each in a fresh page signed in afresh. The numbers go in the
// report (docs/PERFORMANCE.md records them); the script also checks the page is complete and its
// own files' size.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, the owner of PROJECT, with AGENTS agents and many
// messages; RUNS (default 5).
import assert from "node:assert/strict";
import { runScript, screenshot, pageTimings, waitFor } from "./browser.mjs";
import { required, signInLink, tab, loaded } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PROJECT = required("PROJECT");
const AGENTS = Number(required("AGENTS"));
const RUNS = Number(process.env.RUNS || 5);

await runScript(async ({ newPage, report }) => {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await newPage({ width: 1280, height: 800 });
    await page.goto(await signInLink(OWNER_KEY) + "&project=" + encodeURIComponent(PROJECT));
    // Complete: the cards, the graph's nodes and 50 messages are in the page, then painted.
    const paintedAt = await page.evaluate((agents) => new Promise((resolve) => {
      const complete = () => document.querySelectorAll("#agent-cards .card").length === agents
        && document.querySelectorAll("#graph g.node").length === agents
        && document.querySelectorAll("#chat-messages li.message").length >= 50;
      const check = () => (complete() ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(check, 5));
      check();
    }), AGENTS);
    await loaded(page);
    const timings = await pageTimings(page);
    // The page's own files, however they were fetched (a module preload is not a "script").
    timings.ownBytes = await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((entry) => new URL(entry.name).pathname.includes("/dashboard/"))
      .reduce((sum, entry) => sum + entry.decodedBodySize, performance.getEntriesByType("navigation")[0].decodedBodySize));
    runs.push({ completeMs: Math.round(paintedAt), loadMs: Number(await page.getAttribute("body", "data-load-ms")), ...timings });
    if (run === 0) {
      await screenshot(page, "first-paint-1280x800");
    }
    await page.close();
  }
  const complete = runs.map((r) => r.completeMs).sort((a, b) => a - b);
  report.firstPaint = { runs: runs.map((r) => r.completeMs), medianMs: complete[Math.floor(complete.length / 2)], panelsMs: runs.map((r) => r.loadMs) };
  report.bytes = runs[0].bytes;
  report.ownBytes = runs[0].ownBytes;
  assert.ok(runs[0].ownBytes > 50 * 1024, `every file of the page counted: ${runs[0].ownBytes} bytes`);
  assert.ok(runs[0].ownBytes < 300 * 1024, `the page's HTML, JavaScript and CSS: ${runs[0].ownBytes} bytes`);
  report.checks.push("complete paint measured");

  // Scrolled to the top, the chat pages older messages back in.
  const page = await newPage({ width: 1280, height: 800 });
  await page.goto(await signInLink(OWNER_KEY) + "&project=" + encodeURIComponent(PROJECT));
  await loaded(page);
  await tab(page, "chat");
  const shown = () => page.locator("#chat-messages li.message").count();
  const first = await shown();
  await page.evaluate(() => {
    document.getElementById("chat-log").scrollTop = 0;
  });
  await waitFor("older messages", async () => (await shown()) >= first + 50);
  assert.equal(await page.isVisible("#chat-older"), true, "a button pages back too, for the keyboard");
  report.checks.push("paged back on scroll");
});
