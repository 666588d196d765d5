import fs from "node:fs";
import path from "node:path";
import { adminHostParam, signSessionToken } from "./session-token";

export type AppRegistration = { apiKey: string; apiSecret: string; appUrl: string; handle: string };

export const appBridgeStandIn = fs.readFileSync(path.join(import.meta.dirname, "public/app-bridge.js"), "utf8");

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

/** The URL Shopify's admin loads in the app iframe: embedded=1, shop, host, locale and a fresh id_token. */
export function embeddedAppUrl(app: AppRegistration, shop: string, { path: appPath = "/app", locale = "en", query = {} as Record<string, string> } = {}) {
  const url = new URL(appPath, app.appUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHostParam(shop));
  url.searchParams.set("locale", locale);
  url.searchParams.set("id_token", signSessionToken({ shop, apiKey: app.apiKey, apiSecret: app.apiSecret }));
  return url.toString();
}

/** The save bar's words in the admin's language (Shopify's own; English where this list has none). */
const SAVE_BAR_WORDS: Record<string, { unsaved: string; discard: string; save: string }> = {
  en: { unsaved: "Unsaved changes", discard: "Discard", save: "Save" },
  fr: { unsaved: "Modifications non enregistrées", discard: "Ignorer", save: "Enregistrer" },
};

/** A minimal admin chrome around the app iframe: the app's navigation and App Bridge's save bar; answers the stand-in's requests for fresh session tokens. */
export function adminFramePage(app: AppRegistration, shop: string, locale: string, page: { path?: string; query?: Record<string, string> } = {}): string {
  const src = embeddedAppUrl(app, shop, { locale, ...page });
  const words = SAVE_BAR_WORDS[locale.split("-")[0]] ?? SAVE_BAR_WORDS.en;
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${escapeHtml(shop)} · Shopify admin (simulator)</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; background: #ebebeb; display: flex; flex-direction: column; height: 100vh; }
  header { background: #1a1a1a; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: center; }
  header strong { font-weight: 600; }
  #app-nav { display: flex; gap: 12px; }
  #app-nav button { background: none; border: 0; color: #fff; font: inherit; cursor: pointer; padding: 2px 6px; border-radius: 6px; }
  #app-nav button[aria-current="page"] { background: #404040; }
  iframe { flex: 1; border: 0; background: #f1f1f1; }
  #save-bar { display: none; gap: 8px; align-items: center; margin-left: 16px; }
  #save-bar.shown { display: flex; }
  #save-bar button { font: inherit; border-radius: 8px; padding: 4px 12px; cursor: pointer; border: 1px solid #8a8a8a; background: #303030; color: #fff; }
  #save-bar button.primary { background: #fff; color: #1a1a1a; }
</style>
</head>
<body>
<header><strong>${escapeHtml(shop)}</strong><span>Apps › ${escapeHtml(app.handle)}</span><nav id="app-nav" aria-label="App navigation"></nav><div id="save-bar" role="region" aria-label="${escapeHtml(words.unsaved)}"><span>${escapeHtml(words.unsaved)}</span><button type="button" data-action="discard">${escapeHtml(words.discard)}</button><button type="button" class="primary" data-action="save">${escapeHtml(words.save)}</button></div><span style="margin-left:auto;opacity:.7">Shopify admin simulator</span></header>
<iframe id="app-frame" title="${escapeHtml(app.handle)}" src="${escapeHtml(src)}"></iframe>
<script>
  const frame = document.getElementById("app-frame");
  const nav = document.getElementById("app-nav");
  window.addEventListener("message", (event) => {
    if (!event.data || event.data.type !== "tandem-sim:nav-menu") return;
    nav.replaceChildren(...event.data.links.map((link) => {
      const button = document.createElement("button");
      button.textContent = link.label;
      if (link.href === event.data.path) button.setAttribute("aria-current", "page");
      button.addEventListener("click", () => frame.contentWindow.postMessage({ type: "tandem-sim:navigate", href: link.href }, "*"));
      return button;
    }));
  });
  // App Bridge's save bar: shown while the app reports unsaved changes; its buttons answer the app.
  const saveBar = document.getElementById("save-bar");
  window.addEventListener("message", (event) => {
    if (!event.data || event.data.type !== "tandem-sim:save-bar") return;
    saveBar.classList.toggle("shown", Boolean(event.data.visible));
  });
  for (const button of saveBar.querySelectorAll("button")) {
    button.addEventListener("click", () => frame.contentWindow.postMessage({ type: "tandem-sim:save-bar-action", action: button.dataset.action }, "*"));
  }
  window.addEventListener("message", async (event) => {
    if (!event.data || event.data.type !== "tandem-sim:request-id-token") return;
    const appBase = location.pathname.match(/^\\/admin\\/[^/]+\\/apps\\/[^/]+/)[0];
    const response = await fetch(appBase + "/session-token");
    const { token } = await response.json();
    event.source.postMessage({ type: "tandem-sim:id-token", id: event.data.id, token }, event.origin);
  });
</script>
</body>
</html>`;
}
