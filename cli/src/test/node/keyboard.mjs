// The dashboard with the keyboard only, in a real headless chromium: the tabs move with the arrow
// keys, Tab reaches every control of every panel, the focused control is visibly outlined, a
// dialog opens with Enter and closes with Escape, giving focus back. Every control is labelled.
//
// Environment: MESHCODE_SERVER; OWNER_KEY, the owner of PROJECT (agents with one offline, tasks,
// memories and messages made before).
import assert from "node:assert/strict";
import { runScript, waitFor } from "./browser.mjs";
import { required, loaded, signInLink } from "./lib.mjs";

const OWNER_KEY = required("OWNER_KEY");
const PANELS = ["agents", "chat", "graph", "replay", "tasks", "memory", "spectator"];
const CONTROLS = "button, input, select, textarea, summary, a[href], [tabindex]:not([tabindex='-1'])";

await runScript(async ({ newPage, report }) => {
  const page = await newPage({ width: 1280, height: 800 });
  await page.goto(await signInLink(OWNER_KEY));
  await loaded(page);
  await page.click("#close-onboarding").catch(() => {});

  // Labels: every form control has an accessible name.
  const unlabelled = await page.$$eval("input, select, textarea", (controls) => controls
    .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby"))
    .map((c) => c.id || c.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, [], "labelled controls");

  const reached = new Set();
  await page.focus("#tab-agents");
  for (const id of PANELS) {
    if (id !== "agents") {
      await page.keyboard.press("ArrowRight");
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), `tab-${id}`, `the arrow keys move to ${id}`);
    assert.equal(await page.isVisible(`#panel-${id}`), true);
    if (id === "replay") {
      await waitFor("the timeline", async () => !(await page.isDisabled("#replay-scrub")));
    }
    // Tab through the page until focus comes back to this tab: everything visible on the way counts.
    for (let presses = 0; presses < 400; presses++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) {
          return null;
        }
        el.setAttribute("data-kb", "1");
        const style = getComputedStyle(el);
        return { id: el.id, outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 };
      });
      if (focused && !focused.outline) {
        throw new Error(`no visible focus on ${focused.id || "an element"} in the ${id} panel`);
      }
      if (focused && focused.id === `tab-${id}`) {
        break;
      }
    }
    const missed = await page.$$eval(CONTROLS, (all) => all
      .filter((el) => el.getClientRects().length > 0 && !el.disabled && !el.closest("[hidden], dialog") && el.getAttribute("role") !== "tab")
      .filter((el) => !el.hasAttribute("data-kb"))
      .map((el) => el.id || el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40)));
    assert.deepEqual(missed, [], `every control of the ${id} panel reached with Tab`);
    reached.add(id);
    await page.focus(`#tab-${id}`);
  }
  report.checks.push("every control reached, focus visible");

  // A dialog: Enter opens it, Escape closes it, and focus goes back to the button.
  await page.focus("#tab-agents");
  await page.keyboard.press("Enter");
  const reconnect = page.locator("#agent-cards button.reconnect").first();
  await reconnect.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.isVisible("#dialog"), true);
  assert.match(await page.inputValue("#reconnect-command"), /^meshcode run /);
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible("#dialog"), false);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("reconnect")), true);
  report.checks.push("dialog by keyboard");
  report.panels = [...reached];
});
