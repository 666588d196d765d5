import type { NextFunction, Request, Response } from "express";

/**
 * The largest request body the server reads: Shopify's webhooks and the admin's forms are far below
 * it. A bigger body is refused before anything reads it. Browsers and Shopify always declare a
 * body's length, so a body without one (chunked) is refused too rather than counted as it streams.
 */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function limitRequestBodies(maxBytes = MAX_BODY_BYTES) {
  return (request: Request, response: Response, next: NextFunction) => {
    const length = request.headers["content-length"];
    if (length === undefined && request.headers["transfer-encoding"]) {
      response.status(411).type("text/plain").send("A request body must declare its length (Content-Length)");
      return;
    }
    if (Number(length ?? 0) > maxBytes) {
      response.status(413).type("text/plain").send(`Request body too large (the limit is ${maxBytes} bytes)`);
      return;
    }
    next();
  };
}
