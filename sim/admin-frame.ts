import fs from "node:fs";
import path from "node:path";
import { adminHostParam, signSessionToken } from "./session-token";

export type AppRegistration = { apiKey: string; apiSecret: string; appUrl: string; handle: string };

export const appBridgeStandIn = fs.readFileSync(path.join(import.meta.dirname, "public/app-bridge.js"), "utf8");

const escapeHtml = (text: string) =>
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

/** A minimal admin chrome around the app iframe; answers the stand-in's requests for fresh session tokens. */
export function adminFramePage(app: AppRegistration, shop: string, locale: string, page: { path?: string; query?: Record<string, string> } = {}): string {
  const src = embeddedAppUrl(app, shop, { locale, ...page });
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
</style>
</head>
<body>
<header><strong>${escapeHtml(shop)}</strong><span>Apps › ${escapeHtml(app.handle)}</span><nav id="app-nav" aria-label="App navigation"></nav><span style="margin-left:auto;opacity:.7">Shopify admin simulator</span></header>
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
