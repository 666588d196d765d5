import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { adminFramePage, appBridgeStandIn, type AppRegistration } from "./admin-frame";
import { blockFrame, productPage, readProductBlocks } from "./admin-extensions";
import { type Chaos, NO_CHAOS, controlRoutes, runControlRoute } from "./control";
import { BulkOperations } from "./bulk";
import { AdminApi } from "./graphql/handler";
import { HttpError, readBody, sendJson, sendText } from "./http";
import { gid } from "./ids";
import { handleTokenExchange } from "./oauth";
import { seededRandom } from "./random";
import { SimControlClient } from "./client";
import { signSessionToken } from "./session-token";
import { WebhookDispatcher, readAppToml } from "./webhooks/dispatcher";
import { SimWorld } from "./world";

export type SimulatorOptions = {
  port?: number;
  app: AppRegistration;
  /** Seeds the chaos random generator: the same seed gives the same duplicates, drops and delays. */
  seed?: number;
  chaos?: Partial<Chaos>;
  /** The app's shopify.app.toml, whose [[webhooks.subscriptions]] say what to deliver where. */
  appToml?: string;
  /** Scales webhook retry delays (1 = Shopify's seconds). Tests use a small value. */
  timeScale?: number;
};

export type Simulator = {
  origin: string;
  app: AppRegistration;
  world: SimWorld;
  webhooks: WebhookDispatcher;
  adminApi: AdminApi;
  bulk: BulkOperations;
  chaos: Chaos;
  control: SimControlClient;
  /** The Admin GraphQL endpoint of one store, as the app's origin resolver builds it. */
  graphqlUrl(shop: string, version?: string): string;
  close(): Promise<void>;
};

const SHOP = "([a-z0-9-]+\\.myshopify\\.com)";

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const { app } = options;
  const chaos: Chaos = { ...NO_CHAOS, ...options.chaos };
  const random = seededRandom(options.seed ?? 42);
  const { apiVersion, subscriptions, scopes } = readAppToml(options.appToml ?? path.resolve(import.meta.dirname, "../shopify.app.toml"));

  const productBlocks = readProductBlocks(path.resolve(import.meta.dirname, ".."));
  const world = new SimWorld(undefined, scopes);
  const webhooks = new WebhookDispatcher({
    app, apiVersion, subscriptions: () => subscriptions, chaos: () => chaos, random, timeScale: options.timeScale ?? 1,
  });
  const bulk = new BulkOperations(world, () => chaos);
  const adminApi = new AdminApi(world, () => chaos, random, bulk);
  world.onEvent((event) => webhooks.enqueue(event));

  const simulator = { origin: "", app, world, webhooks, adminApi, bulk, chaos } as Simulator;
  const control = controlRoutes({
    world,
    webhooks,
    adminApi,
    chaos,
    reset() {
      world.stores.clear();
      adminApi.reset();
      Object.assign(chaos, NO_CHAOS);
    },
  });

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://sim");
    const pathname = url.pathname;
    try {
      let match: RegExpMatchArray | null;
      if (request.method === "POST" && (match = pathname.match(new RegExp(`^/shops/${SHOP}/admin/api/([0-9]{4}-[0-9]{2}|unstable)/graphql\\.json$`)))) {
        return await adminApi.handle(request, response, { shop: match[1], version: match[2], origin: simulator.origin });
      }
      if (request.method === "POST" && (match = pathname.match(new RegExp(`^/shops/${SHOP}/admin/oauth/access_token$`)))) {
        return await handleTokenExchange(request, response, { world, app, shop: match[1] });
      }
      if (request.method === "POST" && pathname === "/_staged/upload") {
        return await receiveStagedUpload(request, response);
      }
      if (request.method === "GET" && (match = pathname.match(/^\/_bulk\/(\d+)\.jsonl$/))) {
        const op = bulk.operations.get(Number(match[1]));
        if (!op || op.result === null) throw new HttpError(404, "Not Found");
        return sendText(response, 200, "application/jsonl", op.result);
      }
      if (pathname.startsWith("/_control/")) {
        if (await runControlRoute(control, request, response, pathname)) return;
        throw new HttpError(404, "Not Found");
      }
      if (request.method !== "GET") throw new HttpError(404, "Not Found");
      if (pathname === "/cdn/app-bridge.js") return sendText(response, 200, "text/javascript; charset=utf-8", appBridgeStandIn);
      if ((match = pathname.match(new RegExp(`^/admin/${SHOP}/apps/[a-z0-9-]+/session-token$`)))) {
        return sendJson(response, 200, { token: signSessionToken({ shop: match[1], apiKey: app.apiKey, apiSecret: app.apiSecret }) });
      }
      if ((match = pathname.match(new RegExp(`^/admin/${SHOP}/apps/[a-z0-9-]+(/app(?:/[a-z0-9_./-]*)?)?/?$`)))) {
        // Like admin.shopify.com/store/…/apps/handle/app/plan?charge_id=…: that page of the app, with the query.
        if (!world.stores.has(match[1])) throw new HttpError(404, `Unknown shop ${match[1]}`);
        const query = Object.fromEntries([...url.searchParams].filter(([name]) => name !== "locale"));
        const page = adminFramePage(app, match[1], url.searchParams.get("locale") ?? "en", { path: match[2] ?? "/app", query });
        return sendText(response, 200, "text/html; charset=utf-8", page);
      }
      if ((match = pathname.match(new RegExp(`^/admin/${SHOP}/products/(\\d+)$`)))) {
        // A product's page, with the app's product-details blocks (sim/admin-extensions.ts).
        const store = world.stores.get(match[1]);
        const product = store?.products.get(Number(match[2]));
        if (!store || !product) throw new HttpError(404, `Unknown product ${match[2]} of ${match[1]}`);
        const variants = store.variantsOf(product).map((variant) => ({ sku: variant.sku, price: variant.price }));
        const page = productPage(match[1], { id: gid("Product", product.id), title: product.title, variants }, productBlocks, url.searchParams.get("locale") ?? "en");
        return sendText(response, 200, "text/html; charset=utf-8", page);
      }
      if ((match = pathname.match(new RegExp(`^/admin/${SHOP}/extensions/([a-z0-9-]+)$`)))) {
        const block = productBlocks.find((candidate) => candidate.handle === match![2]);
        const productId = url.searchParams.get("productId");
        if (!block || !productId) throw new HttpError(404, "Unknown extension or product");
        return sendText(response, 200, "text/html; charset=utf-8", blockFrame(app, match[1], block, productId, url.searchParams.get("locale") ?? "en"));
      }
      if ((match = pathname.match(/^\/admin\/extensions\/([a-z0-9-]+)\.js$/))) {
        const block = productBlocks.find((candidate) => candidate.handle === match![1]);
        if (!block) throw new HttpError(404, `Unknown extension ${match[1]}`);
        if (!fs.existsSync(block.bundlePath)) throw new HttpError(404, `${block.handle} is not built: run npm run build (${block.bundlePath})`);
        return sendText(response, 200, "text/javascript; charset=utf-8", fs.readFileSync(block.bundlePath, "utf8"));
      }
      if ((match = pathname.match(new RegExp(`^/admin/${SHOP}/charges/(\\d+)/confirm$`)))) {
        return confirmCharge(response, match[1], Number(match[2]), url.searchParams.get("decision"));
      }
      throw new HttpError(404, "Not Found");
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : "Internal error";
      if (!response.headersSent) sendJson(response, status, { errors: status === 500 ? "Internal Server Error" : message });
      else response.end();
      if (status === 500) process.stderr.write(`simulator: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  });

  const STAGED_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

  /** The staged upload target: a multipart form with the target's parameters, then the file. */
  async function receiveStagedUpload(request: http.IncomingMessage, response: http.ServerResponse) {
    const body = await readBody(request, 100 * 1024 * 1024);
    let form: FormData;
    try {
      form = await new Request("http://sim/_staged/upload", { method: "POST", headers: { "content-type": String(request.headers["content-type"] ?? "") }, body: new Uint8Array(body) }).formData();
    } catch {
      throw new HttpError(400, "Expected a multipart/form-data upload");
    }
    const key = form.get("key");
    const file = form.get("file");
    if (typeof key !== "string" || !file || typeof file === "string") throw new HttpError(400, "The upload needs the key parameter and a file");
    // Shopify's bulk variables live on S3 behind a 20 MiB policy (answered with EntityTooLarge).
    if (file.size > STAGED_UPLOAD_MAX_BYTES) {
      response.writeHead(400, { "content-type": "application/xml" });
      response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>${file.size}</ProposedSize><MaxSizeAllowed>${STAGED_UPLOAD_MAX_BYTES}</MaxSizeAllowed></Error>`);
      return;
    }
    bulk.uploads.set(key, await file.text());
    response.writeHead(201, { "content-type": "application/xml" });
    response.end(`<?xml version="1.0" encoding="UTF-8"?><PostResponse><Key>${key}</Key></PostResponse>`);
  }

  /** The merchant approves (or declines) a pending charge, then returns to the app as Shopify does. */
  function confirmCharge(response: http.ServerResponse, shop: string, id: number, decision: string | null) {
    const store = world.requireStore(shop);
    const subscription = store.installation?.subscriptions.find((s) => s.id === id);
    if (!subscription) throw new HttpError(404, "Unknown charge");
    if (decision === "approve" || decision === "decline") {
      if (subscription.status === "PENDING") {
        subscription.status = decision === "approve" ? "ACTIVE" : "DECLINED";
        if (decision === "approve") {
          for (const other of store.installation!.subscriptions) if (other !== subscription && other.status === "ACTIVE") other.status = "CANCELLED";
          subscription.currentPeriodEnd = new Date(Date.now() + 30 * 86_400_000).toISOString();
        }
        world.emit(store, "app_subscriptions/update", { subscriptionId: subscription.id });
      }
      const back = new URL(subscription.returnUrl);
      back.searchParams.set("charge_id", String(subscription.id));
      response.writeHead(302, { location: back.toString() });
      return response.end();
    }
    sendText(response, 200, "text/html; charset=utf-8", `<!doctype html><meta charset="utf-8"><title>Approve subscription</title>
<main style="font:16px system-ui;max-width:480px;margin:4rem auto"><h1>Approve subscription</h1>
<p>${subscription.name}: ${subscription.price.amount} ${subscription.price.currencyCode} every 30 days${subscription.test ? " (test charge)" : ""}.</p>
<p><a href="?decision=approve">Approve</a> · <a href="?decision=decline">Decline</a></p></main>`);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  simulator.origin = `http://127.0.0.1:${port}`;
  simulator.control = new SimControlClient(simulator.origin);
  simulator.graphqlUrl = (shop, version = apiVersion) => `${simulator.origin}/shops/${shop}/admin/api/${version}/graphql.json`;
  simulator.close = () =>
    new Promise<void>((resolve) => {
      webhooks.close();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return simulator;
}
