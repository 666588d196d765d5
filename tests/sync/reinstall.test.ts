import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// A store that uninstalls Tandem and installs it again: its connection comes back and catches up
// once, when Shopify's authentication of the returning store runs (the app's afterAuth hook);
// opening a page otherwise starts no work.
const PRIMARY = "back-primary.myshopify.com";
const RETURNING = "back-returning.myshopify.com";
let network: SyncNetwork;

const jobsOf = (kind: string) => network.prisma.job.count({ where: { kind, lane: RETURNING } });

beforeAll(async () => {
  network = await startSyncNetwork({ TANDEM_RECONCILE_INTERVAL_MS: "0" });
  const { control } = network.sim;
  for (const shop of [PRIMARY, RETURNING]) await control.createStore({ domain: shop });
  await control.createProduct(PRIMARY, { title: "Kettle", variants: [{ sku: "KETTLE", price: "30.00" }] });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: RETURNING }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("a store that installs Tandem again", () => {
  test("opening pages starts no work", async () => {
    const jobs = await network.prisma.job.count();
    for (const page of ["/app", "/app/settings", "/app/sync", "/app/products", "/app/plan"]) {
      expect((await network.load(PRIMARY, page)).status).toBe(200);
      expect((await network.load(RETURNING, page)).status).toBe(200);
    }
    expect(await network.prisma.job.count()).toBe(jobs);
  });

  test("is connected again and catches up once: a Sync all and a stock check, whatever it opens next", async () => {
    await network.sim.control.uninstall(RETURNING);
    await network.sim.control.webhooksIdle();
    await network.idle();
    expect((await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: RETURNING } })).status).toBe("needs_attention");
    const before = { syncAll: await jobsOf("sync-all"), reconcile: await jobsOf("reconcile-stock") };

    await network.sim.control.install(RETURNING);
    expect((await network.load(RETURNING, "/app")).status).toBe(200);
    expect((await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: RETURNING } })).status).toBe("connected");
    expect({ syncAll: await jobsOf("sync-all"), reconcile: await jobsOf("reconcile-stock") }).toEqual({ syncAll: before.syncAll + 1, reconcile: before.reconcile + 1 });
    await network.idle();
    expect((await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: RETURNING }, orderBy: { createdAt: "desc" } })).status).toBe("succeeded");

    // Later visits are visits.
    for (const page of ["/app", "/app/settings"]) expect((await network.load(RETURNING, page)).status).toBe(200);
    expect({ syncAll: await jobsOf("sync-all"), reconcile: await jobsOf("reconcile-stock") }).toEqual({ syncAll: before.syncAll + 1, reconcile: before.reconcile + 1 });
  });
});
