// Production server: validates configuration, migrates the database, then serves the built Remix
// app (npm run build) with Express. Any configuration or database problem ends start-up with one
// line that names it.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { loadDotenvFile, parseConfig } from "../app/config.server";
import { migrateDatabase } from "../app/db/migrate.server";
import { limitRequestBodies } from "./lib/body-limit";
import { webhookActionHandler } from "./lib/webhook-actions";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

loadDotenvFile();

let config;
try {
  config = parseConfig(process.env);
  await migrateDatabase(config.DATABASE_URL);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const buildEntry = path.resolve("build/server/index.js");
if (!fs.existsSync(buildEntry)) fail("Build missing: run `npm run build` first (build/server/index.js not found)");
const build = (await import(pathToFileURL(buildEntry).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use(limitRequestBodies());
// Webhooks go straight to their route's action (scripts/lib/webhook-actions.ts): the app receives
// them by the thousand. They come before compression and static files, which have nothing to do
// with an empty answer to a POST.
app.post("/webhooks/*", webhookActionHandler(build));
app.use(compression());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production" }));

const server = app.listen(config.PORT, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(`Tandem listening on http://127.0.0.1:${port}`);
});

/** After this long, connections still busy at shutdown are cut (in-flight webhooks are retried by Shopify). */
const SHUTDOWN_GRACE_MS = 10_000;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections with no request in flight would hold close() open until they time
    // out, and a sender with a backlog (Shopify's webhooks) keeps reusing its connections: close
    // each one as soon as it is between two requests, and cut the rest after the grace period.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
}
