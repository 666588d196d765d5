import type { ActionFunction, ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * Webhooks straight to their route's action. The app receives them by the thousand (every write
 * Tandem makes in a dependent comes back as one), and Remix's request handler ranked the routes and
 * converted each request and response through web streams: a fifth of the app's CPU during a Sync
 * all (commit d4607c3). A webhook route is a resource route with a fixed path and an action,
 * so it needs none of that; anything else under /webhooks/ (a path with no such route) goes on to
 * Remix as before. What the action answers or throws as a Response is sent as it is; any other
 * error is logged and answered 500, as Remix does.
 */
export function webhookActionHandler(build: ServerBuild) {
  const actions = new Map<string, ActionFunction>();
  for (const [id, route] of Object.entries(build.routes)) {
    const action = route.module.action;
    if (!id.startsWith("routes/webhooks.") || !action || !route.path || /[:*?]/.test(route.path)) continue;
    actions.set(`/${route.path}`, action);
  }
  const handleError = build.entry.module.handleError;

  return (request: ExpressRequest, response: ExpressResponse, next: NextFunction) => {
    const action = actions.get(request.path);
    if (!action) return next();
    void answer(action, request, response).catch(next);
  };

  async function answer(action: ActionFunction, request: ExpressRequest, response: ExpressResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (let i = 0; i < request.rawHeaders.length; i += 2) headers.append(request.rawHeaders[i], request.rawHeaders[i + 1]);
    const webRequest = new Request(`http://${request.headers.host ?? "localhost"}${request.originalUrl}`, { method: "POST", headers, body: Buffer.concat(chunks) });
    let answered: Response;
    try {
      const result = await action({ request: webRequest, params: {}, context: {} });
      answered = isResponse(result) ? result : Response.json(result);
    } catch (thrown) {
      if (isResponse(thrown)) {
        answered = thrown;
      } else {
        if (handleError) handleError(thrown, { request: webRequest, params: {}, context: {} });
        else console.error(thrown);
        answered = new Response("Unexpected Server Error", { status: 500 });
      }
    }
    response.status(answered.status);
    answered.headers.forEach((value, name) => response.append(name, value));
    response.end(Buffer.from(await answered.arrayBuffer()));
  }
}

/** As Remix tells a Response: by its shape, so one from another copy of the fetch classes counts too. */
function isResponse(value: unknown): value is Response {
  const candidate = value as Response | null;
  return candidate != null && typeof candidate.status === "number" && typeof candidate.headers?.get === "function" && typeof candidate.arrayBuffer === "function";
}
