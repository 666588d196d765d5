import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

const PRIMARY = "bye-primary.myshopify.com";
const DELETER = "bye-deleter.myshopify.com";
const KEEPER = "bye-keeper.myshopify.com";
const RETURNER = "bye-returner.myshopify.com";
const ZEROER = "bye-zeroer.myshopify.com";
const OWN_STOCK = "bye-own-stock.myshopify.com";
let network: SyncNetwork;

const titles = async (shop: string) => (await network.sim.control.snapshot(shop)).products.map((p) => p.title).sort();
const levelsOf = async (shop: string) => Object.fromEntries((await network.sim.control.snapshot(shop)).products.flatMap((p) =>
  p.variants.map((v) => [v.sku, Object.fromEntries(Object.entries(v.quantities).map(([location, q]) => [location, q.available]))]),
));
const connectionIdOf = async (shop: string) => (await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: shop, status: "connected" } })).id;

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const shop of [PRIMARY, DELETER, KEEPER, RETURNER]) await control.createStore({ domain: shop });
  await control.createProduct(PRIMARY, { title: "Kettle", variants: [{ sku: "KETTLE", price: "30.00" }] });
  await control.createProduct(PRIMARY, { title: "Teapot", variants: [{ sku: "TEAPOT", price: "25.00" }] });
  await control.createProduct(PRIMARY, { title: "Cup", variants: [{ sku: "CUP", price: "5.00" }] });
  for (const shop of [DELETER, KEEPER]) {
    // Each dependent already sells cups (matched by SKU, not created by Tandem) and has a product of its own.
    await control.createProduct(shop, { title: "Our cup", variants: [{ sku: "CUP", price: "6.00" }] });
    await control.createProduct(shop, { title: "Local honey", variants: [{ sku: "HONEY", price: "8.00" }] });
  }
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: DELETER }, { shop: KEEPER }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("disconnecting a dependent (seed 003)", () => {
  test("before: Tandem created two products and matched the cup the store already had", async () => {
    expect(await titles(DELETER)).toEqual(["Cup", "Kettle", "Local honey", "Teapot"]);
    expect(await network.prisma.productLink.count({ where: { dependentShop: DELETER, createdByTandem: true } })).toBe(2);
  });

  test("“delete” removes only the products Tandem created; matched and local products stay", async () => {
    const result = await network.post(DELETER, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(DELETER), products: "delete" });
    expect(result.shown).toContain("being deleted");
    await network.idle();
    expect(await titles(DELETER)).toEqual(["Cup", "Local honey"]);
    expect(await network.prisma.productLink.count({ where: { dependentShop: DELETER } })).toBe(0);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "remove-created-products", lane: DELETER } });
    expect(job.status).toBe("succeeded");
    expect(JSON.parse(job.result!)).toEqual({ deleted: 2, total: 2 });
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: DELETER, action: "deleted" } });
    expect(log.map((e) => e.productTitle).sort()).toEqual(["Kettle", "Teapot"]);
  });

  test("“keep” leaves every product, forgets the links, and later primary edits no longer arrive", async () => {
    const result = await network.post(KEEPER, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(KEEPER), products: "keep" });
    expect(result.shown).toContain("Products already in this store stay here");
    await network.idle();
    expect(await titles(KEEPER)).toEqual(["Cup", "Kettle", "Local honey", "Teapot"]);
    expect(await network.prisma.productLink.count({ where: { dependentShop: KEEPER } })).toBe(0);
    const kettle = (await network.sim.control.snapshot(PRIMARY)).products.find((p) => p.title === "Kettle")!;
    await network.sim.control.updateProduct(PRIMARY, kettle.id, { title: "Kettle 2" });
    await network.idle();
    expect(await titles(KEEPER)).toContain("Kettle");
    expect(await network.prisma.job.count({ where: { lane: KEEPER, kind: "sync-product" } })).toBe(0);
  });

  test("a primary's disconnect of a dependent never deletes the dependent's products", async () => {
    await connectStores(network, PRIMARY, [{ shop: KEEPER }]);
    await network.idle();
    const before = await titles(KEEPER);
    const result = await network.post(PRIMARY, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(KEEPER), products: "delete" });
    expect(result.shown).toContain("Products already in this store stay here");
    await network.idle();
    expect(await titles(KEEPER)).toEqual(before);
    expect(await network.prisma.job.count({ where: { kind: "remove-created-products", lane: KEEPER } })).toBe(0);
  });

  test("a removal still waiting when the store connects again deletes nothing, and is not retried by anyone", async () => {
    await connectStores(network, PRIMARY, [{ shop: RETURNER }]);
    await network.idle();
    const synced = await titles(RETURNER);
    expect(synced).toHaveLength(3);
    await network.killWorkers();
    const result = await network.post(RETURNER, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(RETURNER), products: "delete" });
    expect(result.shown).toContain("being deleted");
    await connectStores(network, PRIMARY, [{ shop: RETURNER }]);
    await network.startWorker();
    await network.idle();
    expect(await titles(RETURNER)).toEqual(synced);
    const removal = await network.prisma.job.findFirstOrThrow({ where: { kind: "remove-created-products", lane: RETURNER } });
    expect({ status: removal.status, result: JSON.parse(removal.result!) }).toEqual({ status: "succeeded", result: { deleted: 0, total: 0, reconnected: true } });
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: RETURNER, jobId: removal.id } });
    expect(log.map((e) => e.message)).toEqual([`The products Tandem had created were not deleted: this store connected to ${PRIMARY} again before their removal ran, so they stay linked`]);

    // Had it failed, neither the primary nor the store itself could run it again now.
    await network.prisma.job.update({ where: { id: removal.id }, data: { status: "failed", lastError: "The store could not be reached" } });
    const byPrimary = await network.post(PRIMARY, "/app/sync", { intent: "retry", jobId: removal.id });
    expect(byPrimary.shown).toContain("Only the store whose products these are can retry their removal.");
    const byItself = await network.post(RETURNER, "/app/sync", { intent: "retry", jobId: removal.id });
    expect(byItself.shown).toContain(`Not retried: this store is connected to ${PRIMARY} again`);
    expect(await network.prisma.job.count({ where: { kind: "remove-created-products", lane: RETURNER } })).toBe(1);
    expect(await titles(RETURNER)).toEqual(synced);
  });

  test("“keep, stock at 0” keeps every product and sets to 0 only the stock Tandem fed there; the store's own stock stays", async () => {
    const { control } = network.sim;
    await control.createStore({ domain: ZEROER, locations: ["Shop", "Back room"] });
    await control.createProduct(ZEROER, { title: "Our cup", variants: [{ sku: "CUP", price: "6.00" }] });
    await control.createProduct(ZEROER, { title: "Local honey", variants: [{ sku: "HONEY", price: "8.00" }] });
    await control.setInventory(ZEROER, { sku: "HONEY", location: "Shop", available: 4 });
    // The store's own cups in a room no primary location feeds.
    await control.setInventory(ZEROER, { sku: "CUP", location: "Back room", available: 3 });
    for (const [sku, available] of [["KETTLE", 7], ["TEAPOT", 5], ["CUP", 9]] as const) await control.setInventory(PRIMARY, { sku, available });
    await connectStores(network, PRIMARY, [{ shop: ZEROER }]);
    await network.idle();
    // Products Tandem creates are stocked at every location of the store; only "Shop" is fed.
    expect(await levelsOf(ZEROER)).toEqual({
      KETTLE: { Shop: 7, "Back room": 0 }, TEAPOT: { Shop: 5, "Back room": 0 }, CUP: { Shop: 9, "Back room": 3 }, HONEY: { Shop: 4, "Back room": 0 },
    });

    const result = await network.post(ZEROER, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(ZEROER), products: "zero" });
    expect(result.shown).toContain("their stock from the primary is being set to 0");
    await network.idle();
    expect(await titles(ZEROER)).toEqual(["Cup", "Kettle 2", "Local honey", "Teapot"]);
    expect(await levelsOf(ZEROER)).toEqual({
      KETTLE: { Shop: 0, "Back room": 0 }, TEAPOT: { Shop: 0, "Back room": 0 }, CUP: { Shop: 0, "Back room": 3 }, HONEY: { Shop: 4, "Back room": 0 },
    });
    expect(await network.prisma.productLink.count({ where: { dependentShop: ZEROER } })).toBe(0);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "zero-kept-stock", lane: ZEROER } });
    expect({ status: job.status, result: JSON.parse(job.result!) }).toEqual({ status: "succeeded", result: { checked: 3, zeroed: 3 } });
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: ZEROER, jobId: job.id } });
    expect(log.map((e) => [e.action, e.productTitle, e.message]).sort()).toEqual([
      ["stock", "Cup", `Stock of CUP set to 0 at Shop (was 9): this store disconnected from ${PRIMARY}, keeping its products without the primary's stock`],
      ["stock", "Kettle 2", `Stock of KETTLE set to 0 at Shop (was 7): this store disconnected from ${PRIMARY}, keeping its products without the primary's stock`],
      ["stock", "Teapot", `Stock of TEAPOT set to 0 at Shop (was 5): this store disconnected from ${PRIMARY}, keeping its products without the primary's stock`],
    ]);
    // The primary's stock moves no more.
    await control.setInventory(PRIMARY, { sku: "KETTLE", available: 12 });
    await network.idle();
    expect((await levelsOf(ZEROER)).KETTLE).toEqual({ Shop: 0, "Back room": 0 });
  });

  test("“keep, stock at 0” in a store that never took the primary's quantities leaves its stock as it is", async () => {
    const { control } = network.sim;
    await control.createStore({ domain: OWN_STOCK });
    await control.createProduct(OWN_STOCK, { title: "Our cup", variants: [{ sku: "CUP", price: "6.00" }] });
    await control.setInventory(OWN_STOCK, { sku: "CUP", available: 2 });
    await connectStores(network, PRIMARY, [{ shop: OWN_STOCK, preferences: { scope: "matching", syncQuantity: "false" } }]);
    await network.idle();
    expect(await network.prisma.productLink.count({ where: { dependentShop: OWN_STOCK } })).toBe(1);
    await network.post(OWN_STOCK, "/app/settings", { intent: "disconnect", connectionId: await connectionIdOf(OWN_STOCK), products: "zero" });
    await network.idle();
    expect(Object.values(await levelsOf(OWN_STOCK))).toEqual([{ "Shop location": 2 }]);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "zero-kept-stock", lane: OWN_STOCK } });
    expect({ status: job.status, result: JSON.parse(job.result!) }).toEqual({ status: "succeeded", result: { checked: 0, zeroed: 0 } });
    expect(await network.prisma.productLink.count({ where: { dependentShop: OWN_STOCK } })).toBe(0);
  });
});
