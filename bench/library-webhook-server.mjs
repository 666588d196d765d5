// The library's floor for bench/webhooks.ts: a bare Node HTTP server that hands each webhook to
// @shopify/shopify-api's own validation (what `authenticate.webhook` runs first: the headers
// normalised, the HMAC through WebCrypto), with the X-Shopify-* headers a webhook carries, and
// answers 200 (401 when invalid). No session is loaded and nothing is stored.
// The web-api adapter, as the app uses (shopify-app-remix hands the library web Requests).
import "@shopify/shopify-api/adapters/web-api";
import http from "node:http";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";

const api = shopifyApi({
  apiKey: "bench", apiSecretKey: process.env.SECRET, apiVersion: ApiVersion.October26, hostName: "127.0.0.1", isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (name.startsWith("x-shopify-")) headers.set(name, String(value));
    const rawRequest = new Request(`http://127.0.0.1${request.url}`, { method: "POST", headers, body: rawBody });
    const check = await api.webhooks.validate({ rawBody, rawRequest });
    if (!check.valid && process.env.DEBUG_WEBHOOK) console.error(check);
    response.writeHead(check.valid ? 200 : 401).end();
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
