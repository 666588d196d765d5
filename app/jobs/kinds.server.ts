import { z } from "zod";
import { getConfig } from "../config.server";
import { jobQueue } from "../models/queue.server";
import { type JobRecord, sideLane } from "./queue";

/**
 * Every kind of job Tandem queues, in one registry: the payload it carries (checked when it is
 * queued and again when it runs), and from what the caller knows, its lane (the store it writes
 * to: one job at a time per lane), its primary, its dedupe key and its delay. Callers queue with
 * `enqueueJob(kind, what)`; no one builds a lane or a key by hand. The handler of each kind is in
 * handlers.server.ts, typed to cover every kind here.
 */

type Pair = { primaryShop: string; dependentShop: string };
type Queued<Payload> = { lane: string; primaryShop: string; payload: Payload; dedupeKey?: string; dedupe?: "debounce" | "single"; delayMs?: number };
type JobKind<Schema extends z.ZodTypeAny, Args> = { payload: Schema; queue(args: Args): Queued<z.input<Schema>> };

function jobKind<Schema extends z.ZodTypeAny, Args>(definition: JobKind<Schema, Args>): JobKind<Schema, Args> {
  return definition;
}

/** Most products one "sync-products" job takes: its bulk queries name each one (`id:… OR …`). */
export const MAX_PRODUCTS_PER_BURST = 250;

/** Edits arriving within this window for one product become one job per dependent. */
export function productDebounceMs(): number {
  return getConfig().TANDEM_SYNC_DEBOUNCE_MS;
}

/**
 * How long a dependent's level that fell below what Tandem wrote waits before it is set back: most
 * such drops are sales whose order webhook is on its way (it may land after the inventory one), and
 * showing less stock for a while oversells nothing. A rise is set back after the debounce.
 */
export function saleGraceMs(): number {
  return Math.max(productDebounceMs(), getConfig().TANDEM_SALE_GRACE_MS);
}

/** The dedupe key of a product's sync to one dependent (a stock push skips items whose sync waits). */
export function productSyncKey(dependentShop: string, primaryProductId: string): string {
  return `sync-product:${dependentShop}:${primaryProductId}`;
}

const primaryOnly = z.object({ primaryShop: z.string() });
const movementSchema = z.object({
  key: z.string(), kind: z.enum(["sale", "reservation", "restock"]), sku: z.string().nullable(), lineItemId: z.string(), quantity: z.number().int().positive(),
  locationId: z.string().nullable(),
  // Absent in jobs queued before orders were recorded with their sales.
  orderId: z.string().nullable().default(null),
});

export const JOB_KINDS = {
  /** A pair's whole catalogue, in its dependent's lane; pressed twice, one job. */
  "sync-all": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop }: Pair) => ({ lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `sync-all:${dependentShop}`, dedupe: "single" }),
  }),
  /** One primary product to one dependent; edits close together fold into one job. */
  "sync-product": jobKind({
    payload: z.object({ primaryShop: z.string(), primaryProductId: z.string() }),
    queue: ({ primaryShop, dependentShop, primaryProductId, delayMs }: Pair & { primaryProductId: string; delayMs: number }) => ({
      lane: dependentShop, primaryShop, payload: { primaryShop, primaryProductId }, dedupeKey: productSyncKey(dependentShop, primaryProductId), dedupe: "debounce", delayMs,
    }),
  }),
  /** A burst of product syncs for one dependent, taken over from their waiting jobs. */
  "sync-products": jobKind({
    payload: z.object({ primaryShop: z.string(), productIds: z.array(z.string()).min(1).max(MAX_PRODUCTS_PER_BURST) }),
    queue: ({ primaryShop, dependentShop, productIds }: Pair & { productIds: string[] }) => ({ lane: dependentShop, primaryShop, payload: { primaryShop, productIds } }),
  }),
  /** The primary's collections to one dependent; a burst of edits makes one pass. */
  "sync-collections": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop }: Pair) => ({
      lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `sync-collections:${dependentShop}`, dedupe: "debounce", delayMs: productDebounceMs(),
    }),
  }),
  /** After a disconnect, the products Tandem created in the dependent, deleted. */
  "remove-created-products": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop }: Pair) => ({
      lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `remove-created-products:${dependentShop}:${primaryShop}`, dedupe: "single",
    }),
  }),
  /** After a disconnect that keeps the products, the stock the primary fed there, set to 0. */
  "zero-kept-stock": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop }: Pair) => ({
      lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `zero-kept-stock:${dependentShop}:${primaryShop}`, dedupe: "single",
    }),
  }),
  /**
   * The ledger's sales and restocks applied to the primary, in its lane: one waiting at most, a
   * request while one runs queues its successor. `retryInMs`: a later pass for movements a run had
   * to leave (its own key, so it never delays sales).
   */
  "apply-stock": jobKind({
    // Jobs queued before movements were batched per primary also name a dependent and carry its movements.
    payload: z.object({ primaryShop: z.string(), dependentShop: z.string().optional(), movements: z.array(movementSchema).optional() }),
    queue: ({ primaryShop, retryInMs }: { primaryShop: string; retryInMs?: number }) => retryInMs === undefined
      ? { lane: primaryShop, primaryShop, payload: { primaryShop }, dedupeKey: `apply-stock:${primaryShop}`, dedupe: "debounce", delayMs: 0 }
      : { lane: primaryShop, primaryShop, payload: { primaryShop }, dedupeKey: `apply-stock-later:${primaryShop}`, dedupe: "single", delayMs: retryInMs },
  }),
  /**
   * The primary's marked levels to one dependent. Now (`afterMs`, the pacing of ADR 0015: changes
   * fold into the waiting push), or at the end of a given second (`dueSecond`, one job per second).
   */
  "push-stock": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop, when }: Pair & { when: { afterMs: number } | { dueSecond: number } }) => "afterMs" in when
      ? { lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `push-stock:${dependentShop}`, dedupe: "debounce", delayMs: when.afterMs }
      : { lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `push-stock:${dependentShop}:${when.dueSecond}`, dedupe: "single", delayMs: when.dueSecond * 1000 - Date.now() },
  }),
  /** Strict stock mode's marked pools brought to their shares, in the primary's lane (its books' only writer besides apply-stock). */
  "rebalance-stock": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop }: { primaryShop: string }) => ({ lane: primaryShop, primaryShop, payload: { primaryShop }, dedupeKey: `rebalance-stock:${primaryShop}`, dedupe: "debounce", delayMs: 0 }),
  }),
  /** A stock check of a pair; a check already waiting absorbs the request. */
  "reconcile-stock": jobKind({
    payload: primaryOnly,
    queue: ({ primaryShop, dependentShop }: Pair) => ({ lane: dependentShop, primaryShop, payload: { primaryShop }, dedupeKey: `reconcile-stock:${dependentShop}`, dedupe: "single" }),
  }),
  /** A dependent's paid order recorded on the primary (seed 002), in a lane beside the primary's stock; once per order. */
  "mirror-order": jobKind({
    payload: z.object({ primaryShop: z.string(), dependentShop: z.string(), orderId: z.string() }),
    queue: (order: Pair & { orderId: string }) => ({
      lane: sideLane(order.primaryShop, "orders"), primaryShop: order.primaryShop, payload: order, dedupeKey: `mirror-order:${order.dependentShop}:${order.orderId}`, dedupe: "single",
    }),
  }),
};

export type JobKindName = keyof typeof JOB_KINDS;
type Definition<K extends JobKindName> = (typeof JOB_KINDS)[K];
export type JobArgs<K extends JobKindName> = Parameters<Definition<K>["queue"]>[0];
export type JobPayload<K extends JobKindName> = z.output<Definition<K>["payload"]>;

export function isJobKind(kind: string): kind is JobKindName {
  return Object.hasOwn(JOB_KINDS, kind);
}

/** Queues a job of this kind: its lane, key and delay as the registry says, its payload checked. */
export async function enqueueJob<K extends JobKindName>(kind: K, args: JobArgs<K>): Promise<{ job: JobRecord; created: boolean }> {
  const definition: JobKind<z.ZodTypeAny, JobArgs<K>> = JOB_KINDS[kind];
  const queued = definition.queue(args);
  return jobQueue().enqueue({ kind, ...queued, payload: definition.payload.parse(queued.payload) });
}

/** A job's payload as its kind defines it; a payload that is not is an error no retry can fix. */
export function payloadOf<K extends JobKindName>(kind: K, job: JobRecord): JobPayload<K> {
  return JOB_KINDS[kind].payload.parse(job.payload);
}

/**
 * A failed job run again as a new job of the same kind, lane, primary and payload (its history
 * stays), under its own dedupe key so that, pressed twice or while the same work waits, it starts
 * nothing more.
 */
export async function requeueJob(job: JobRecord): Promise<{ job: JobRecord; created: boolean }> {
  if (!isJobKind(job.kind)) throw new Error(`Unknown job kind ${job.kind}`);
  return jobQueue().enqueue({
    kind: job.kind, lane: job.lane, primaryShop: job.primaryShop ?? undefined, payload: JOB_KINDS[job.kind].payload.parse(job.payload),
    dedupeKey: job.dedupeKey ?? `retry:${job.id}`, dedupe: "single",
  });
}
