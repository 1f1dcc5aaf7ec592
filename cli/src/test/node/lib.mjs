// What the dashboard's browser scripts share: reading their environment, calling the API as a
// team member would, and minting a sign-in link as `meshcode dashboard` does.
import assert from "node:assert/strict";
import { waitFor } from "./browser.mjs";

export function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

export const SERVER = required("MESHCODE_SERVER");

/** Calls the API: {status, body}. `headers` adds to the Authorization header. */
export async function api(method, path, key, body, headers = {}) {
  const response = await fetch(new URL(path, SERVER), {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A path under a meshwork, each segment encoded; a query string goes after, as is. */
export const mw = (project, ...segments) => ["/v1/meshworks", project, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join("/");

/** Calls the API and insists on success; answers the body. */
export async function ok(method, path, key, body) {
  const answer = await api(method, path, key, body);
  assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A one-time sign-in link for the key, as `meshcode dashboard` gets it. */
export async function signInLink(key) {
  return (await ok("POST", "/v1/tickets", key, {})).url;
}

/** Opens a panel by its tab and waits until it shows. */
export async function tab(page, id) {
  await page.click(`#tab-${id}`);
  await waitFor(`panel ${id}`, () => page.locator(`#panel-${id}`).isVisible());
}

/** Waits until the page read its meshwork's panels. */
export async function loaded(page) {
  await waitFor("the panels loaded", () => page.getAttribute("body", "data-loaded"));
}
