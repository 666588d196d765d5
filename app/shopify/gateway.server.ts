import crypto from "node:crypto";
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ClientError, GraphQLClient } from "graphql-request";
import { adminGraphqlUrl } from "./admin-origin.server";
import {
  BULK_OPERATION_STATUS, BULK_RUN_MUTATION, BULK_RUN_QUERY, INVENTORY_ADJUST_QUANTITIES, INVENTORY_MOVE_QUANTITIES, INVENTORY_SET_QUANTITIES, RUNNING_BULK_OPERATIONS,
  BULK_MUTATIONS_SINCE, MAX_REQUESTED_COST, STAGED_UPLOADS_CREATE,
} from "./documents";
import {
  ShopifyAccessDeniedError, ShopifyGraphqlError, ShopifyQueryTooCostlyError, ShopifyResourceLimitError, ShopifyThrottledError, ShopifyUnauthorizedError, ShopifyUnavailableError, ShopifyUserErrors, type UserError,
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

/** Inventory writes: changeFromQuantity is the quantity expected before the write (null: no check). */
export type InventoryQuantityWrite = { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null };
export type InventoryDeltaWrite = { inventoryItemId: string; locationId: string; delta: number; changeFromQuantity: number | null; ledgerDocumentUri?: string };
type InventoryWriteInput = { name: "available" | "reserved"; reason: string; referenceDocumentUri: string };
/** One side of a move: a state of a level; a ledger document for every state but available. */
export type InventoryMoveTerminal = { locationId: string; name: "available" | "reserved"; changeFromQuantity: number | null; ledgerDocumentUri: string | null };
export type InventoryMoveWrite = { inventoryItemId: string; quantity: number; from: InventoryMoveTerminal; to: InventoryMoveTerminal };
/** One change a write or an adjustment made: its result is what the level became (ADR 0014 records it); minus its delta, what it was. */
export type InventoryAdjustedChange = { name: string; delta: number; quantityAfterChange: number | null; item: { id: string } | null; location: { id: string } | null };
type InventoryAdjustPayload = { inventoryAdjustmentGroup: { id: string; createdAt: string; changes: InventoryAdjustedChange[] } | null; userErrors: UserError[] };

const DEFAULT_COST_ESTIMATE = 50;

/** Shopify's staged upload for bulk mutation variables takes at most 20 MiB (S3's EntityTooLarge beyond). */
export const BULK_MUTATION_MAX_BYTES = 20 * 1024 * 1024;
/** A bulk mutation's variables, uploaded and waiting for bulkOperationRunMutation. */
export type StagedBulkVariables = { stagedUploadPath: string };

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
  readonly stats: GatewayStats = { requests: 0, throttled: 0, retriedServerErrors: 0, waitedMs: 0 };
  private readonly client: GraphQLClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private bucket: (ThrottleStatus & { at: number }) | null = null;
  private readonly costByDocument = new Map<string, number>();

  constructor(options: GatewayOptions) {
    this.shop = options.shop;
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
  private async pace(document: string, background: boolean, expectedCost?: number) {
    const estimate = expectedCost ?? this.costByDocument.get(document) ?? DEFAULT_COST_ESTIMATE;
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

  /** Keeps the bucket's state, and what the document cost when it ran or waited for points (a refused query cost nothing). */
  private remember(document: string, extensions: unknown, { ran }: { ran: boolean }) {
    const cost = (extensions as CostExtension | undefined)?.cost;
    if (ran && cost?.requestedQueryCost !== undefined) this.costByDocument.set(document, cost.requestedQueryCost);
    if (cost?.throttleStatus) this.bucket = { ...cost.throttleStatus, at: Date.now() };
  }

  /**
   * Runs a query or mutation and returns its data. `notRepeatable`: a mutation Shopify cannot
   * recognise when sent twice (orderCreate) is not resent after a connection lost mid-request (it
   * may have run); the caller finds out what happened instead. `background`: work that can wait
   * leaves part of the bucket to the rest (see pace).
   */
  async request<T>(document: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<T> {
    return (await this.send<T>(document, variables, options)).data;
  }

  /**
   * Runs `document` over `items` a page at a time (`variablesOf` puts a page in the variables) and
   * returns each page's data. Each page is as large as MAX_REQUESTED_COST allows: the first as
   * `firstPageSize` says (Tandem's model of the cost), each next one by the requestedQueryCost
   * Shopify returned per item of the last. A page Shopify refuses as over its single-query limit
   * is cut by the cost it reported and sent again: a cost model that is off costs a request, never
   * the read.
   */
  async requestInPages<T, I>(
    document: string,
    items: readonly I[],
    variablesOf: (page: I[]) => Record<string, unknown>,
    { firstPageSize, maxPageSize = 250, ...options }: RequestOptions & { firstPageSize: number; maxPageSize?: number },
  ): Promise<T[]> {
    const sizeFor = (costPerItem: number) => Math.max(1, Math.min(maxPageSize, Math.floor(MAX_REQUESTED_COST / costPerItem)));
    const pages: T[] = [];
    let size = Math.max(1, Math.min(maxPageSize, firstPageSize));
    let costPerItem: number | null = null;
    for (let start = 0; start < items.length; ) {
      const page = items.slice(start, start + size);
      try {
        // Paced on what this page will cost, not on the last page's size.
        const expectedCost: number | undefined = costPerItem === null ? undefined : Math.ceil(costPerItem * page.length);
        const { data, requestedQueryCost }: { data: T; requestedQueryCost: number | null } = await this.send<T>(document, variablesOf(page), { ...options, expectedCost });
        pages.push(data);
        start += page.length;
        if (requestedQueryCost) {
          costPerItem = requestedQueryCost / page.length;
          size = sizeFor(costPerItem);
        }
      } catch (error) {
        if (!(error instanceof ShopifyQueryTooCostlyError) || page.length === 1) throw error;
        size = Math.min(page.length - 1, sizeFor(error.requestedCost / page.length));
      }
    }
    return pages;
  }

  private async send<T>(
    document: string,
    variables: Record<string, unknown>,
    { notRepeatable = false, background = false, expectedCost }: RequestOptions & { expectedCost?: number },
  ): Promise<{ data: T; requestedQueryCost: number | null }> {
    let serverFailures = 0;
    for (let attempt = 1; ; attempt++) {
      await this.pace(document, background, expectedCost);
      this.stats.requests++;
      let response: Awaited<ReturnType<GraphQLClient["rawRequest"]>>;
      try {
        response = await this.client.rawRequest(document, variables);
      } catch (error) {
        const status = error instanceof ClientError ? error.response.status : 0;
        if (status === 401 || status === 403) throw new ShopifyUnauthorizedError(this.shop, status);
        if (status === 429) throw resourceLimitOf(this.shop, (error as ClientError).response);
        if (status !== 0 && status < 500 && status !== 429) throw new ShopifyGraphqlError(this.shop, [`HTTP ${status}`]);
        if (status === 0 && notRepeatable) throw new ShopifyUnavailableError(this.shop, `no answer to a request that may have run (${error instanceof Error ? error.message : String(error)})`);
        serverFailures++;
        this.stats.retriedServerErrors++;
        const detail = status ? `HTTP ${status}` : error instanceof Error ? error.message : String(error);
        if (serverFailures >= 4) throw new ShopifyUnavailableError(this.shop, detail);
        await this.sleep(250 * 2 ** serverFailures);
        continue;
      }
      const errors = response.errors ?? [];
      const tooCostly = errors.find((e) => (e.extensions as { code?: string } | undefined)?.code === "MAX_COST_EXCEEDED");
      this.remember(document, response.extensions, { ran: !tooCostly });
      const throttled = errors.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED");
      if (throttled) {
        this.stats.throttled++;
        const waitMs = this.waitForBucket(document);
        if (attempt >= this.maxAttempts) throw new ShopifyThrottledError(this.shop, waitMs);
        this.stats.waitedMs += waitMs;
        await this.sleep(waitMs);
        continue;
      }
      if (tooCostly) {
        const { cost, maxCost } = tooCostly.extensions as { cost?: number; maxCost?: number };
        throw new ShopifyQueryTooCostlyError(this.shop, cost ?? (response.extensions as CostExtension | undefined)?.cost?.requestedQueryCost ?? Infinity, maxCost ?? 1000);
      }
      if (errors.length > 0) {
        const denied = errors.every((e) => (e.extensions as { code?: string } | undefined)?.code === "ACCESS_DENIED");
        throw new (denied ? ShopifyAccessDeniedError : ShopifyGraphqlError)(this.shop, errors.map((e) => e.message));
      }
      return { data: response.data as T, requestedQueryCost: (response.extensions as CostExtension | undefined)?.cost?.requestedQueryCost ?? null };
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
   * Sets absolute quantities. The write carries an idempotency key, so that a retry of this very
   * request (its answer lost) is recognised by Shopify instead of applied again.
   */
  async setInventoryQuantities(input: InventoryWriteInput & { quantities: InventoryQuantityWrite[] }, idempotencyKey: string = crypto.randomUUID()) {
    return this.mutate<InventoryAdjustPayload>(INVENTORY_SET_QUANTITIES, { input, idempotencyKey }, "inventorySetQuantities");
  }

  /**
   * Moves quantities by deltas. The idempotency key must stay the same for every retry of the same
   * change, across processes (callers persist it), so that Shopify applies it once.
   */
  async adjustInventoryQuantities(input: InventoryWriteInput & { changes: InventoryDeltaWrite[] }, idempotencyKey: string) {
    return this.mutate<InventoryAdjustPayload>(INVENTORY_ADJUST_QUANTITIES, { input, idempotencyKey }, "inventoryAdjustQuantities");
  }

  /** Moves units between states of a level (strict stock mode), under a key kept for every retry, as adjustments. */
  async moveInventoryQuantities(input: { reason: string; referenceDocumentUri: string; changes: InventoryMoveWrite[] }, idempotencyKey: string) {
    return this.mutate<InventoryAdjustPayload>(INVENTORY_MOVE_QUANTITIES, { input, idempotencyKey }, "inventoryMoveQuantities");
  }

  /**
   * Runs a bulk query and resolves with its result URL (null when nothing matched). When the store
   * already runs as many of this app's bulk operations as Shopify allows (LIMIT_REACHED, or
   * OPERATION_IN_PROGRESS), waits for one of them to end and asks again: a full queue delays the
   * job, never fails it. Read its lines through parentsFirst: the output is ungrouped.
   */
  async runBulkQuery(query: string, { pollMs = 500, timeoutMs = 60 * 60_000 } = {}): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    let operationId: string | null = null;
    while (!operationId) {
      try {
        const payload = await this.mutate<{ bulkOperation: { id: string }; userErrors: UserError[] }>(BULK_RUN_QUERY, { query }, "bulkOperationRunQuery");
        operationId = payload.bulkOperation.id;
      } catch (error) {
        if (!isBulkQueueFull(error)) throw error;
        await this.waitForRoomForBulk(pollMs, deadline);
      }
    }
    return this.waitForBulk(operationId, pollMs, deadline);
  }

  /** Waits until one of this app's running bulk operations in the store has ended (whatever its outcome). */
  private async waitForRoomForBulk(pollMs: number, deadline: number) {
    const startedAt = Date.now();
    const { bulkOperations } = await this.request<{ bulkOperations: { nodes: { id: string }[] } }>(RUNNING_BULK_OPERATIONS);
    const running = new Set(bulkOperations.nodes.map((operation) => operation.id));
    for (;;) {
      if (Date.now() > deadline) throw new ShopifyUnavailableError(this.shop, "no room for a bulk operation: the store's bulk operations are all still running");
      // Ended between the refusal and the listing: ask again after a pause.
      if (running.size === 0) return this.sleep(pollMs);
      await this.sleep(Date.now() - startedAt < 10_000 ? pollMs : Math.max(pollMs, 5000));
      const { bulkOperations: now } = await this.request<{ bulkOperations: { nodes: { id: string }[] } }>(RUNNING_BULK_OPERATIONS);
      const stillRunning = new Set(now.nodes.map((operation) => operation.id));
      if ([...running].some((id) => !stillRunning.has(id))) return;
    }
  }

  /**
   * Uploads a bulk mutation's variables (one JSONL line each) to Shopify's staged upload target
   * (stagedUploadsCreate, then a multipart POST), for runBulkMutation. Apart, so that a job can
   * upload a batch's variables while the store's previous bulk operation still runs.
   */
  async uploadBulkVariables(variables: Record<string, unknown>[]): Promise<StagedBulkVariables> {
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
    return { stagedUploadPath };
  }

  /**
   * Runs `mutation` once for each set of variables as a bulk operation: the variables go up as a
   * JSONL file (uploadBulkVariables, unless uploaded already), then bulkOperationRunMutation. Bulk work does not draw on the rate-limit bucket. `onStarted` gets the
   * operation's id as soon as Shopify accepted it, so that a job can record it before waiting: a
   * job that crashes then collects the results (collectBulkMutation) instead of sending them again.
   * Resolves with the result JSONL's URL; its lines carry `__lineNumber` (0-based, input order).
   */
  async runBulkMutation(mutation: string, variables: Record<string, unknown>[] | StagedBulkVariables, { onStarted, pollMs = 500, timeoutMs = 60 * 60_000 }: {
    onStarted?: (operationId: string) => Promise<void>;
    pollMs?: number;
    timeoutMs?: number;
  } = {}): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    const { stagedUploadPath } = Array.isArray(variables) ? await this.uploadBulkVariables(variables) : variables;
    let operationId: string | null = null;
    while (!operationId) {
      try {
        // Never resent blindly: a lost answer could mean an operation is running; the job's
        // recovery finds it through bulkMutationsSince.
        const payload = await this.mutate<{ bulkOperation: { id: string }; userErrors: UserError[] }>(
          BULK_RUN_MUTATION, { mutation, stagedUploadPath }, "bulkOperationRunMutation", { notRepeatable: true },
        );
        operationId = payload.bulkOperation.id;
      } catch (error) {
        if (!isBulkQueueFull(error)) throw error;
        await this.waitForRoomForBulk(pollMs, deadline);
      }
    }
    await onStarted?.(operationId);
    return this.waitForBulk(operationId, pollMs, deadline);
  }

  /**
   * This app's bulk mutations in the store created since `since` (ISO time), newest first: up to
   * five run at once, so a job that stopped before recording its operation's id looks among them.
   */
  async bulkMutationsSince(since: string): Promise<{ id: string; status: string; createdAt: string }[]> {
    const { bulkOperations } = await this.request<{ bulkOperations: { nodes: { id: string; status: string; createdAt: string }[] } }>(
      BULK_MUTATIONS_SINCE, { query: `operation_type:mutation created_at:>='${since}'` },
    );
    return bulkOperations.nodes;
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

/** Whether a bulk operation was refused because the store runs as many of ours as Shopify allows. */
function isBulkQueueFull(error: unknown): boolean {
  return error instanceof ShopifyUserErrors && (error.hasCode("LIMIT_REACHED") || error.hasCode("OPERATION_IN_PROGRESS"));
}

/** The lines of a bulk operation's JSONL result, one parsed object at a time (never the whole file in memory). */
export async function* streamJsonl(url: string): AsyncGenerator<Record<string, unknown>> {
  const response = await fetchWithRetries(url);
  if (!response.ok || !response.body) throw new Error(`Could not download bulk result (HTTP ${response.status})`);
  const lines = readline.createInterface({ input: Readable.fromWeb(response.body as WebReadableStream), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
}

/**
 * Bulk output lines with every child after its parent, whatever order they came in (ungrouped
 * output promises none): a child whose parent has not come yet waits for it. Memory: the ids seen,
 * plus the children that arrived before their parent; a child whose parent never comes (outside
 * the query's filter) is dropped.
 */
export async function* parentsFirst(lines: AsyncIterable<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  const seen = new Set<string>();
  const waiting = new Map<string, Record<string, unknown>[]>();
  function* release(line: Record<string, unknown>): Generator<Record<string, unknown>> {
    const ready = [line];
    while (ready.length > 0) {
      const next = ready.shift()!;
      yield next;
      if (typeof next.id !== "string") continue;
      seen.add(next.id);
      const children = waiting.get(next.id);
      if (children) {
        waiting.delete(next.id);
        ready.push(...children);
      }
    }
  }
  for await (const line of lines) {
    const parent = typeof line.__parentId === "string" ? line.__parentId : null;
    if (parent === null || seen.has(parent)) {
      yield* release(line);
    } else {
      const siblings = waiting.get(parent);
      if (siblings) siblings.push(line);
      else waiting.set(parent, [line]);
    }
  }
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

/** A 429's wait (Retry-After, in seconds; a minute when absent, the window of Shopify's limits) and Shopify's words. */
function resourceLimitOf(shop: string, response: ClientError["response"]): ShopifyResourceLimitError {
  const seconds = Number(response.headers?.get("retry-after"));
  const body = (() => {
    try {
      return JSON.parse(response.body ?? "") as { errors?: unknown };
    } catch {
      return {};
    }
  })();
  const detail = typeof body.errors === "string" ? body.errors : "HTTP 429";
  return new ShopifyResourceLimitError(shop, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000, detail);
}
