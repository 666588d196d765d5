import crypto from "node:crypto";
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ClientError, GraphQLClient } from "graphql-request";
import { adminGraphqlUrl } from "./admin-origin.server";
import { type ApiDialect, dialectOf } from "./api-version";
import { BULK_OPERATION_STATUS, BULK_RUN_MUTATION, CURRENT_BULK_MUTATION, CURRENT_BULK_QUERY, STAGED_UPLOADS_CREATE } from "./documents";
import {
  ShopifyGraphqlError, ShopifyThrottledError, ShopifyUnauthorizedError, ShopifyUnavailableError, ShopifyUserErrors, type UserError,
} from "./errors";

type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
type CostExtension = { cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus } };

export type GatewayOptions = {
  shop: string;
  accessToken: string;
  apiVersion: string;
  /** The simulator's origin in the sandbox and tests; unset in production. */
  adminOrigin?: string;
  sleep?: (ms: number) => Promise<void>;
  /** In-request retries of THROTTLED, 5xx and network errors before the job itself is retried. */
  maxAttempts?: number;
};

export type GatewayStats = { requests: number; throttled: number; retriedServerErrors: number; waitedMs: number };

/**
 * Inventory writes in the current API's terms: changeFromQuantity is the quantity expected before
 * the write (null: no check). The gateway turns them into what its API version takes.
 */
export type InventoryQuantityWrite = { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null };
export type InventoryDeltaWrite = { inventoryItemId: string; locationId: string; delta: number; changeFromQuantity: number | null };
type InventoryWriteInput = { name: "available"; reason: string; referenceDocumentUri: string };
type InventoryWritePayload = { inventoryAdjustmentGroup: { id: string; createdAt: string } | null; userErrors: UserError[] };
/** One change an adjustment made: its result is what the level became (ADR 0014 records it). */
export type InventoryAdjustedChange = { name: string; delta: number; quantityAfterChange: number | null; item: { id: string } | null; location: { id: string } | null };
type InventoryAdjustPayload = { inventoryAdjustmentGroup: { id: string; createdAt: string; changes: InventoryAdjustedChange[] } | null; userErrors: UserError[] };

const DEFAULT_COST_ESTIMATE = 50;

/** Shopify's staged upload for bulk mutation variables takes at most 20 MiB (S3's EntityTooLarge beyond). */
export const BULK_MUTATION_MAX_BYTES = 20 * 1024 * 1024;

export type RequestOptions = { notRepeatable?: boolean; background?: boolean };

/** Share of a store's bucket that background requests leave to the rest. */
const BACKGROUND_RESERVE = 0.5;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One store's Admin GraphQL API. Paces itself from extensions.cost.throttleStatus so that in normal
 * operation the bucket never runs dry, waits out THROTTLED answers, retries 5xx and network errors
 * with backoff, and turns userErrors into ShopifyUserErrors.
 */
export class AdminGateway {
  readonly shop: string;
  readonly dialect: ApiDialect;
  readonly stats: GatewayStats = { requests: 0, throttled: 0, retriedServerErrors: 0, waitedMs: 0 };
  private readonly client: GraphQLClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private bucket: (ThrottleStatus & { at: number }) | null = null;
  private readonly costByDocument = new Map<string, number>();

  constructor(options: GatewayOptions) {
    this.shop = options.shop;
    this.dialect = dialectOf(options.apiVersion);
    this.client = new GraphQLClient(adminGraphqlUrl(options.shop, { origin: options.adminOrigin, version: options.apiVersion }), {
      headers: { "X-Shopify-Access-Token": options.accessToken },
      errorPolicy: "all",
    });
    this.sleep = options.sleep ?? defaultSleep;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Points the bucket will hold after `ms` more milliseconds, by our last reading of it. */
  private projectedAvailable(now: number): number | null {
    if (!this.bucket) return null;
    const elapsed = (now - this.bucket.at) / 1000;
    return Math.min(this.bucket.maximumAvailable, this.bucket.currentlyAvailable + elapsed * this.bucket.restoreRate);
  }

  /**
   * Waits until the bucket holds what the document costs. Background work (orders recorded on the
   * primary) also leaves BACKGROUND_RESERVE of the bucket untouched, so that a rush of it never
   * starves stock moves, which keep a store from overselling.
   */
  private async pace(document: string, background: boolean) {
    const estimate = this.costByDocument.get(document) ?? DEFAULT_COST_ESTIMATE;
    const now = Date.now();
    const available = this.projectedAvailable(now);
    if (available === null || !this.bucket) return;
    const needed = estimate + (background ? Math.floor(this.bucket.maximumAvailable * BACKGROUND_RESERVE) : 0);
    if (available < needed) {
      const waitMs = Math.ceil(((needed - available) / this.bucket.restoreRate) * 1000);
      this.stats.waitedMs += waitMs;
      await this.sleep(waitMs);
    }
    // Reserve the points so concurrent callers sharing this gateway do not all spend them.
    const after = this.projectedAvailable(Date.now()) ?? estimate;
    this.bucket = { ...this.bucket, currentlyAvailable: after - estimate, at: Date.now() };
  }

  private remember(document: string, extensions: unknown) {
    const cost = (extensions as CostExtension | undefined)?.cost;
    if (cost?.requestedQueryCost !== undefined) this.costByDocument.set(document, cost.requestedQueryCost);
    if (cost?.throttleStatus) this.bucket = { ...cost.throttleStatus, at: Date.now() };
  }

  /**
   * Runs a query or mutation and returns its data. `notRepeatable`: a mutation Shopify cannot
   * recognise when sent twice (orderCreate) is not resent after a connection lost mid-request (it
   * may have run); the caller finds out what happened instead. `background`: work that can wait
   * leaves part of the bucket to the rest (see pace).
   */
  async request<T>(document: string, variables: Record<string, unknown> = {}, { notRepeatable = false, background = false }: RequestOptions = {}): Promise<T> {
    let serverFailures = 0;
    for (let attempt = 1; ; attempt++) {
      await this.pace(document, background);
      this.stats.requests++;
      let response: Awaited<ReturnType<GraphQLClient["rawRequest"]>>;
      try {
        response = await this.client.rawRequest(document, variables);
      } catch (error) {
        const status = error instanceof ClientError ? error.response.status : 0;
        if (status === 401 || status === 403) throw new ShopifyUnauthorizedError(this.shop, status);
        if (status !== 0 && status < 500 && status !== 429) throw new ShopifyGraphqlError(this.shop, [`HTTP ${status}`]);
        if (status === 0 && notRepeatable) throw new ShopifyUnavailableError(this.shop, `no answer to a request that may have run (${error instanceof Error ? error.message : String(error)})`);
        serverFailures++;
        this.stats.retriedServerErrors++;
        const detail = status ? `HTTP ${status}` : error instanceof Error ? error.message : String(error);
        if (serverFailures >= 4) throw new ShopifyUnavailableError(this.shop, detail);
        await this.sleep(250 * 2 ** serverFailures);
        continue;
      }
      this.remember(document, response.extensions);
      const errors = response.errors ?? [];
      const throttled = errors.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED");
      if (throttled) {
        this.stats.throttled++;
        const waitMs = this.waitForBucket(document);
        if (attempt >= this.maxAttempts) throw new ShopifyThrottledError(this.shop, waitMs);
        this.stats.waitedMs += waitMs;
        await this.sleep(waitMs);
        continue;
      }
      if (errors.length > 0) throw new ShopifyGraphqlError(this.shop, errors.map((e) => e.message));
      return response.data as T;
    }
  }

  /** How long until the bucket holds what this document costs (at least a little, so a forced THROTTLED still backs off). */
  private waitForBucket(document: string): number {
    const needed = this.costByDocument.get(document) ?? DEFAULT_COST_ESTIMATE;
    if (!this.bucket) return 1000;
    const missing = Math.max(0, needed - this.bucket.currentlyAvailable);
    return Math.max(100, Math.ceil((missing / this.bucket.restoreRate) * 1000));
  }

  /** Runs a mutation and returns its payload; userErrors become ShopifyUserErrors. */
  async mutate<P extends { userErrors: UserError[] }>(document: string, variables: Record<string, unknown>, field: string, options: RequestOptions = {}): Promise<P> {
    const data = await this.request<Record<string, P>>(document, variables, options);
    const payload = data[field];
    if (payload.userErrors.length > 0) throw new ShopifyUserErrors(field, payload.userErrors);
    return payload;
  }

  /**
   * Sets absolute quantities. From 2026-04 the write carries an idempotency key (a retry of this
   * very request is then recognised by Shopify); before, changeFromQuantity goes as compareQuantity.
   */
  async setInventoryQuantities(input: InventoryWriteInput & { quantities: InventoryQuantityWrite[] }, idempotencyKey: string = crypto.randomUUID()) {
    const quantities = this.dialect.idempotentInventory
      ? input.quantities
      : input.quantities.map(({ changeFromQuantity, ...quantity }) => ({ ...quantity, compareQuantity: changeFromQuantity }));
    return this.mutate<InventoryWritePayload>(this.dialect.setQuantitiesDocument, {
      input: { ...input, quantities },
      ...(this.dialect.idempotentInventory ? { idempotencyKey } : {}),
    }, "inventorySetQuantities");
  }

  /**
   * Moves quantities by deltas. The idempotency key must stay the same for every retry of the same
   * change, across processes (callers persist it), so that Shopify applies it once; before 2026-04
   * there are no keys and no compare-and-swap for deltas.
   */
  async adjustInventoryQuantities(input: InventoryWriteInput & { changes: InventoryDeltaWrite[] }, idempotencyKey: string) {
    if (!this.dialect.idempotentInventory && input.changes.some((change) => change.changeFromQuantity !== null)) {
      throw new Error(`API ${this.dialect.version} cannot compare and swap an inventory adjustment (2026-04+)`);
    }
    const changes = this.dialect.idempotentInventory ? input.changes : input.changes.map(({ changeFromQuantity: _none, ...change }) => change);
    return this.mutate<InventoryAdjustPayload>(this.dialect.adjustQuantitiesDocument, {
      input: { ...input, changes },
      ...(this.dialect.idempotentInventory ? { idempotencyKey } : {}),
    }, "inventoryAdjustQuantities");
  }

  /**
   * Runs a bulk query and resolves with its result URL (null when nothing matched). Waits for a
   * bulk query already running in the store (one per app and store) before starting its own.
   */
  async runBulkQuery(query: string, { pollMs = 500, timeoutMs = 60 * 60_000 } = {}): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    let operationId: string | null = null;
    while (!operationId) {
      try {
        const payload = await this.mutate<{ bulkOperation: { id: string }; userErrors: UserError[] }>(this.dialect.bulkRunQueryDocument, { query }, "bulkOperationRunQuery");
        operationId = payload.bulkOperation.id;
      } catch (error) {
        if (!(error instanceof ShopifyUserErrors) || !error.hasCode("OPERATION_IN_PROGRESS")) throw error;
        const current = await this.request<{ currentBulkOperation: { id: string; status: string } | null }>(CURRENT_BULK_QUERY);
        if (current.currentBulkOperation) await this.waitForBulk(current.currentBulkOperation.id, pollMs, deadline);
      }
    }
    return this.waitForBulk(operationId, pollMs, deadline);
  }

  /**
   * Runs `mutation` once for each set of variables as a bulk operation: the variables go up as a
   * JSONL file (stagedUploadsCreate, then a multipart POST to the staged target), then
   * bulkOperationRunMutation. Bulk work does not draw on the rate-limit bucket. `onStarted` gets the
   * operation's id as soon as Shopify accepted it, so that a job can record it before waiting: a
   * job that crashes then collects the results (collectBulkMutation) instead of sending them again.
   * Resolves with the result JSONL's URL; its lines carry `__lineNumber` (0-based, input order).
   */
  async runBulkMutation(mutation: string, variables: Record<string, unknown>[], { onStarted, pollMs = 500, timeoutMs = 60 * 60_000 }: {
    onStarted?: (operationId: string) => Promise<void>;
    pollMs?: number;
    timeoutMs?: number;
  } = {}): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    const body = variables.map((line) => JSON.stringify(line)).join("\n") + "\n";
    if (Buffer.byteLength(body) > BULK_MUTATION_MAX_BYTES) throw new RangeError(`bulk mutation variables over ${BULK_MUTATION_MAX_BYTES} bytes: split them`);
    const staged = await this.mutate<{ stagedTargets: { url: string; parameters: { name: string; value: string }[] }[]; userErrors: UserError[] }>(
      STAGED_UPLOADS_CREATE,
      { input: [{ resource: "BULK_MUTATION_VARIABLES", filename: "tandem-variables.jsonl", mimeType: "text/jsonl", httpMethod: "POST" }] },
      "stagedUploadsCreate",
    );
    const target = staged.stagedTargets[0];
    const stagedUploadPath = target?.parameters.find((p) => p.name === "key")?.value;
    if (!target || !stagedUploadPath) throw new ShopifyGraphqlError(this.shop, ["stagedUploadsCreate gave no upload target with a key"]);
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, value);
    form.append("file", new Blob([body], { type: "text/jsonl" }), "tandem-variables.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form }).catch((error: Error) => {
      throw new ShopifyUnavailableError(this.shop, `bulk variables upload failed: ${error.message}`);
    });
    if (!upload.ok) throw new ShopifyUnavailableError(this.shop, `bulk variables upload refused (HTTP ${upload.status})`);

    let operationId: string | null = null;
    while (!operationId) {
      try {
        // Never resent blindly: a lost answer could mean an operation is running; the job's
        // recovery finds it through currentBulkMutation.
        const payload = await this.mutate<{ bulkOperation: { id: string }; userErrors: UserError[] }>(
          BULK_RUN_MUTATION, { mutation, stagedUploadPath }, "bulkOperationRunMutation", { notRepeatable: true },
        );
        operationId = payload.bulkOperation.id;
      } catch (error) {
        if (!(error instanceof ShopifyUserErrors) || !error.hasCode("OPERATION_IN_PROGRESS")) throw error;
        const current = await this.currentBulkMutation();
        if (current) await this.waitForBulk(current.id, pollMs, deadline);
      }
    }
    await onStarted?.(operationId);
    return this.waitForBulk(operationId, pollMs, deadline);
  }

  /** The store's latest bulk mutation (running or finished), as Shopify reports it. */
  async currentBulkMutation(): Promise<{ id: string; status: string; createdAt: string } | null> {
    const { currentBulkOperation } = await this.request<{ currentBulkOperation: { id: string; status: string; createdAt: string } | null }>(CURRENT_BULK_MUTATION);
    return currentBulkOperation;
  }

  /** Waits for a bulk operation started earlier (perhaps by a run that crashed) and gives its result URL. */
  async collectBulkMutation(operationId: string, { pollMs = 500, timeoutMs = 60 * 60_000 } = {}): Promise<string | null> {
    return this.waitForBulk(operationId, pollMs, Date.now() + timeoutMs);
  }

  /**
   * Polls a bulk operation until it ends: every `pollMs` for its first 10 s (a batch's write
   * usually ends within them, and a doubling wait found one that took 1.6 s only at 3.5 s), then
   * every 5 s. A poll costs 1 point.
   */
  private async waitForBulk(id: string, pollMs: number, deadline: number): Promise<string | null> {
    const startedAt = Date.now();
    for (;;) {
      const { node } = await this.request<{ node: { status: string; errorCode: string | null; url: string | null } | null }>(BULK_OPERATION_STATUS, { id });
      if (!node) throw new ShopifyGraphqlError(this.shop, [`bulk operation ${id} not found`]);
      if (node.status === "COMPLETED") return node.url;
      if (["FAILED", "CANCELED", "EXPIRED"].includes(node.status)) {
        throw new ShopifyUnavailableError(this.shop, `bulk operation ${id} ${node.status.toLowerCase()} (${node.errorCode ?? "no error code"})`);
      }
      if (Date.now() > deadline) throw new ShopifyUnavailableError(this.shop, `bulk operation ${id} still ${node.status.toLowerCase()}`);
      await this.sleep(Date.now() - startedAt < 10_000 ? pollMs : Math.max(pollMs, 5000));
    }
  }
}

/** The lines of a bulk operation's JSONL result, one parsed object at a time (never the whole file in memory). */
export async function* streamJsonl(url: string): AsyncGenerator<Record<string, unknown>> {
  const response = await fetchWithRetries(url);
  if (!response.ok || !response.body) throw new Error(`Could not download bulk result (HTTP ${response.status})`);
  const lines = readline.createInterface({ input: Readable.fromWeb(response.body as WebReadableStream), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
}

/**
 * A GET retried when the connection fails before any answer: after a bulk operation's polls pause
 * for seconds, a kept-alive connection can be closed by the server just as it is reused ("other
 * side closed"), and nothing of the download has been read yet.
 */
async function fetchWithRetries(url: string, attempts = 4): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await defaultSleep(200 * 2 ** attempt);
    }
  }
}
