// The Spectator panel (owners): public read-only links to the meshwork. A link's token is shown
// once, when it is made (only its hash is kept), so it is copied then; any link can be revoked,
// and pages open on it stop updating within seconds (the stream closes them, docs/STREAM.md).
import { $, el, api, mw, showError, copyText } from "./core.js";

export function createSpectator(ctx) {
  $("spectator-new").addEventListener("submit", async (event) => {
    event.preventDefault();
    showError($("spectator-error"), null);
    try {
      const link = await api("POST", mw(ctx.meshwork, "spectator-links"), {});
      $("spectator-url").value = link.url;
      $("spectator-created").hidden = false;
      $("spectator-url").focus();
      await load();
    } catch (e) {
      showError($("spectator-error"), e);
    }
  });
  $("spectator-copy").addEventListener("click", async () => {
    const copied = await copyText($("spectator-url").value, $("spectator-url"));
    $("spectator-copy").textContent = copied ? "Copied" : "Press Ctrl-C";
  });

  async function load() {
    if (!ctx.isOwner) {
      return;
    }
    const answer = await api("GET", mw(ctx.meshwork, "spectator-links"));
    const links = answer.spectator_links || [];
    $("spectator-links").replaceChildren(...(links.length ? links.map(row) : [el("li", { class: "muted", text: "No spectator links." })]));
  }

  function row(link) {
    const state = link.revoked ? "revoked" : link.expires_at && new Date(link.expires_at) < new Date() ? "expired" : "active";
    return el("li", { class: "entry link-" + state, "data-link": link.id },
      el("span", { text: "Link made " + new Date(link.created_at).toLocaleString() }),
      el("span", { class: "badge", text: state }),
      el("span", { class: "muted", text: link.expires_at ? "until " + new Date(link.expires_at).toLocaleString() : "no expiry" }),
      state === "active"
        ? el("button", { type: "button", class: "revoke", "aria-label": "Revoke the link made " + new Date(link.created_at).toLocaleString(), onclick: () => revoke(link.id) }, "Revoke")
        : null);
  }

  async function revoke(id) {
    showError($("spectator-error"), null);
    try {
      await api("DELETE", mw(ctx.meshwork, "spectator-links", id));
      $("spectator-created").hidden = true;
      await load();
    } catch (e) {
      showError($("spectator-error"), e);
    }
  }

  return { load };
}
