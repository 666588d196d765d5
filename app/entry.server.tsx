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

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const appBridgeScript = getConfig().APP_BRIDGE_SCRIPT_URL;
  // The library always preloads App Bridge from Shopify's CDN; offline we serve it elsewhere.
  if (appBridgeScript) responseHeaders.set("Link", `<${appBridgeScript}>; rel="preload"; as="script";`);

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
