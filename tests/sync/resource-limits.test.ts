import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";

const PRIMARY = "limits-primary.myshopify.com";
const CROWDED = "limits-crowded.myshopify.com";
let network: SyncNetwork;

beforeAll(async () => {
  // Direct writes (one productSet per product): the simulator limits those, not bulk mutations.
  network = await startSyncNetwork({ TANDEM_BULK_WRITE_THRESHOLD: "100000" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY });
  // Shopify's throttle at a small scale: past 5 variants, 3 new ones a "day" of 20 s (Shopify: 50,000, 1,000 and 24 h),
  // long enough that the three creations fall inside one day on a loaded machine.
  await control.createStore({ domain: CROWDED, variantCreationLimit: { storeVariants: 5, perDay: 3, dayMs: 20_000 } });
  await control.seed(CROWDED, { products: 5, variantsPerProduct: 1, seed: 3, skuPrefix: "OWN" });
  for (let i = 1; i <= 4; i++) await control.createProduct(PRIMARY, { title: `Limited ${i}`, variants: [{ sku: `LIM-${i}`, price: "9.00" }] });
  await network.ensureWorker();
}, 60_000);

afterAll(async () => {
  await network?.stop();
});

describe("a dependent past Shopify's variant creation limit", () => {
  test("Sync all creates what the day allows, says why the rest waits, keeps its attempts, and goes on by itself the next day", async () => {
    await connectStores(network, PRIMARY, [{ shop: CROWDED }]);
    const copies = async () => (await network.sim.control.snapshot(CROWDED)).products.filter((product) => product.title.startsWith("Limited")).map((product) => product.title).sort();
    const waiting = await waitFor(
      () => network.prisma.job.findFirst({ where: { kind: "sync-all", lane: CROWDED, status: "queued", lastError: { contains: "refused the call for now" } } }),
      (job) => job !== null, 60_000,
    );
    expect(await copies()).toHaveLength(3);
    expect(waiting!.attempts).toBe(0);
    // Shopify's Retry-After: until the first creation of the day is a day old.
    const retryAfter = Number(/it can be made again in (\d+) s/.exec(waiting!.lastError ?? "")?.[1]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: CROWDED, action: "skipped", message: { contains: "waits" } } });
    expect(entry.message).toContain("1,000 new ones a day");
    expect(entry.fix).toContain("delete variants");

    // A day later, by itself: the rest is created, once.
    await waitFor(copies, (titles) => titles.length === 4, 60_000);
    await network.idle();
    expect(await copies()).toEqual(["Limited 1", "Limited 2", "Limited 3", "Limited 4"]);
    expect(await network.prisma.job.findUniqueOrThrow({ where: { id: waiting!.id } })).toMatchObject({ status: "succeeded" });
  }, 180_000);
});
