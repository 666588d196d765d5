import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLResolveInfo, type OperationDefinitionNode,
  execute, parse, validate,
} from "graphql";
import type { BulkOperations } from "../bulk";
import { HttpError, readBody, sendJson } from "../http";
import { PLAN_LIMITS, type SimStore } from "../store";
import type { SimWorld } from "../world";
import { operationCost } from "./cost";
import { assertInputSizes, mutationResolvers, queryResolvers } from "./root";
import { LeakyBucket } from "./throttle";
import type { Context } from "./views";
import { IdempotencyKeys } from "./idempotency";
import { buildAdminSchema, servedApiVersion, type SimulatedApiVersion } from "../schema/admin-schema";

export const MAX_QUERY_COST = 1000;

/**
 * lostResponseRate: the request is executed, then the connection drops before the answer (a
 * timeout or network cut as the client sees it): a client that retries writes it twice unless
 * Shopify recognises the retry (idempotency keys, 2026-04+). lostResponseFields limits it to
 * operations with one of these root fields (empty: any).
 */
export type AdminApiChaos = {
  throttledRate: number; serverErrorRate: number; lostResponseRate: number; lostResponseFields: string[]; latencyMs: number; latencyJitterMs: number;
  /** The next this many answers (of lostResponseFields' operations) are lost, whatever the rate: one exact loss for a test. */
  lostResponseNext: number;
  /** Time a bulk mutation spends on each input line (Shopify's are not instant; 0 runs them at once). */
  bulkMutationLineMs: number;
  /**
   * Bulk operations stay queued (CREATED) while true (or, given shop domains, those shops'), as in a
   * busy Shopify queue: fills the five slots, or holds a job at a chosen step, on purpose.
   */
  bulkPaused: boolean | string[];
  /**
   * How long a created product, variant, order or customer stays out of `query:` searches (Shopify's
   * search index is updated after the write; 0: at once). Reads by id and unfiltered lists see it.
   */
  searchIndexLagMs: number;
  /** A share of requests (0–1) slower by latencyTailMs: the tail of Shopify's answer times. */
  latencyTailRate: number;
  latencyTailMs: number;
  /** Extra time every mutation takes (writes are slower than reads). */
  mutationLatencyMs: number;
  /** How long a bulk operation waits in Shopify's queue before it runs (status CREATED). */
  bulkQueueMs: number;
};

export type AdminApiStats = {
  requests: number; throttled: number; serverErrors: number; lostResponses: number; requestedCost: number; actualCost: number;
  /** Requests per API version served (an out-of-support one counts as the version that answered it). */
  versions: Record<string, number>;
  /** Requests and actual points by operation name, so a benchmark can tell what spends a store's bucket. */
  operations: Record<string, { requests: number; actualCost: number }>;
};

type RootResolver = (args: Record<string, unknown>, context: Context, info: GraphQLResolveInfo) => unknown;

function withInputLimit(resolvers: Record<string, RootResolver>) {
  return Object.fromEntries(
    Object.entries(resolvers).map(([name, resolve]) => [
      name,
      (args: Record<string, unknown>, context: Context, info: GraphQLResolveInfo) => {
        assertInputSizes(args, [name]);
        return resolve(args, context, info);
      },
    ]),
  );
}

const queryRoot = withInputLimit(queryResolvers);
const mutationRoot = withInputLimit(mutationResolvers);

/** Parsed and validated documents by query text: apps send the same few documents over and over. */
const DOCUMENT_CACHE_SIZE = 500;

export class AdminApi {
  private readonly buckets = new Map<string, LeakyBucket>();
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  readonly stats = new Map<string, AdminApiStats>();
  readonly idempotency: IdempotencyKeys;

  constructor(
    private readonly world: SimWorld,
    private readonly chaos: () => AdminApiChaos,
    private readonly random: () => number,
    readonly bulk: BulkOperations,
    private readonly clock: () => number = Date.now,
  ) {
    this.idempotency = new IdempotencyKeys(clock);
  }

  /**
   * Shopify's throttle on variant creation: once a store holds 50,000 variants, at most 1,000 new
   * ones a day (the note on productCreate in Shopify's schema; the 2019 changelog
   * https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation says an app
   * past it gets HTTP 429). A write that could create variants (productSet, productCreate,
   * productVariantsBulkCreate) is refused once the day's budget is spent, with Retry-After until the
   * oldest creation of the day is a day old (24 hours; tests set a shorter `dayMs`). Assumption: the check is on the day's count before
   * the call (a call may go past the budget by its own variants); bulk mutations are not limited.
   */
  private variantLimitReached(store: SimStore, operation: OperationDefinitionNode): number | null {
    const limit = store.variantCreationLimit;
    if (!limit || store.variants.size < limit.storeVariants) return null;
    if (!rootFieldsOf(operation).some((field) => VARIANT_CREATING_FIELDS.has(field))) return null;
    const now = this.clock();
    const dayAgo = now - (limit.dayMs ?? 24 * 60 * 60 * 1000);
    while (store.variantCreations.length > 0 && store.variantCreations[0] <= dayAgo) store.variantCreations.shift();
    if (store.variantCreations.length < limit.perDay) return null;
    return Math.max(1, Math.ceil((store.variantCreations[0] - dayAgo) / 1000));
  }

  /** Times of each development store's recent orderCreate calls (DEVELOPMENT_ORDER_LIMIT). */
  private readonly orderCreates = new Map<string, number[]>();

  /**
   * A development or trial store creates at most 5 orders a minute through orderCreate (Shopify's
   * note on the mutation, in its schema description). Past it: HTTP 429 with Retry-After, as the REST
   * API answers the same limit (its message, reported in
   * https://github.com/nozzlegear/ShopifySharp/issues/726); assumption: the GraphQL API answers the
   * same way. A refused call does not run. The minute is a real one (not time-scaled).
   */
  private orderLimitReached(store: SimStore, operation: OperationDefinitionNode): number | null {
    if (!store.development || !rootFieldsOf(operation).includes("orderCreate")) return null;
    const windowMs = DEVELOPMENT_ORDER_LIMIT.windowMs;
    const now = this.clock();
    const recent = (this.orderCreates.get(store.domain) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= DEVELOPMENT_ORDER_LIMIT.orders) {
      this.orderCreates.set(store.domain, recent);
      return Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
    }
    this.orderCreates.set(store.domain, [...recent, now]);
    return null;
  }

  reset() {
    this.buckets.clear();
    this.stats.clear();
    this.idempotency.clear();
  }

  bucketFor(store: SimStore): LeakyBucket {
    let bucket = this.buckets.get(store.domain);
    const { restoreRate } = PLAN_LIMITS[store.plan];
    if (!bucket || bucket.restoreRate !== restoreRate) {
      bucket = new LeakyBucket(restoreRate * 20, restoreRate, this.clock);
      this.buckets.set(store.domain, bucket);
    }
    return bucket;
  }

  private parseAndValidate(version: SimulatedApiVersion, query: string): DocumentNode | readonly GraphQLError[] {
    const cacheKey = `${version}\n${query}`;
    const cached = this.documents.get(cacheKey);
    if (cached) return cached;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query);
      const errors = validate(buildAdminSchema(version), document);
      result = errors.length > 0 ? errors : document;
    } catch (error) {
      result = [error as GraphQLError];
    }
    if (this.documents.size >= DOCUMENT_CACHE_SIZE) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(cacheKey, result);
    return result;
  }

  statsFor(domain: string): AdminApiStats {
    let stats = this.stats.get(domain);
    if (!stats) this.stats.set(domain, (stats = { requests: 0, throttled: 0, serverErrors: 0, lostResponses: 0, requestedCost: 0, actualCost: 0, versions: {}, operations: {} }));
    return stats;
  }

  async handle(request: IncomingMessage, response: ServerResponse, { shop, version: requested, origin }: { shop: string; version: string; origin: string }) {
    const store = this.world.stores.get(shop);
    const version = servedApiVersion(requested);
    if (!store || !version) throw new HttpError(404, "Not Found");
    response.setHeader("X-Shopify-API-Version", version);
    const schema = buildAdminSchema(version);
    const token = request.headers["x-shopify-access-token"];
    if (!this.world.acceptsToken(store, typeof token === "string" ? token : undefined)) {
      return sendJson(response, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    const chaos = this.chaos();
    const stats = this.statsFor(shop);
    stats.requests++;
    stats.versions[version] = (stats.versions[version] ?? 0) + 1;
    const tail = chaos.latencyTailRate > 0 && this.random() < chaos.latencyTailRate ? chaos.latencyTailMs : 0;
    const latency = chaos.latencyMs + (chaos.latencyJitterMs ? this.random() * chaos.latencyJitterMs : 0) + tail;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (chaos.serverErrorRate > 0 && this.random() < chaos.serverErrorRate) {
      stats.serverErrors++;
      return sendJson(response, 503, { errors: "Service Unavailable" });
    }

    const body = await readBody(request);
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      return sendJson(response, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof payload.query !== "string" || payload.query.trim() === "") {
      return sendJson(response, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const variables = (payload.variables && typeof payload.variables === "object" ? payload.variables : {}) as Record<string, unknown>;
    const operationName = typeof payload.operationName === "string" ? payload.operationName : undefined;

    const document = this.parseAndValidate(version, payload.query);
    if (Array.isArray(document)) return sendJson(response, 200, { errors: document.map(formatError) });

    const operations = (document as DocumentNode).definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    if (!operation) return sendJson(response, 200, { errors: [{ message: `No operation named "${operationName}"` }] });
    const fragments = Object.fromEntries(
      (document as DocumentNode).definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((f) => [f.name.value, f]),
    );

    const bucket = this.bucketFor(store);
    let requestedQueryCost: number;
    try {
      requestedQueryCost = operationCost(schema, operation, fragments, variables);
    } catch (error) {
      return sendJson(response, 200, { errors: [formatError(error as GraphQLError)] });
    }
    stats.requestedCost += requestedQueryCost;
    if (requestedQueryCost > MAX_QUERY_COST) {
      return sendJson(response, 200, {
        errors: [{
          message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: MAX_QUERY_COST },
        }],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
      });
    }
    const forcedThrottle = chaos.throttledRate > 0 && this.random() < chaos.throttledRate;
    if (forcedThrottle || !bucket.tryTake(requestedQueryCost)) {
      stats.throttled++;
      return sendJson(response, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
      });
    }

    const retryAfterSeconds = this.orderLimitReached(store, operation);
    if (retryAfterSeconds !== null) {
      return sendJson(response, 429, { errors: DEVELOPMENT_ORDER_LIMIT.message }, { "Retry-After": String(retryAfterSeconds) });
    }
    const variantsWaitSeconds = this.variantLimitReached(store, operation);
    if (variantsWaitSeconds !== null) {
      return sendJson(response, 429, { errors: VARIANT_CREATION_LIMIT_MESSAGE }, { "Retry-After": String(variantsWaitSeconds) });
    }
    const variantsBefore = store.variants.size;
    const context: Context = { world: this.world, store, origin, apiVersion: version, bulk: this.bulk, idempotency: this.idempotency, searchIndexLagMs: chaos.searchIndexLagMs };
    const result = await execute({
      schema,
      document: document as DocumentNode,
      operationName,
      variableValues: variables,
      contextValue: context,
      rootValue: operation.operation === "mutation" ? mutationRoot : queryRoot,
    });
    if (store.variantCreationLimit) for (let made = store.variants.size - variantsBefore; made > 0; made--) store.variantCreations.push(this.clock());
    if (operation.operation === "mutation" && chaos.mutationLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, chaos.mutationLatencyMs));
    const actualQueryCost = Math.min(requestedQueryCost, operationCost(schema, operation, fragments, variables, (result.data ?? null) as Record<string, unknown> | null));
    bucket.refund(requestedQueryCost - actualQueryCost);
    stats.actualCost += actualQueryCost;
    const named = (stats.operations[operation.name?.value ?? "(anonymous)"] ??= { requests: 0, actualCost: 0 });
    named.requests++;
    named.actualCost += actualQueryCost;
    const errors = result.errors?.map(formatError);
    const lose = losesResponsesOf(chaos, operation) && (chaos.lostResponseNext > 0 || (chaos.lostResponseRate > 0 && this.random() < chaos.lostResponseRate));
    if (lose) {
      if (chaos.lostResponseNext > 0) chaos.lostResponseNext--;
      stats.lostResponses++;
      request.socket.destroy();
      return;
    }
    sendJson(response, 200, {
      ...(errors ? { errors } : {}),
      data: result.data ?? null,
      extensions: { cost: { requestedQueryCost, actualQueryCost, throttleStatus: bucket.status() } },
    });
  }
}

const VARIANT_CREATING_FIELDS = new Set(["productSet", "productCreate", "productVariantsBulkCreate"]);
/** Assumption: Shopify's words for it are not published; these say what happened. */
export const VARIANT_CREATION_LIMIT_MESSAGE = "Daily variant creation limit reached for this store. Please try again later.";

export const DEVELOPMENT_ORDER_LIMIT = {
  orders: 5,
  windowMs: 60_000,
  message: "Exceeded order API rate limit, please try again in a minute. Upgrade to a paid account to remove this limit.",
};

function rootFieldsOf(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind === "Field" ? [selection.name.value] : []));
}

function losesResponsesOf(chaos: AdminApiChaos, operation: OperationDefinitionNode): boolean {
  if (chaos.lostResponseFields.length === 0) return true;
  return rootFieldsOf(operation).some((field) => chaos.lostResponseFields.includes(field));
}

function formatError(error: GraphQLError) {
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.extensions && Object.keys(error.extensions).length ? { extensions: error.extensions } : {}),
  };
}
