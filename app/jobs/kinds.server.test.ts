import { describe, expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

// The registry of job kinds, queued on the app's own database (no worker: jobs stay queued).
await useTestAppEnv({ TANDEM_SYNC_DEBOUNCE_MS: "2000" });
const { JOB_KINDS, enqueueJob, payloadOf, requeueJob } = await import("./kinds.server");
const { jobHandlers } = await import("./handlers.server");

const pair = { primaryShop: "kinds-primary.myshopify.com", dependentShop: "kinds-dependent.myshopify.com" };
const queued = ({ kind, lane, primaryShop, payload, dedupeKey }: { kind: string; lane: string; primaryShop: string | null; payload: unknown; dedupeKey: string | null }) => ({ kind, lane, primaryShop, payload, dedupeKey });

describe("the registry of job kinds", () => {
  test("every kind has a handler, and every handler a kind", () => {
    expect(Object.keys(jobHandlers).sort()).toEqual(Object.keys(JOB_KINDS).sort());
  });

  test("each kind gets its lane, primary, payload and dedupe key from what the caller knows", async () => {
    const cases = [
      [await enqueueJob("sync-all", pair), { kind: "sync-all", lane: pair.dependentShop, payload: { primaryShop: pair.primaryShop }, dedupeKey: `sync-all:${pair.dependentShop}` }],
      [await enqueueJob("sync-product", { ...pair, primaryProductId: "gid://shopify/Product/1", delayMs: 0 }), {
        kind: "sync-product", lane: pair.dependentShop, payload: { primaryShop: pair.primaryShop, primaryProductId: "gid://shopify/Product/1" }, dedupeKey: `sync-product:${pair.dependentShop}:gid://shopify/Product/1`,
      }],
      [await enqueueJob("sync-products", { ...pair, productIds: ["gid://shopify/Product/1"] }), { kind: "sync-products", lane: pair.dependentShop, payload: { primaryShop: pair.primaryShop, productIds: ["gid://shopify/Product/1"] }, dedupeKey: null }],
      [await enqueueJob("sync-collections", pair), { kind: "sync-collections", lane: pair.dependentShop, dedupeKey: `sync-collections:${pair.dependentShop}` }],
      [await enqueueJob("remove-created-products", pair), { kind: "remove-created-products", lane: pair.dependentShop, dedupeKey: `remove-created-products:${pair.dependentShop}:${pair.primaryShop}` }],
      [await enqueueJob("apply-stock", { primaryShop: pair.primaryShop }), { kind: "apply-stock", lane: pair.primaryShop, dedupeKey: `apply-stock:${pair.primaryShop}` }],
      [await enqueueJob("apply-stock", { primaryShop: pair.primaryShop, retryInMs: 30_000 }), { kind: "apply-stock", lane: pair.primaryShop, dedupeKey: `apply-stock-later:${pair.primaryShop}` }],
      [await enqueueJob("push-stock", { ...pair, when: { afterMs: 0 } }), { kind: "push-stock", lane: pair.dependentShop, dedupeKey: `push-stock:${pair.dependentShop}` }],
      [await enqueueJob("push-stock", { ...pair, when: { dueSecond: Math.floor(Date.now() / 1000) + 5 } }), { kind: "push-stock", lane: pair.dependentShop, dedupeKey: expect.stringMatching(new RegExp(`^push-stock:${pair.dependentShop}:\\d+$`)) }],
      [await enqueueJob("reconcile-stock", pair), { kind: "reconcile-stock", lane: pair.dependentShop, dedupeKey: `reconcile-stock:${pair.dependentShop}` }],
      [await enqueueJob("mirror-order", { ...pair, orderId: "gid://shopify/Order/7" }), {
        kind: "mirror-order", lane: `${pair.primaryShop}#orders`, payload: { ...pair, orderId: "gid://shopify/Order/7" }, dedupeKey: `mirror-order:${pair.dependentShop}:gid://shopify/Order/7`,
      }],
    ] as const;
    for (const [{ job, created }, expected] of cases) {
      expect(created).toBe(true);
      expect(queued(job)).toMatchObject({ primaryShop: pair.primaryShop, ...expected });
    }
    // Keys fold repeats: Sync all pressed twice is one job; a second edit of a product folds into its sync.
    expect((await enqueueJob("sync-all", pair)).created).toBe(false);
    expect((await enqueueJob("sync-product", { ...pair, primaryProductId: "gid://shopify/Product/1", delayMs: 0 })).created).toBe(false);
    expect((await enqueueJob("sync-products", { ...pair, productIds: ["gid://shopify/Product/1"] })).created).toBe(true);
  });

  test("a payload that is not what its kind says is refused when queued and when run", async () => {
    await expect(enqueueJob("sync-products", { ...pair, productIds: [] })).rejects.toThrow();
    const { job } = await enqueueJob("reconcile-stock", { ...pair, dependentShop: "kinds-other.myshopify.com" });
    expect(payloadOf("reconcile-stock", job)).toEqual({ primaryShop: pair.primaryShop });
    expect(() => payloadOf("mirror-order", job)).toThrow();
  });

  test("a retry is a new job of the same kind, lane and payload, once however often it is asked", async () => {
    const { job } = await enqueueJob("sync-products", { ...pair, productIds: ["gid://shopify/Product/2"] });
    const retried = await requeueJob(job);
    expect(retried.created).toBe(true);
    expect(queued(retried.job)).toEqual({ ...queued(job), dedupeKey: `retry:${job.id}` });
    expect((await requeueJob(job)).created).toBe(false);
    await expect(requeueJob({ ...job, kind: "retired-kind" })).rejects.toThrow("Unknown job kind retired-kind");
  });
});
