// The real browser the dashboard tests drive: Debian's chromium (never a browser of Playwright's
// own), headless, through playwright-core. A test script is
//
//   import { runScript } from "./browser.mjs";
//   await runScript(async ({ newPage, report }) => {
//     const page = await newPage({ width: 1280, height: 800 });
//     await page.goto(url);
//     ...assertions (node:assert), screenshot(page, "agents-1280"), report.checks.push("...")
//   });
//
// runScript launches chromium, records every page's console errors, uncaught errors and CSP
// violations (any one fails the script, unless a page declared it expected with allow()), closes
// the browser whatever happens, and prints the report as one JSON line, the last on stdout, for the
// Java side (BrowserScript) to assert on. It exits 1 on any failure, after a screenshot of each
// open page named failure-N.
//
// Environment: CHROMIUM, the browser binary (default /usr/bin/chromium); SCREENSHOTS, the folder
// for screenshots (default ./screenshots).
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Root has no sandbox; the machine has no GPU; /dev/shm may be small; the network is closed, so
// nothing in the background may try to reach out.
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Launches chromium: {browser, launchMs, pages, newPage({width, height}), close()}. Each page has its own context (storage). */
export async function openBrowser() {
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
  const launchMs = Math.round(performance.now() - started);
  const pages = [];
  return {
    browser,
    launchMs,
    pages,
    /** A page in a fresh context, of this viewport, with collectErrors(page) already attached (page.errors). */
    async newPage({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await collectErrors(page);
      pages.push(page);
      return page;
    },
    close: () => browser.close(),
  };
}

/**
 * Records on page.errors every console error, uncaught page error and Content-Security-Policy
 * violation. page.errors.allow(regexp) declares a matching error expected (for example the
 * browser's "Failed to load resource: … 401" when a test makes the page send a refused request);
 * page.errors.unexpected() lists the others. Pages from newPage() have it already; await it
 * before the page loads anything.
 */
export async function collectErrors(page) {
  if (page.errors) {
    return page.errors;
  }
  const list = [];
  const allowed = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location()?.url;
      list.push(`console: ${message.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (error) => list.push(`page error: ${error.stack || error.message}`));
  // Chromium also logs a violation on the console; the event names the directive and what it blocked.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.errors = {
    list,
    allow(regexp) {
      allowed.push(regexp);
    },
    unexpected: () => list.filter((error) => !allowed.some((regexp) => regexp.test(error))),
  };
  return page.errors;
}

/** Saves a PNG of the page's viewport as SCREENSHOTS/name.png; answers its path. */
export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOTS || "screenshots";
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs fn and records how long it took, in whole milliseconds, as timings[name]; answers what fn answered. */
export async function timed(timings, name, fn) {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/** The page's own measurements: navigation and first paints (ms from navigation start), and the bytes of each kind of resource it loaded (decoded). */
export async function pageTimings(page) {
  return page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paints = Object.fromEntries(performance.getEntriesByType("paint").map((entry) => [entry.name, Math.round(entry.startTime)]));
    const bytes = {};
    for (const entry of [navigation, ...performance.getEntriesByType("resource")]) {
      const kind = entry === navigation ? "document" : entry.initiatorType;
      bytes[kind] = (bytes[kind] ?? 0) + entry.decodedBodySize;
    }
    return {
      domContentLoaded: navigation ? Math.round(navigation.domContentLoadedEventEnd) : null,
      load: navigation ? Math.round(navigation.loadEventEnd) : null,
      firstPaint: paints["first-paint"] ?? null,
      firstContentfulPaint: paints["first-contentful-paint"] ?? null,
      bytes,
    };
  });
}

/** Polls condition() (sync or async) every 50 ms until it answers something truthy, which it answers; throws naming what after timeoutMs. */
export async function waitFor(what, condition, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Opens the browser, runs main({browser, newPage, report}), then fails on any page's unexpected
 * errors. report starts as {checks: [], timings: {launchMs}}; main adds to it, and runScript adds
 * expectedErrors, the errors pages logged that they had allow()ed. Prints the report
 * as the last line of stdout and exits 0, or prints the failure on stderr and exits 1. The
 * browser is closed in every case.
 */
export async function runScript(main) {
  let handle;
  let failed = false;
  const report = { checks: [], timings: {} };
  try {
    handle = await openBrowser();
    report.timings.launchMs = handle.launchMs;
    await main({ browser: handle.browser, newPage: handle.newPage, report });
    const errors = handle.pages.flatMap((page) => page.errors.unexpected());
    report.expectedErrors = handle.pages.flatMap((page) => page.errors.list.filter((error) => !errors.includes(error)));
    if (errors.length > 0) {
      throw new Error(`the page reported ${errors.length} error(s):\n  ${errors.join("\n  ")}`);
    }
  } catch (error) {
    failed = true;
    console.error(error?.stack || String(error));
    for (const [index, page] of (handle?.pages ?? []).entries()) {
      if (!page.isClosed()) {
        await screenshot(page, `failure-${index + 1}`).then((file) => console.error(`screenshot: ${file}`), () => {});
      }
      if (page.errors.list.length > 0) {
        console.error(`page ${index + 1} errors:\n  ${page.errors.list.join("\n  ")}`);
      }
    }
  } finally {
    await handle?.close().catch((error) => console.error(`closing the browser: ${error}`));
  }
  if (failed) {
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify(report));
  }
}
