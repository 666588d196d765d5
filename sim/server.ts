import http from "node:http";
import type { AddressInfo } from "node:net";
import { adminFramePage, appBridgeStandIn, type AppRegistration } from "./admin-frame";
import { HttpError, sendJson, sendText } from "./http";
import { signSessionToken } from "./session-token";

export type SimulatorOptions = {
  port?: number;
  app: AppRegistration;
};

export type Simulator = {
  origin: string;
  app: AppRegistration;
  close(): Promise<void>;
};

type Route = {
  method: string;
  pattern: RegExp;
  handle(request: http.IncomingMessage, response: http.ServerResponse, match: RegExpMatchArray): Promise<void> | void;
};

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { app } = options;

  const routes: Route[] = [
    {
      method: "GET",
      pattern: /^\/cdn\/app-bridge\.js$/,
      handle: (_request, response) => sendText(response, 200, "text/javascript; charset=utf-8", appBridgeStandIn),
    },
    {
      method: "GET",
      pattern: /^\/admin\/([a-z0-9-]+\.myshopify\.com)\/apps\/[a-z0-9-]+\/session-token$/,
      handle: (_request, response, match) =>
        sendJson(response, 200, {
          token: signSessionToken({ shop: match[1], apiKey: app.apiKey, apiSecret: app.apiSecret }),
        }),
    },
    {
      method: "GET",
      pattern: /^\/admin\/([a-z0-9-]+\.myshopify\.com)\/apps\/[a-z0-9-]+\/?$/,
      handle: (request, response, match) => {
        const locale = new URL(request.url ?? "/", "http://sim").searchParams.get("locale") ?? "en";
        sendText(response, 200, "text/html; charset=utf-8", adminFramePage(app, match[1], locale));
      },
    },
    {
      method: "GET",
      pattern: /^\/_control\/health$/,
      handle: (_request, response) => sendJson(response, 200, { ok: true }),
    },
  ];

  const server = http.createServer(async (request, response) => {
    const pathname = new URL(request.url ?? "/", "http://sim").pathname;
    try {
      for (const route of routes) {
        if (route.method !== request.method) continue;
        const match = pathname.match(route.pattern);
        if (match) return await route.handle(request, response, match);
      }
      throw new HttpError(404, "Not Found");
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : "Internal error";
      if (!response.headersSent) sendJson(response, status, { errors: message });
      else response.end();
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
