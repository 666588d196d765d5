import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SHOP_OWNED_TABLES } from "../../app/models/shopTables";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";

// shop/redact (Shopify sends it 48 hours after an uninstall): every row naming the store goes, in
// every table, unless the store installed Tandem again meanwhile.
const PRIMARY = "redact-primary.myshopify.com";
const LEAVER = "redact-leaver.myshopify.com";
const STAYER = "redact-stayer.myshopify.com";
let network: SyncNetwork;

/** Rows naming `shop`, per table, through each column that names a shop. */
async function rowsNaming(shop: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, columns] of Object.entries(SHOP_OWNED_TABLES)) {
    // The test's own constant names, quoted as SQL literals (the same text on both engines).
    const name = `'${shop}'`;
    const conditions = [...columns.map((column) => `"${column}" = ${name}`), ...(table === "Job" ? [`"lane" LIKE '${shop}#%'`, `"payload" LIKE '%"${shop}"%'`] : [])];
    const [row] = await network.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${conditions.join(" OR ")}`);
    counts[table] = Number(row.n);
  }
  return counts;
}

const redact = (shop: string) => postSignedWebhook(network.app.origin, { path: "/webhooks/compliance", topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } });

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: LEAVER, locations: ["Main"] });
  await control.createStore({ domain: STAYER, locations: ["Main"] });
  await control.createProduct(PRIMARY, { title: "Lamp", variants: [{ sku: "LAMP", price: "40.00" }] });
  await control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 10 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: LEAVER }, { shop: STAYER }]);
  await network.idle();
  // A sale there: ledger rows, a mirrored order, written levels, jobs and log entries name it.
  await control.placeOrder(LEAVER, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "buyer@example.com" });
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("shop/redact", () => {
  test("of a store that uninstalled Tandem leaves no row naming it in any table; the rest of the network keeps its own", async () => {
    const before = await rowsNaming(LEAVER);
    // The store left data in most tables, so the erasure below is seen there.
    expect(Object.values(before).filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);
    await network.sim.control.uninstall(LEAVER);
    await network.sim.control.webhooksIdle();
    expect((await redact(LEAVER)).status).toBe(200);
    expect(Object.entries(await rowsNaming(LEAVER)).filter(([, n]) => n > 0)).toEqual([]);
    // Positive control: the primary and the other dependent are as they were.
    expect(await network.prisma.connection.count({ where: { dependentShop: STAYER, status: "connected" } })).toBe(1);
    expect(await network.prisma.store.count({ where: { shop: { in: [PRIMARY, STAYER] } } })).toBe(2);
    expect(await network.prisma.productLink.count({ where: { dependentShop: STAYER } })).toBe(1);
  });

  test("of a store that installed Tandem again since erases nothing", async () => {
    await network.sim.control.uninstall(STAYER);
    await network.sim.control.webhooksIdle();
    await network.sim.control.install(STAYER);
    // Its next visit records the reinstall.
    expect((await network.load(STAYER, "/app")).status).toBe(200);
    const before = await rowsNaming(STAYER);
    expect((await redact(STAYER)).status).toBe(200);
    expect(await rowsNaming(STAYER)).toEqual(before);
    expect(await network.prisma.store.findUniqueOrThrow({ where: { shop: STAYER } })).toMatchObject({ role: "dependent", uninstalledAt: null });
  });
});
