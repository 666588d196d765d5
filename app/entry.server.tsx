import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { getConfig } from "./config.server";
import { logger } from "./logger.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

/**
 * In the sandbox and tests the admin frame and App Bridge come from the simulator, not Shopify:
 * let the simulator frame the app and preload the stand-in instead of the CDN script.
 */
function allowOfflineShopifyOrigins(headers: Headers) {
  const { APP_BRIDGE_SCRIPT_URL, SHOPIFY_ADMIN_API_ORIGIN } = getConfig();
  if (APP_BRIDGE_SCRIPT_URL) headers.set("Link", `<${APP_BRIDGE_SCRIPT_URL}>; rel="preload"; as="script";`);
  const policy = headers.get("Content-Security-Policy");
  if (SHOPIFY_ADMIN_API_ORIGIN && policy?.includes("frame-ancestors")) {
    const adminOrigin = new URL(SHOPIFY_ADMIN_API_ORIGIN).origin;
    headers.set("Content-Security-Policy", policy.replace("frame-ancestors", `frame-ancestors ${adminOrigin}`));
  }
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowOfflineShopifyOrigins(responseHeaders);

  const userAgent = request.headers.get("user-agent") ?? "";
  const readyEvent = isbot(userAgent) ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [readyEvent]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        logger.error({ err: error, url: request.url }, "render failed");
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
