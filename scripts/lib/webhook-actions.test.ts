import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, expect, test } from "vitest";
import { webhookActionHandler } from "./webhook-actions";

// A build with the shapes of Remix's: webhook routes are resource routes with a fixed path.
const handledErrors: unknown[] = [];
const build = {
  entry: { module: { handleError: (error: unknown) => handledErrors.push(error) } },
  routes: {
    root: { id: "root", path: "", module: {} },
    "routes/webhooks.echo": {
      id: "routes/webhooks.echo", parentId: "root", path: "webhooks/echo",
      module: {
        action: async ({ request }: { request: Request }) =>
          new Response(`${request.headers.get("x-shopify-topic")}|${await request.text()}`, { status: 202, headers: { "X-Answer": "echo" } }),
      },
    },
    "routes/webhooks.refuse": {
      id: "routes/webhooks.refuse", parentId: "root", path: "webhooks/refuse",
      module: { action: async () => { throw new Response("Unauthorized", { status: 401 }); } },
    },
    "routes/webhooks.broken": {
      id: "routes/webhooks.broken", parentId: "root", path: "webhooks/broken",
      module: { action: async () => { throw new Error("database is gone"); } },
    },
  },
} as unknown as ServerBuild;

let origin = "";
let close: () => void = () => {};
beforeAll(async () => {
  const app = express();
  app.post("/webhooks/*", webhookActionHandler(build));
  app.all("*", (_request, response) => void response.status(404).send("passed on"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const post = (path: string, body = "{}") => fetch(new URL(path, origin), { method: "POST", body, headers: { "X-Shopify-Topic": "products/update" } });

test("a webhook reaches its route's action with its headers and body, and gets the action's answer", async () => {
  const response = await post("/webhooks/echo", '{"admin_graphql_api_id":"gid://shopify/Product/1"}');
  expect(response.status).toBe(202);
  expect(response.headers.get("x-answer")).toBe("echo");
  expect(await response.text()).toBe('products/update|{"admin_graphql_api_id":"gid://shopify/Product/1"}');
});

test("a Response the action throws is the answer", async () => {
  const response = await post("/webhooks/refuse");
  expect(response.status).toBe(401);
  expect(await response.text()).toBe("Unauthorized");
});

test("any other error is handed to the build's error handler and answered 500", async () => {
  const response = await post("/webhooks/broken");
  expect(response.status).toBe(500);
  expect(handledErrors.map((error) => (error as Error).message)).toEqual(["database is gone"]);
});

test("a path with no webhook route goes on to the next handler", async () => {
  const response = await post("/webhooks/nothing-here");
  expect(response.status).toBe(404);
  expect(await response.text()).toBe("passed on");
});
