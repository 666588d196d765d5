import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, syncAll } from "../setup/sync-network";

// Issue 36, item 2: the primary chooses which product metafield definitions travel. A dependent
// lacking one gets it; values keep their type; references point to the dependent's linked copies,
// or wait, logged, while a target is not linked; a definition of another type in the dependent is
// left alone with a clear entry. Each assertion fails if its rule is ignored.
const PRIMARY = "meta-primary.myshopify.com";
const PLAIN = "meta-plain.myshopify.com";
const CLASHING = "meta-clashing.myshopify.com";
let network: SyncNetwork;
let cupId = "";
let saucerVariantId = "";

const copyIn = async (shop: string, sku: string) => {
  const copy = (await network.sim.control.snapshot(shop)).products.find((product) => product.variants.some((variant) => variant.sku === sku));
  if (!copy) throw new Error(`no copy of ${sku} in ${shop}`);
  return copy;
};

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const domain of [PRIMARY, PLAIN, CLASHING]) await control.createStore({ domain, locations: ["Main"] });
  await control.createMetafieldDefinition(PRIMARY, { name: "Material", namespace: "custom", key: "material", type: "single_line_text_field" });
  await control.createMetafieldDefinition(PRIMARY, { name: "Pairs with", namespace: "custom", key: "pairs_with", type: "list.product_reference" });
  await control.createMetafieldDefinition(PRIMARY, { name: "Care", namespace: "custom", key: "care", type: "multi_line_text_field" });
  // The clashing store defines "material" as a number already.
  await control.createMetafieldDefinition(CLASHING, { name: "Material code", namespace: "custom", key: "material", type: "number_integer" });
  await connectStores(network, PRIMARY, [{ shop: PLAIN }, { shop: CLASHING }]);
  await network.startWorker();
  await network.idle();
  const saucer = await control.createProduct(PRIMARY, { title: "Saucer", status: "ACTIVE", variants: [{ sku: "SAUCER", price: "4.00" }] });
  saucerVariantId = saucer.variants[0];
  // No SKU: never synced, so never linked in a dependent.
  const tray = await control.createProduct(PRIMARY, { title: "Tray", status: "ACTIVE", variants: [{ sku: null, price: "9.00" }] });
  cupId = (await control.createProduct(PRIMARY, {
    title: "Cup", status: "ACTIVE", variants: [{ sku: "CUP", price: "6.00" }],
    metafields: [
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Porcelain" },
      { namespace: "custom", key: "pairs_with", type: "list.product_reference", value: JSON.stringify([saucer.id]) },
      { namespace: "custom", key: "care", type: "multi_line_text_field", value: "Hand wash" },
    ],
  })).id;
  await control.createProduct(PRIMARY, {
    title: "Teapot", status: "ACTIVE", variants: [{ sku: "TEAPOT", price: "30.00" }],
    metafields: [
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Cast iron" },
      { namespace: "custom", key: "pairs_with", type: "list.product_reference", value: JSON.stringify([saucer.id, tray.id]) },
    ],
  });
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("metafields the primary chooses", () => {
  test("the choice is saved from Settings; a definition the store does not have is refused, saving nothing", async () => {
    const refused = await network.post(PRIMARY, "/app/settings", { intent: "save-metafields", metafields: JSON.stringify(["custom.material", "custom.nope"]) });
    expect(refused.shown).toContain("A ticked metafield is no longer defined in this store.");
    expect(await network.prisma.metafieldChoice.count()).toBe(0);
    // An app's reserved namespace is that app's alone: never offered, refused if sent.
    await network.sim.control.createMetafieldDefinition(PRIMARY, { name: "Another app's", namespace: "$app:other", key: "secret", type: "single_line_text_field" });
    const reserved = await network.post(PRIMARY, "/app/settings", { intent: "save-metafields", metafields: JSON.stringify(["app--1--other.secret"]) });
    expect(reserved.shown).toContain("A ticked metafield is no longer defined in this store.");
    // A reference to what Tandem does not copy (a metaobject) would name nothing in a dependent: not offered either.
    await network.sim.control.createMetafieldDefinition(PRIMARY, { name: "Designer", namespace: "custom", key: "designer", type: "metaobject_reference" });
    expect((await network.post(PRIMARY, "/app/settings", { intent: "save-metafields", metafields: JSON.stringify(["custom.designer"]) })).shown)
      .toContain("A ticked metafield is no longer defined in this store.");
    // The card as rendered: each definition offered shows its namespace.key.
    const offered = (await network.page(PRIMARY, "/app/settings")).html;
    expect(offered).toContain("custom.care");
    expect(offered).not.toContain("custom.designer");
    expect(offered).not.toContain("app--1--other.secret");
    const garbled = await network.post(PRIMARY, "/app/settings", { intent: "save-metafields", metafields: "material" });
    expect(garbled.shown).toContain("not understood");

    const saved = await network.post(PRIMARY, "/app/settings", { intent: "save-metafields", metafields: JSON.stringify(["custom.material", "custom.pairs_with"]) });
    expect(saved.shown).toContain("2 metafields travel to the dependents now.");
    expect(await network.prisma.metafieldChoice.findMany({ select: { namespace: true, key: true, name: true, type: true }, orderBy: { key: "asc" } })).toEqual([
      { namespace: "custom", key: "material", name: "Material", type: "single_line_text_field" },
      { namespace: "custom", key: "pairs_with", name: "Pairs with", type: "list.product_reference" },
    ]);
    await network.idle();
  });

  test("a dependent gets the definitions it lacks and the chosen values; references point to its own copies", async () => {
    const snapshot = await network.sim.control.snapshot(PLAIN);
    expect(snapshot.metafieldDefinitions.map((d) => `${d.namespace}.${d.key}:${d.type}`).filter((d) => d.startsWith("custom.")).sort())
      .toEqual(["custom.material:single_line_text_field", "custom.pairs_with:list.product_reference"]);
    const cup = await copyIn(PLAIN, "CUP");
    const saucer = await copyIn(PLAIN, "SAUCER");
    expect(cup.metafields["custom.material"]).toEqual({ type: "single_line_text_field", value: "Porcelain" });
    expect(cup.metafields["custom.pairs_with"]).toEqual({ type: "list.product_reference", value: JSON.stringify([saucer.id]) });
    // Not chosen: not copied.
    expect(cup.metafields["custom.care"]).toBeUndefined();
  });

  test("a reference to a product not linked in the dependent: the value waits, and the log says why", async () => {
    const teapot = await copyIn(PLAIN, "TEAPOT");
    expect(teapot.metafields["custom.material"]).toEqual({ type: "single_line_text_field", value: "Cast iron" });
    expect(teapot.metafields["custom.pairs_with"]).toBeUndefined();
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: PLAIN, productTitle: "Teapot", action: "skipped", message: { contains: "custom.pairs_with" } } });
    expect(entry.message).toBe("Metafield custom.pairs_with of “Teapot” not copied yet: 1 of the products, variants or collections it points to is not linked in this store");
  });

  test("a definition of another type in the dependent is left alone, with a clear entry; the rest still travels", async () => {
    const snapshot = await network.sim.control.snapshot(CLASHING);
    expect(snapshot.metafieldDefinitions.find((d) => d.key === "material")).toMatchObject({ type: "number_integer", name: "Material code" });
    const cup = await copyIn(CLASHING, "CUP");
    expect(cup.metafields["custom.material"]).toBeUndefined();
    expect(cup.metafields["custom.pairs_with"]?.type).toBe("list.product_reference");
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: CLASHING, productTitle: "Cup", action: "skipped", message: { contains: "custom.material" } } });
    expect(entry.message).toBe("Metafield custom.material of “Cup” not copied: this store defines it as number_integer, the primary as single_line_text_field");
  });

  test("an edit of a chosen value on the primary reaches the copies; an edit of one not chosen does not", async () => {
    await network.sim.control.updateProduct(PRIMARY, cupId, { metafields: [
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Bone china" },
      { namespace: "custom", key: "care", type: "multi_line_text_field", value: "Dishwasher" },
    ] });
    await network.idle();
    const cup = await copyIn(PLAIN, "CUP");
    expect(cup.metafields["custom.material"]?.value).toBe("Bone china");
    expect(cup.metafields["custom.care"]).toBeUndefined();
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: PLAIN, productTitle: "Cup", action: "updated" }, orderBy: { createdAt: "desc" } });
    // Each store's vendor is its own name by default: it differs, and stays by the store's choice.
    expect(entry.message).toBe("Updated metafields of “Cup”; left as this store chose: vendor");
  });

  test("variant and collection references: translated once their targets are linked (collections are copied at the end of Sync all)", async () => {
    const { control } = network.sim;
    await control.createMetafieldDefinition(PRIMARY, { name: "Featured in", namespace: "custom", key: "featured_in", type: "collection_reference" });
    await control.createMetafieldDefinition(PRIMARY, { name: "Main variant", namespace: "custom", key: "main_variant", type: "variant_reference" });
    const teaTime = await control.createCollection(PRIMARY, { title: "Tea time", productIds: [cupId] });
    await control.updateProduct(PRIMARY, cupId, { metafields: [
      { namespace: "custom", key: "featured_in", type: "collection_reference", value: teaTime.id },
      { namespace: "custom", key: "main_variant", type: "variant_reference", value: saucerVariantId },
    ] });
    const saved = await network.post(PRIMARY, "/app/settings", {
      intent: "save-metafields", metafields: JSON.stringify(["custom.material", "custom.pairs_with", "custom.featured_in", "custom.main_variant"]),
    });
    expect(saved.shown).toContain("4 metafields travel to the dependents now.");
    await network.idle();
    // A second run: by now every collection copy exists and is linked.
    await syncAll(network, PRIMARY);
    const snapshot = await network.sim.control.snapshot(PLAIN);
    const cup = await copyIn(PLAIN, "CUP");
    const saucer = await copyIn(PLAIN, "SAUCER");
    expect(cup.metafields["custom.featured_in"]).toEqual({ type: "collection_reference", value: snapshot.collections.find((c) => c.title === "Tea time")!.id });
    expect(cup.metafields["custom.main_variant"]).toEqual({ type: "variant_reference", value: saucer.variants[0].id });
  });
});
