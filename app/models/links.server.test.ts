import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { linkedDependentProducts, linkedProductCount, productLinkPages, productLinksOf, removeProductLinks, saveProductLinks } = await import("./links.server");

const PRIMARY = "links-primary.myshopify.com";
const DEPENDENT = "links-copy.myshopify.com";
const primaryId = (n: number) => `gid://shopify/Product/${1000 + n}`;
const dependentId = (n: number) => `gid://shopify/Product/${9000 + n}`;

async function link(n: number, createdByTandem: boolean, primaryImages: string | null = null) {
  await saveProductLinks([{
    primaryShop: PRIMARY, dependentShop: DEPENDENT, primaryProductId: primaryId(n), dependentProductId: dependentId(n), createdByTandem, primaryStatus: "ACTIVE", primaryImages,
    variants: [{ sku: `LNK-${n}`, primaryVariantId: `gid://shopify/ProductVariant/${n}`, primaryInventoryItemId: `gid://shopify/InventoryItem/${n}`, dependentVariantId: `gid://shopify/ProductVariant/${9000 + n}`, dependentInventoryItemId: `gid://shopify/InventoryItem/${9000 + n}` }],
  }]);
}

test("a pair's links come a page at a time, each once, even when links are removed while paging", async () => {
  for (let n = 0; n < 23; n++) await link(n, n % 2 === 0);
  const seen: string[] = [];
  const pageSizes: number[] = [];
  for await (const page of productLinkPages(PRIMARY, DEPENDENT, { pageSize: 5 })) {
    pageSizes.push(page.length);
    for (const { primaryProductId } of page) {
      seen.push(primaryProductId);
      // What Sync all does to a product the primary no longer has.
      if (primaryProductId === primaryId(7)) await removeProductLinks(DEPENDENT, primaryProductId);
    }
  }
  expect(pageSizes).toEqual([5, 5, 5, 5, 3]);
  expect(seen).toEqual(Array.from({ length: 23 }, (_, n) => primaryId(n)).sort());
  expect(await linkedProductCount(PRIMARY, DEPENDENT)).toBe(22);

  const created: string[] = [];
  for await (const page of productLinkPages(PRIMARY, DEPENDENT, { createdByTandem: true, pageSize: 4 })) created.push(...page.map((l) => l.primaryProductId));
  expect(created).toEqual(Array.from({ length: 12 }, (_, n) => primaryId(n * 2)).sort());
  expect(await linkedProductCount(PRIMARY, DEPENDENT, { createdByTandem: true })).toBe(12);
});

test("a link keeps the fingerprint of the primary's images its copies were made from, replaced at each save", async () => {
  await link(300, true, "1:00000000aaaaaaaa");
  expect((await productLinksOf(DEPENDENT, [primaryId(300)]))[0].lastPrimaryImages).toBe("1:00000000aaaaaaaa");
  await link(300, true, "2:00000000bbbbbbbb");
  expect((await productLinksOf(DEPENDENT, [primaryId(300)]))[0].lastPrimaryImages).toBe("2:00000000bbbbbbbb");
  await link(300, true, null);
  expect((await productLinksOf(DEPENDENT, [primaryId(300)]))[0].lastPrimaryImages).toBeNull();
});

test("links looked up by many ids at once answer for all of them (more than one statement's parameters)", async () => {
  for (let n = 100; n < 104; n++) await link(n, false);
  const primaryIds = [...Array.from({ length: 1200 }, (_, n) => `gid://shopify/Product/absent-${n}`), primaryId(100), primaryId(103)];
  expect((await productLinksOf(DEPENDENT, primaryIds)).map((l) => l.dependentProductId).sort()).toEqual([dependentId(100), dependentId(103)]);
  const dependentIds = [...Array.from({ length: 1200 }, (_, n) => `gid://shopify/Product/own-${n}`), dependentId(101), dependentId(102)];
  expect(await linkedDependentProducts(DEPENDENT, dependentIds)).toEqual(new Set([dependentId(101), dependentId(102)]));
});

test("links saved together replace what was linked: swaps, moves, and two primaries claiming one product", async () => {
  const { default: prisma } = await import("../db.server");
  const pair = (p: number, d: number, createdByTandem: boolean) => ({
    primaryShop: PRIMARY, dependentShop: DEPENDENT, primaryProductId: primaryId(p), dependentProductId: dependentId(d), createdByTandem, primaryStatus: "ACTIVE", primaryImages: null,
    variants: [{ sku: `SWAP-${p}`, primaryVariantId: `gid://shopify/ProductVariant/${p}`, primaryInventoryItemId: `gid://shopify/InventoryItem/${p}`, dependentVariantId: `gid://shopify/ProductVariant/${9000 + d}`, dependentInventoryItemId: `gid://shopify/InventoryItem/${9000 + d}` }],
  });
  const products = [200, 201, 202, 203].map(primaryId);
  const linksNow = async () => (await prisma.productLink.findMany({ where: { dependentShop: DEPENDENT, primaryProductId: { in: products } }, orderBy: { primaryProductId: "asc" } }))
    .map((l) => [l.primaryProductId, l.dependentProductId, l.createdByTandem]);
  const variantsNow = async () => (await prisma.variantLink.findMany({ where: { dependentShop: DEPENDENT, primaryProductId: { in: products } }, orderBy: { primaryProductId: "asc" } }))
    .map((v) => [v.primaryProductId, v.dependentVariantId]);

  await saveProductLinks([pair(200, 200, true), pair(201, 201, false), pair(202, 202, false), pair(203, 203, true)]);
  expect(await linksNow()).toEqual([[primaryId(200), dependentId(200), true], [primaryId(201), dependentId(201), false], [primaryId(202), dependentId(202), false], [primaryId(203), dependentId(203), true]]);
  // 200 and 201 swap their dependent products, 202 moves to a new one: each link takes the new
  // product's createdByTandem. 203 stays on its product, which keeps what it was (Tandem's copy).
  await saveProductLinks([pair(200, 201, false), pair(201, 200, true), pair(202, 204, true), pair(203, 203, false)]);
  expect(await linksNow()).toEqual([[primaryId(200), dependentId(201), false], [primaryId(201), dependentId(200), true], [primaryId(202), dependentId(204), true], [primaryId(203), dependentId(203), true]]);
  expect(await variantsNow()).toEqual([[primaryId(200), "gid://shopify/ProductVariant/9201"], [primaryId(201), "gid://shopify/ProductVariant/9200"], [primaryId(202), "gid://shopify/ProductVariant/9204"], [primaryId(203), "gid://shopify/ProductVariant/9203"]]);
  // Two primaries claiming one dependent product: the later keeps it, the earlier is left unlinked.
  await saveProductLinks([pair(200, 204, false), pair(202, 204, true)]);
  expect(await linksNow()).toEqual([[primaryId(201), dependentId(200), true], [primaryId(202), dependentId(204), true], [primaryId(203), dependentId(203), true]]);
  expect((await variantsNow()).map(([p]) => p)).toEqual([primaryId(201), primaryId(202), primaryId(203)]);
});

test("a sale's lookup of its variant link by SKU goes through an index, not through every link of the dependent", async () => {
  const { query, sql } = await import("../db.server");
  const { databaseEngine } = await import("../db/engine");
  const { variantLinksBySku } = await import("./links.server");
  await link(300, true);
  expect([...(await variantLinksBySku(PRIMARY, DEPENDENT, ["LNK-300"])).keys()]).toEqual(["LNK-300"]);
  if (databaseEngine(process.env.DATABASE_URL!) === "sqlite") {
    const plan = await query<{ detail: string }>(sql`EXPLAIN QUERY PLAN SELECT * FROM "VariantLink" WHERE "primaryShop" = ${PRIMARY} AND "dependentShop" = ${DEPENDENT} AND "sku" IN (${"LNK-300"})`);
    expect(plan.map((step) => step.detail).join(" | ")).toMatch(/USING INDEX VariantLink_dependentShop_sku_idx \(dependentShop=\? AND sku=\?\)/);
  } else {
    // PostgreSQL plans a table this small with a scan whatever its indexes: the index must exist.
    const indexes = await query<{ indexdef: string }>(sql`SELECT "indexdef" FROM pg_indexes WHERE "tablename" = 'VariantLink'`);
    expect(indexes.map((index) => index.indexdef)).toContainEqual(expect.stringMatching(/\("dependentShop", sku\)/));
  }
});
