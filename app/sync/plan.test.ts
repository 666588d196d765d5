import { english } from "../i18n";
import { describe, expect, test } from "vitest";
import type { CatalogueProduct, CatalogueVariant } from "./catalogue";
import { DEFAULT_FIELD_RULES } from "./fields";
import { dependentQuantities } from "./locations";
import { type PlanInput, type SyncSettings, desiredStatus, imagesFingerprint, planProductSync, quantityWrites } from "./plan";
import { applyPriceRule, decidePrices } from "./pricing";

function variant(sku: string | null, overrides: Partial<CatalogueVariant> = {}): CatalogueVariant {
  return { id: `gid://shopify/ProductVariant/${sku}`, sku, price: "10.00", compareAtPrice: null, barcode: null, position: 1, options: [sku ?? "none"], inventoryItemId: `gid://shopify/InventoryItem/${sku}`, tracked: true, available: {}, ...overrides };
}

function product(id: string, variants: CatalogueVariant[], overrides: Partial<CatalogueProduct> = {}): CatalogueProduct {
  return {
    id, title: "Tee", handle: "tee", descriptionHtml: "<p>d</p>", vendor: "Maker", productType: "Shirts", status: "ACTIVE", tags: [],
    options: [{ name: "Size", values: variants.map((v) => v.options[0]) }], images: [], collectionIds: [], variants, ...overrides,
  };
}

const settings: SyncSettings = {
  scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, publishNewProducts: false,
  prices: decidePrices({ primaryCurrency: "USD", dependentCurrency: "USD", rule: { exchangeRate: null, markupPercent: null, rounding: "none" } }),
  locations: { mapping: {}, defaultLocationId: "dep-main", buffer: 0, allocationPercent: 100 },
  fields: DEFAULT_FIELD_RULES,
};

function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    primary: product("p1", [variant("A", { available: { wh: 3, shop: 2 } })]), dependent: null, link: null,
    linkedDependentVariantIds: new Set(), settings, duplicateSkus: { primary: new Set(), dependent: new Set() }, skusElsewhere: new Set(),
    ...overrides,
  };
}

describe("planProductSync", () => {
  test("creates a missing product as a tagged draft with its variants and summed stock", () => {
    const plan = planProductSync(input({}));
    expect(plan.action).toBe("create");
    expect(plan.productSet).toMatchObject({ title: "Tee", status: "DRAFT", tags: ["tandem"], descriptionHtml: "<p>d</p>", variants: [{ sku: "A", price: "10.00" }] });
    expect(plan.quantities).toEqual([{ sku: "A", locationId: "dep-main", quantity: 5, changeFromQuantity: 0 }]);
  });

  test("publishes on creation only when the dependent asked for it", () => {
    const plan = planProductSync(input({ settings: { ...settings, publishNewProducts: true } }));
    expect(plan.productSet).toMatchObject({ status: "ACTIVE" });
  });

  test("in the matching scope, a product the dependent does not have is left alone, quietly", () => {
    const plan = planProductSync(input({ settings: { ...settings, scope: "matching" } }));
    expect(plan).toMatchObject({ action: "skip", skipReason: "not-in-dependent" });
    // Whole: toMatchObject lets an array of the received object hold more than the expected one.
    expect(plan.notes).toEqual([]);
    expect(plan.syncedSkus).toEqual([]);
  });

  test("the description is written when the product is created, never by an update (seed 000)", () => {
    const primary = product("p1", [variant("A")], { title: "Renamed", descriptionHtml: "<p>new</p>" });
    const dependent = product("d1", [variant("A", { id: "dv" })], { descriptionHtml: "<p>their own</p>" });
    const plan = planProductSync(input({ primary, dependent }));
    expect(plan.productSet).toMatchObject({ id: "d1", title: "Renamed" });
    expect(plan.productSet).not.toHaveProperty("descriptionHtml");
    expect(plan.changedFields).not.toContain("description");
  });

  test("once a link knows what its copies were made from, images travel only when the primary's change: the dependent's own URLs do not count", () => {
    const image = (url: string, alt = "Tee") => ({ url, alt });
    const primary = product("p1", [variant("A")], { images: [image("https://cdn/p/a.jpg"), image("https://cdn/p/b.jpg")] });
    // The dependent's copies, served from its own CDN.
    const dependent = product("d1", [variant("A", { id: "dv" })], { images: [image("https://cdn/d/a.jpg?v=7"), image("https://cdn/d/b.jpg?v=8")] });
    const known = (lastPrimaryImages: string | null) => ({ dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages });
    const current = imagesFingerprint(primary.images);
    const same = planProductSync(input({ primary, dependent, link: known(current) }));
    expect(same).toMatchObject({ action: "unchanged", productSet: null, primaryImages: current });
    // Unknown (a link saved before fingerprints): compared by URL, sent once, and known from then on.
    const unknown = planProductSync(input({ primary, dependent, link: known(null) }));
    expect(unknown).toMatchObject({ changedFields: ["images"], primaryImages: current });
    expect(unknown.productSet?.files).toHaveLength(2);
    // Any change of the primary's: another picture, another order, another alt text.
    for (const images of [[image("https://cdn/p/c.jpg"), image("https://cdn/p/b.jpg")], [image("https://cdn/p/b.jpg"), image("https://cdn/p/a.jpg")], [image("https://cdn/p/a.jpg", "Front"), image("https://cdn/p/b.jpg")], [image("https://cdn/p/a.jpg")]]) {
      const changed = planProductSync(input({ primary: { ...primary, images }, dependent, link: known(current) }));
      expect(changed.changedFields).toEqual(["images"]);
      expect(changed.productSet?.files).toEqual(images.map((i) => ({ originalSource: i.url, alt: i.alt, contentType: "IMAGE" })));
      expect(changed.primaryImages).toBe(imagesFingerprint(images));
      expect(changed.primaryImages).not.toBe(current);
    }
    // A change that cannot be written (the copy has variants of its own under other option names):
    // the copies still come from the old images.
    const ownVariant = product("d1", [variant("A", { id: "dv" }), variant("OWN", { id: "dv-own", options: ["XL"] })], { options: [{ name: "Taille", values: ["S", "XL"] }], images: dependent.images });
    const refused = planProductSync(input({ primary: { ...primary, images: [image("https://cdn/p/c.jpg")] }, dependent: ownVariant, link: known(current) }));
    expect(refused.productSet).toBeNull();
    expect(refused.primaryImages).toBe(current);
  });

  test("an image fingerprint is short and tells apart images, their order, their alt texts and none", () => {
    const fingerprints = [
      [], [{ url: "https://cdn/a.jpg", alt: "" }], [{ url: "https://cdn/a.jpg", alt: "A" }], [{ url: "https://cdn/b.jpg", alt: "" }],
      [{ url: "https://cdn/a.jpg", alt: "" }, { url: "https://cdn/b.jpg", alt: "" }], [{ url: "https://cdn/b.jpg", alt: "" }, { url: "https://cdn/a.jpg", alt: "" }],
      [{ url: "https://cdn/a.jpg", alt: "b" }], [{ url: "https://cdn/a.jpgb", alt: "" }],
    ].map(imagesFingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const fingerprint of fingerprints) expect(fingerprint).toMatch(/^\d+:[0-9a-f]{16}$/);
    expect(imagesFingerprint([{ url: "https://cdn/a.jpg", alt: "A" }])).toBe(imagesFingerprint([{ url: "https://cdn/a.jpg", alt: "A" }]));
  });

  test("images follow the primary's when they change, and only then (seed 000)", () => {
    const image = (url: string) => ({ url, alt: "Tee" });
    const primary = product("p1", [variant("A")], { images: [image("https://cdn/a.jpg"), image("https://cdn/b.jpg")] });
    const same = product("d1", [variant("A", { id: "dv" })], { images: [image("https://cdn/a.jpg"), image("https://cdn/b.jpg")] });
    expect(planProductSync(input({ primary, dependent: same })).action).toBe("unchanged");
    const reordered = product("d1", [variant("A", { id: "dv" })], { images: [image("https://cdn/b.jpg"), image("https://cdn/a.jpg")] });
    const plan = planProductSync(input({ primary, dependent: reordered }));
    expect(plan.changedFields).toEqual(["images"]);
    expect(plan.productSet?.files).toEqual([
      { originalSource: "https://cdn/a.jpg", alt: "Tee", contentType: "IMAGE" },
      { originalSource: "https://cdn/b.jpg", alt: "Tee", contentType: "IMAGE" },
    ]);
  });

  test("an equal dependent product needs nothing", () => {
    const primary = product("p1", [variant("A")]);
    const dependent = product("d1", [variant("A", { id: "dv" })]);
    expect(planProductSync(input({ primary, dependent })).action).toBe("unchanged");
  });

  test("with details off, only prices and stock of the shared variants change", () => {
    const primary = product("p1", [variant("A", { price: "12.00", available: { wh: 4 } })], { title: "New title" });
    const dependent = product("d1", [variant("A", { id: "dv", available: { "dep-main": 1 } })]);
    const plan = planProductSync(input({ primary, dependent, settings: { ...settings, syncDetails: false } }));
    expect(plan.productSet).toBeNull();
    expect(plan.priceUpdates).toEqual([{ id: "dv", price: "12.00", compareAtPrice: null }]);
    expect(plan.quantities).toEqual([{ sku: "A", locationId: "dep-main", quantity: 4, changeFromQuantity: 1 }]);
  });

  test("stock left to a push is not planned, and alone it changes nothing; the other variants' stock still is", () => {
    const primary = product("p1", [variant("A", { available: { wh: 4 } }), variant("B", { available: { wh: 7 } })]);
    const dependent = product("d1", [variant("A", { id: "dva", available: {} }), variant("B", { id: "dvb", available: { "dep-main": 2 } })]);
    const both = planProductSync(input({ primary, dependent, stockByPush: new Set(["A"]) }));
    expect(both.action).toBe("update");
    expect(both.quantities).toEqual([{ sku: "B", locationId: "dep-main", quantity: 7, changeFromQuantity: 2 }]);
    expect(both.syncedSkus).toEqual(["A", "B"]);
    const onlyPushed = planProductSync(input({ primary, dependent, stockByPush: new Set(["A", "B"]) }));
    expect(onlyPushed).toMatchObject({ action: "unchanged", quantities: [], changedFields: [] });
  });

  test("SKUs missing or duplicated on either side are not synced and are reported", () => {
    const primary = product("p1", [variant("A"), variant(null), variant("DUP"), variant("TWICE-THERE")]);
    const plan = planProductSync(input({ primary, duplicateSkus: { primary: new Set(["DUP"]), dependent: new Set(["TWICE-THERE"]) } }));
    expect(plan.syncedSkus).toEqual(["A"]);
    expect(plan.notes.map((n) => n.skus)).toEqual([[], ["DUP"], ["TWICE-THERE"]]);
    expect(plan.notes.map((n) => [n.message.key, n.fix.key])).toEqual([
      ["entry.noSku", "entry.noSku.fix"], ["entry.duplicatePrimarySku", "entry.duplicatePrimarySku.fix"], ["entry.duplicateDependentSku", "entry.duplicateDependentSku.fix"],
    ]);
    expect(english.text(plan.notes[0].message)).toBe("1 variant of “Tee” has no SKU and is not synced");
  });

  test("keeps variants the dependent added and removes the ones the primary dropped", () => {
    const primary = product("p1", [variant("A", { options: ["S"] })]);
    const dependent = product("d1", [variant("A", { id: "dvA", options: ["S"] }), variant("B", { id: "dvB", options: ["M"] }), variant("LOCAL", { id: "dvL", options: ["XL"] })]);
    const plan = planProductSync(input({ primary, dependent, linkedDependentVariantIds: new Set(["dvA", "dvB"]) }));
    expect(plan.changedFields).toContain("variants removed");
    const ids = (plan.productSet!.variants as Array<{ id?: string }>).map((v) => v.id);
    expect(ids).toEqual(["dvA", "dvL"]);
  });

  test("prices in another currency need an exchange rate; with one they are converted and rounded", () => {
    const noRate = decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: null, markupPercent: "10", rounding: "none" } });
    expect(noRate.sync).toBe(false);
    const withRate = decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: "0.9", markupPercent: "10", rounding: "99" } });
    expect(withRate.sync && withRate.convert("20.00")).toBe("19.99");
    expect(applyPriceRule("10.00", { exchangeRate: null, markupPercent: "15", rounding: "none" })).toBe("11.50");
    expect(applyPriceRule("10.10", { exchangeRate: null, markupPercent: null, rounding: "whole" })).toBe("10.00");
    expect(applyPriceRule("19.99", { exchangeRate: null, markupPercent: null, rounding: "99" })).toBe("19.99");
    expect(applyPriceRule("20.01", { exchangeRate: null, markupPercent: null, rounding: "95" })).toBe("20.95");
  });

  describe("when this store does not take prices (seed 003: products arrive at 0, the merchant prices them)", () => {
    const noPrices: SyncSettings = { ...settings, syncPrice: false };
    const otherCurrency: SyncSettings = {
      ...settings,
      prices: decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: null, markupPercent: null, rounding: "none" } }),
    };

    test.each([
      ["Prices off", noPrices],
      ["another currency without a rate", otherCurrency],
    ])("%s: a new product arrives as a draft at 0.00, even with Publish new products on, and the log says why", (_, base) => {
      const plan = planProductSync(input({ settings: { ...base, publishNewProducts: true } }));
      expect(plan.productSet).toMatchObject({ status: "DRAFT", variants: [{ sku: "A", price: "0.00", compareAtPrice: null }] });
      expect(plan.notes.map((note) => note.message.key)).toContain("entry.draftWithoutPrices");
    });

    test("an archived primary product still arrives archived", () => {
      const plan = planProductSync(input({ primary: product("p1", [variant("A")], { status: "ARCHIVED" }), settings: { ...noPrices, publishNewProducts: true } }));
      expect(plan.productSet).toMatchObject({ status: "ARCHIVED" });
    });

    test("a copy with a variant at 0.00 is not made live when the primary's status changes; once priced, it is", () => {
      const primary = product("p1", [variant("A"), variant("B")]);
      const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "DRAFT" };
      const unpriced = product("d1", [variant("A", { id: "dva", price: "0.00" }), variant("B", { id: "dvb", price: "8.00" })], { status: "DRAFT" });
      const kept = planProductSync(input({ primary, dependent: unpriced, link, settings: noPrices }));
      expect(kept.productSet?.status).toBeUndefined();
      expect(kept.notes).toEqual([expect.objectContaining({ action: "skipped", skus: ["A"], message: expect.objectContaining({ key: "entry.notPublishedAtZero" }) })]);
      const priced = product("d1", [variant("A", { id: "dva", price: "9.00" }), variant("B", { id: "dvb", price: "8.00" })], { status: "DRAFT" });
      expect(planProductSync(input({ primary, dependent: priced, link, settings: noPrices })).productSet).toMatchObject({ status: "ACTIVE" });
      // With prices copied, the copy follows the primary at once.
      expect(planProductSync(input({ primary, dependent: unpriced, link })).productSet).toMatchObject({ status: "ACTIVE" });
    });

    test("a variant new on the primary is not added to a live copy at 0.00: the log says how to add it", () => {
      const primary = product("p1", [variant("A"), variant("NEW")]);
      const live = product("d1", [variant("A", { id: "dva", price: "7.00" })]);
      const plan = planProductSync(input({ primary, dependent: live, settings: noPrices }));
      expect(plan.productSet?.variants ?? []).not.toContainEqual(expect.objectContaining({ sku: "NEW" }));
      expect(plan.syncedSkus).toEqual(["A"]);
      expect(plan.notes).toEqual([expect.objectContaining({ action: "skipped", skus: ["NEW"], message: expect.objectContaining({ key: "entry.variantNotAddedAtZero" }) })]);
      // A draft copy takes it at 0.00: nobody can buy it there yet.
      const draft = planProductSync(input({ primary, dependent: product("d1", [variant("A", { id: "dva", price: "7.00" })], { status: "DRAFT" }), link: { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE" }, settings: noPrices }));
      expect(draft.productSet?.variants).toContainEqual(expect.objectContaining({ sku: "NEW", price: "0.00" }));
      expect(draft.productSet?.status).toBeUndefined();
    });
  });

  test("a Tandem-created draft stays a draft until the primary's status changes; archiving always follows", () => {
    const created = { dependentProductId: "d", createdByTandem: true, lastPrimaryStatus: "ACTIVE" };
    expect(desiredStatus("ACTIVE", "DRAFT", created)).toBe("DRAFT");
    expect(desiredStatus("DRAFT", "DRAFT", created)).toBe("DRAFT");
    expect(desiredStatus("ACTIVE", "DRAFT", { ...created, lastPrimaryStatus: "DRAFT" })).toBe("ACTIVE");
    expect(desiredStatus("ARCHIVED", "ACTIVE", created)).toBe("ARCHIVED");
    expect(desiredStatus("DRAFT", "ACTIVE", { ...created, createdByTandem: false })).toBe("DRAFT");
  });
});

describe("location mapping", () => {
  test("mapped locations go where mapped and add up; unmapped ones go to the default location", () => {
    const plan = { mapping: { wh: "dep-annex", outlet: "dep-annex" }, defaultLocationId: "dep-main", buffer: 0, allocationPercent: 100 };
    expect(dependentQuantities({ wh: 3, outlet: 4, shop: 5 }, plan)).toEqual({ "dep-annex": 7, "dep-main": 5 });
    // Without guards an oversold primary shows as oversold here too.
    expect(dependentQuantities({ wh: -2 }, plan)).toEqual({ "dep-annex": -2 });
  });

  test("a buffer holds units back and an allocation gives a share, rounded down, never below 0", () => {
    const base = { mapping: { wh: "dep-annex", outlet: "dep-annex" }, defaultLocationId: "dep-main" };
    expect(dependentQuantities({ wh: 3, outlet: 4, shop: 5 }, { ...base, buffer: 2, allocationPercent: 100 })).toEqual({ "dep-annex": 5, "dep-main": 3 });
    expect(dependentQuantities({ wh: 3, outlet: 4, shop: 5 }, { ...base, buffer: 0, allocationPercent: 50 })).toEqual({ "dep-annex": 3, "dep-main": 2 });
    expect(dependentQuantities({ wh: 3, outlet: 4, shop: 1 }, { ...base, buffer: 1, allocationPercent: 50 })).toEqual({ "dep-annex": 2, "dep-main": 0 });
    expect(dependentQuantities({ wh: -4, shop: 1 }, { ...base, buffer: 3, allocationPercent: 100 })).toEqual({ "dep-annex": 0, "dep-main": 0 });
  });

  test("the dependent's own sales not yet taken from the primary are held back where they were made", () => {
    const plan = { mapping: { wh: "dep-annex" }, defaultLocationId: "dep-main", buffer: 0, allocationPercent: 100 };
    const held = [{ locationId: "dep-annex", quantity: 2 }, { locationId: null, quantity: 1 }];
    expect(dependentQuantities({ wh: 5, shop: 4 }, plan, held)).toEqual({ "dep-annex": 3, "dep-main": 3 });
    expect(dependentQuantities({ wh: 5, shop: 4 }, { ...plan, buffer: 1 }, held)).toEqual({ "dep-annex": 2, "dep-main": 2 });
  });

  test("stock writes compare against the dependent's level and skip untracked items", () => {
    const locations = { mapping: {}, defaultLocationId: "dep-main", buffer: 1, allocationPercent: 100 };
    const writesOf = (...args: Parameters<typeof quantityWrites>) => quantityWrites(...args).writes;
    expect(writesOf({ sku: "A", tracked: true, available: { wh: 5 } }, { "dep-main": 2 }, locations)).toEqual([{ sku: "A", locationId: "dep-main", quantity: 4, changeFromQuantity: 2 }]);
    expect(writesOf({ sku: "A", tracked: true, available: { wh: 5 } }, { "dep-main": 4 }, locations)).toEqual([]);
    expect(writesOf({ sku: "A", tracked: true, available: { wh: 5 } }, null, locations)).toEqual([{ sku: "A", locationId: "dep-main", quantity: 4, changeFromQuantity: 0 }]);
    expect(writesOf({ sku: "A", tracked: false, available: { wh: 5 } }, { "dep-main": 0 }, locations)).toEqual([]);
    // Stocked there, its level not known (ADR 0038): written, with no base to compare the answer with.
    expect(quantityWrites({ sku: "A", tracked: true, available: { wh: 5 } }, { "dep-main": null }, locations)).toEqual({
      writes: [{ sku: "A", locationId: "dep-main", quantity: 4, changeFromQuantity: null }], unstocked: [],
    });
  });

  test("a location the dependent's item is not stocked at gets no write: it is reported instead (never stocked there by Tandem)", () => {
    const locations = { mapping: { wh: "dep-annex" }, defaultLocationId: "dep-main", buffer: 0, allocationPercent: 100 };
    // Stocked at dep-main only: the warehouse's stock maps to dep-annex, where it is not stocked.
    expect(quantityWrites({ sku: "A", tracked: true, available: { wh: 5, shop: 2 } }, { "dep-main": 0 }, locations)).toEqual({
      writes: [{ sku: "A", locationId: "dep-main", quantity: 2, changeFromQuantity: 0 }],
      unstocked: [{ sku: "A", locationId: "dep-annex" }],
    });
    // A variant Tandem creates is written where the mapping says (it is new: nothing to compare).
    expect(quantityWrites({ sku: "A", tracked: true, available: { wh: 5 } }, null, locations).unstocked).toEqual([]);
  });
});

describe("choosing the dependent product", () => {
  test("the linked product wins; otherwise the one holding most unique SKUs; SKUs held elsewhere are reported", async () => {
    const { chooseDependentProduct } = await import("./matching");
    const owners = new Map([["A", ["d1"]], ["B", ["d1"]], ["C", ["d2"]], ["D", ["d3", "d4"]]]);
    expect(chooseDependentProduct(["A", "B", "C", "D"], owners, null)).toEqual({ productId: "d1", skusElsewhere: new Set(["C"]) });
    expect(chooseDependentProduct(["A", "B", "C"], owners, "d2")).toEqual({ productId: "d2", skusElsewhere: new Set(["A", "B"]) });
    expect(chooseDependentProduct(["Z"], owners, null)).toEqual({ productId: null, skusElsewhere: new Set() });
  });

  test("an SKU held twice in the dependent votes for neither; the most votes win wherever their SKUs come in the list", async () => {
    const { chooseDependentProduct } = await import("./matching");
    const owners = new Map([["A", ["d1"]], ["B", ["d2"]], ["C", ["d2"]], ["D", ["d1", "d9"]], ["E", ["d1", "d9"]]]);
    expect(chooseDependentProduct(["A", "B", "C"], owners, null).productId).toBe("d2");
    expect(chooseDependentProduct(["A", "D", "E"], owners, null)).toEqual({ productId: "d1", skusElsewhere: new Set() });
    expect(chooseDependentProduct(["D", "E"], owners, null).productId).toBeNull();
  });
});

// Whole plans compared exactly: every field Tandem sends to Shopify and every word it logs, so a
// change to any of them is a failing test (mutation testing, docs/testing.md).
describe("plans, exactly", () => {
  const sized = (sku: string, size: string, overrides: Partial<CatalogueVariant> = {}) => variant(sku, { id: `pv-${sku}`, options: [size], ...overrides });
  const tee = (variants: CatalogueVariant[], overrides: Partial<CatalogueProduct> = {}) =>
    product("p1", variants, { options: [{ name: "Size", values: variants.map((v) => v.options[0]) }], ...overrides });

  test("a creation: options with positions and distinct values, variants with their option values and tracking, files, stock", () => {
    const primary = tee(
      [sized("S1", "S", { position: 1, available: { wh: 2 } }), sized("M1", "M", { position: 2, tracked: false, compareAtPrice: "12.00" }), sized("M2", "M", { position: 3, available: { wh: 1 } })],
      { images: [{ url: "https://cdn/a.jpg", alt: "A" }] },
    );
    expect(planProductSync(input({ primary }))).toEqual({
      primaryProductId: "p1", title: "Tee", action: "create", priceUpdates: [], unstocked: [], notes: [], syncedSkus: ["S1", "M1", "M2"],
      primaryImages: imagesFingerprint([{ url: "https://cdn/a.jpg", alt: "A" }]),
      changedFields: ["title", "description", "options", "variants", "images", "price", "quantity"], keptFields: [],
      productSet: {
        title: "Tee", descriptionHtml: "<p>d</p>", status: "DRAFT", tags: ["tandem"],
        productOptions: [{ name: "Size", position: 1, values: [{ name: "S" }, { name: "M" }] }],
        variants: [
          { optionValues: [{ optionName: "Size", name: "S" }], sku: "S1", price: "10.00", compareAtPrice: null, inventoryItem: { tracked: true } },
          { optionValues: [{ optionName: "Size", name: "M" }], sku: "M1", price: "10.00", compareAtPrice: "12.00", inventoryItem: { tracked: false } },
          { optionValues: [{ optionName: "Size", name: "M" }], sku: "M2", price: "10.00", compareAtPrice: null, inventoryItem: { tracked: true } },
        ],
        files: [{ originalSource: "https://cdn/a.jpg", alt: "A", contentType: "IMAGE" }],
      },
      quantities: [
        { sku: "S1", locationId: "dep-main", quantity: 2, changeFromQuantity: 0 },
        { sku: "M2", locationId: "dep-main", quantity: 1, changeFromQuantity: 0 },
      ],
    });
    // Without stock, nothing about quantities; without images, no files and no "images" named.
    const plain = planProductSync(input({ primary: tee([sized("S1", "S")]), settings: { ...settings, syncQuantity: false } }));
    expect(plain.changedFields).toEqual(["title", "description", "options", "variants", "price"]);
    expect(plain.quantities).toEqual([]);
    expect(plain.productSet).not.toHaveProperty("files");
  });

  test("an update names each change, and sends the primary's options, prices and tracking with the dependent's ids", () => {
    const primary = tee([sized("S1", "S", { price: "11.00", tracked: false }), sized("L1", "L")], { title: "Tee 2", images: [{ url: "https://cdn/new.jpg", alt: "" }] });
    const dependent = product("d1", [variant("S1", { id: "dv-s", options: ["Small"], available: { "dep-main": 0 } })], {
      title: "Tee", options: [{ name: "Size", values: ["Small"] }], images: [{ url: "https://cdn/old.jpg", alt: "" }],
    });
    const plan = planProductSync(input({ primary, dependent, settings: { ...settings, syncQuantity: false } }));
    expect(plan.changedFields).toEqual(["title", "variants added", "options", "price", "inventory tracking", "images"]);
    expect(plan.productSet).toEqual({
      id: "d1", title: "Tee 2",
      productOptions: [{ name: "Size", position: 1, values: [{ name: "S" }, { name: "L" }] }],
      variants: [
        { id: "dv-s", optionValues: [{ optionName: "Size", name: "S" }], sku: "S1", price: "11.00", compareAtPrice: null, inventoryItem: { tracked: false } },
        { optionValues: [{ optionName: "Size", name: "L" }], sku: "L1", price: "10.00", compareAtPrice: null, inventoryItem: { tracked: true } },
      ],
      files: [{ originalSource: "https://cdn/new.jpg", alt: "", contentType: "IMAGE" }],
    });
    expect(plan).toMatchObject({ action: "update", notes: [], priceUpdates: [], syncedSkus: ["S1", "L1"] });
  });

  test("a compare-at price alone is a price change; equal amounts written differently are not", () => {
    const dependentWith = (compareAtPrice: string | null, price = "10.00") => product("d1", [variant("A", { id: "dv", price, compareAtPrice })]);
    const primary = product("p1", [variant("A", { compareAtPrice: "15.00" })]);
    expect(planProductSync(input({ primary, dependent: dependentWith(null) })).changedFields).toEqual(["price"]);
    expect(planProductSync(input({ primary, dependent: dependentWith("14.00") })).changedFields).toEqual(["price"]);
    expect(planProductSync(input({ primary, dependent: dependentWith("15") })).action).toBe("unchanged");
    expect(planProductSync(input({ primary: product("p1", [variant("A")]), dependent: dependentWith("15.00") })).changedFields).toEqual(["price"]);
    expect(planProductSync(input({ primary: product("p1", [variant("A")]), dependent: dependentWith(null, "10") })).action).toBe("unchanged");
  });

  test("with details off: price updates and stock, named in that order; nothing else", () => {
    const primary = product("p1", [variant("A", { price: "12.00", available: { wh: 3 } }), variant("B", { available: { wh: 1 } })], { title: "Renamed" });
    const dependent = product("d1", [variant("A", { id: "dva", available: { "dep-main": 1 } }), variant("B", { id: "dvb", available: { "dep-main": 1 } })]);
    expect(planProductSync(input({ primary, dependent, settings: { ...settings, syncDetails: false } }))).toEqual({
      primaryProductId: "p1", title: "Renamed", action: "update", productSet: null, unstocked: [], notes: [], syncedSkus: ["A", "B"],
      // Details are not synced: what the copies were made from stays as the link knew it.
      primaryImages: null,
      priceUpdates: [{ id: "dva", price: "12.00", compareAtPrice: null }],
      quantities: [{ sku: "A", locationId: "dep-main", quantity: 3, changeFromQuantity: 1 }],
      changedFields: ["price", "quantity"], keptFields: [],
    });
    // Without prices, the same product changes only in stock.
    const stockOnly = planProductSync(input({ primary, dependent, settings: { ...settings, syncDetails: false, syncPrice: false } }));
    expect(stockOnly).toMatchObject({ action: "update", priceUpdates: [], changedFields: ["quantity"] });
    // A variant only the primary has is neither created nor stocked when details are off.
    const newVariant = planProductSync(input({ primary: product("p1", [variant("A"), variant("C", { available: { wh: 5 } })]), dependent: product("d1", [variant("A", { id: "dva" })]), settings: { ...settings, syncDetails: false } }));
    expect(newVariant).toMatchObject({ action: "unchanged", quantities: [], syncedSkus: ["A"] });
  });

  test("every skipped variant is named in the log with its reason and fix", () => {
    const primary = product("p1", [variant("OK"), variant(null), variant(null), variant("DUP"), variant("DUP"), variant("THERE-TWICE"), variant("ELSEWHERE")], { title: "Kit" });
    const plan = planProductSync(input({
      primary,
      duplicateSkus: { primary: new Set(["DUP"]), dependent: new Set(["THERE-TWICE"]) },
      skusElsewhere: new Set(["ELSEWHERE", "THERE-TWICE"]),
    }));
    expect(plan.notes).toEqual([
      { action: "skipped", message: { key: "entry.noSku", params: { count: 2, title: "Kit" } }, fix: { key: "entry.noSku.fix" }, skus: [] },
      { action: "skipped", message: { key: "entry.duplicatePrimarySku", params: { skus: "DUP" } }, fix: { key: "entry.duplicatePrimarySku.fix" }, skus: ["DUP"] },
      { action: "skipped", message: { key: "entry.duplicateDependentSku", params: { skus: "THERE-TWICE" } }, fix: { key: "entry.duplicateDependentSku.fix" }, skus: ["THERE-TWICE"] },
      { action: "skipped", message: { key: "entry.skuElsewhere", params: { skus: "ELSEWHERE", title: "Kit" } }, fix: { key: "entry.skuElsewhere.fix" }, skus: ["ELSEWHERE"] },
    ]);
    expect(plan.syncedSkus).toEqual(["OK"]);
    // Nothing usable: skipped, with the notes and no SKU synced.
    const none = planProductSync(input({ primary: product("p1", [variant(null)]) }));
    expect(none).toMatchObject({ action: "skip", skipReason: "no-syncable-variants", syncedSkus: [], productSet: null });
    expect(none.notes).toHaveLength(1);
  });

  test("a product the dependent added variants to, whose options differ, is not restructured: the log says which and how to fix", () => {
    const primary = tee([sized("S1", "S"), sized("M1", "M")], { title: "Tee 2" });
    const dependent = product("d1", [variant("S1", { id: "dv-s", options: ["S"] }), variant(null, { id: "dv-local", options: ["XL"] }), variant("LOCAL", { id: "dv-l", options: ["XXL"] })], {
      options: [{ name: "Taille", values: ["S", "XL", "XXL"] }],
    });
    const plan = planProductSync(input({ primary, dependent, settings: { ...settings, syncQuantity: false } }));
    expect(plan.productSet).toBeNull();
    expect(plan.action).toBe("unchanged");
    expect(plan.notes).toEqual([{
      action: "error",
      message: { key: "entry.notRestructured", params: { title: "Tee 2", variants: "XL, LOCAL" } },
      fix: { key: "entry.notRestructured.fix" },
      skus: ["LOCAL"],
    }]);
    // The same options: the dependent's own variants stay, with their values.
    const sameOptions = product("d1", [variant("S1", { id: "dv-s", options: ["S"] }), variant("LOCAL", { id: "dv-l", options: ["XXL"], price: "3.00" })], { options: [{ name: "Size", values: ["S", "XXL"] }] });
    const kept = planProductSync(input({ primary, dependent: sameOptions, settings: { ...settings, syncQuantity: false } }));
    expect(kept.productSet?.variants).toContainEqual({ id: "dv-l", optionValues: [{ optionName: "Size", name: "XXL" }], sku: "LOCAL", price: "3.00", compareAtPrice: null });
    expect(kept.productSet?.productOptions).toEqual([{ name: "Size", position: 1, values: [{ name: "S" }, { name: "M" }, { name: "XXL" }] }]);
  });

  test("stock is planned for variants that exist or will, and named once", () => {
    const primary = product("p1", [variant("A", { available: { wh: 2 } }), variant("NEW", { available: { wh: 4 } })]);
    const dependent = product("d1", [variant("A", { id: "dva", available: { "dep-main": 0 } })]);
    const plan = planProductSync(input({ primary, dependent }));
    expect(plan.changedFields).toEqual(["variants added", "quantity"]);
    expect(plan.quantities).toEqual([
      { sku: "A", locationId: "dep-main", quantity: 2, changeFromQuantity: 0 },
      { sku: "NEW", locationId: "dep-main", quantity: 4, changeFromQuantity: 0 },
    ]);
  });

  test("unlisted is on sale: without prices, a copy at 0.00 is not made unlisted either", () => {
    const primary = product("p1", [variant("A")], { status: "UNLISTED" });
    const dependent = product("d1", [variant("A", { id: "dva", price: "0.00" })], { status: "DRAFT" });
    const plan = planProductSync(input({ primary, dependent, link: { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "DRAFT" }, settings: { ...settings, syncPrice: false } }));
    expect(plan.productSet?.status).toBeUndefined();
    expect(plan.notes.map((note) => note.message.key)).toEqual(["entry.notPublishedAtZero"]);
    expect(desiredStatus("ARCHIVED", "ACTIVE", { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ARCHIVED" })).toBe("ARCHIVED");
    expect(desiredStatus("DRAFT", "ACTIVE", null)).toBe("DRAFT");
  });
});

describe("prices, exactly (seed 003)", () => {
  const rule = (overrides: Partial<{ exchangeRate: string | null; markupPercent: string | null; rounding: "none" | "whole" | "99" | "95" }>) => ({ exchangeRate: null, markupPercent: null, rounding: "none" as const, ...overrides });

  test("the same currency copies prices as they are unless a rule is set; a rule applies to every price", () => {
    const copied = decidePrices({ primaryCurrency: "EUR", dependentCurrency: "EUR", rule: rule({}) });
    expect(copied).toMatchObject({ sync: true, describe: "copied" });
    expect(copied.sync && copied.convert("9.5")).toBe("9.5");
    const ruled = decidePrices({ primaryCurrency: "EUR", dependentCurrency: "EUR", rule: rule({ markupPercent: "10" }) });
    expect(ruled).toMatchObject({ sync: true, describe: "price rule" });
    expect(ruled.sync && ruled.convert("10.00")).toBe("11.00");
    const converted = decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: rule({ exchangeRate: "2" }) });
    expect(converted).toMatchObject({ sync: true, describe: "converted USD → EUR" });
    expect(converted.sync && converted.convert("1.25")).toBe("2.50");
    expect(decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: rule({}) })).toMatchObject({
      sync: false, reason: { key: "entry.currency", params: { primary: "USD", dependent: "EUR" } }, fix: { key: "entry.currency.fix", params: { primary: "USD", dependent: "EUR" } },
    });
  });

  test("a markup alone, a negative one, and endings at or just above the converted price", () => {
    expect(applyPriceRule("10.00", rule({ markupPercent: "-20" }))).toBe("8.00");
    expect(applyPriceRule("10.00", rule({ exchangeRate: "1.5", markupPercent: "10" }))).toBe("16.50");
    // .99: the nearest ending at or above; exactly on it stays.
    expect(applyPriceRule("10.00", rule({ rounding: "99" }))).toBe("10.99");
    expect(applyPriceRule("10.99", rule({ rounding: "99" }))).toBe("10.99");
    expect(applyPriceRule("10.995", rule({ rounding: "99" }))).toBe("11.99");
    expect(applyPriceRule("0.50", rule({ rounding: "95" }))).toBe("0.95");
    expect(applyPriceRule("0.96", rule({ rounding: "95" }))).toBe("1.95");
    expect(applyPriceRule("10.50", rule({ rounding: "whole" }))).toBe("11.00");
  });
});

describe("stock held for the dependent's own sales", () => {
  test("a held sale where no primary stock goes changes nothing (never a level of NaN)", () => {
    const plan = { mapping: {}, defaultLocationId: "dep-main", buffer: 0, allocationPercent: 100 };
    expect(dependentQuantities({ wh: 5 }, plan, [{ locationId: "dep-annex", quantity: 2 }])).toEqual({ "dep-main": 5 });
    expect(dependentQuantities({ wh: 5 }, plan, [{ locationId: null, quantity: 2 }])).toEqual({ "dep-main": 3 });
  });
});

// The survivors of the second mutation run that a plan can show (docs/testing.md lists the rest).
describe("plans, to the last detail", () => {
  const noPrices: SyncSettings = { ...settings, syncPrice: false };

  test("notes list every SKU they name, comma-separated", () => {
    const primary = product("p1", [variant("D1"), variant("D2"), variant("T1"), variant("T2"), variant("E1"), variant("E2")], { title: "Kit" });
    const notes = planProductSync(input({
      primary, duplicateSkus: { primary: new Set(["D1", "D2"]), dependent: new Set(["T1", "T2"]) }, skusElsewhere: new Set(["E1", "E2"]),
    })).notes.map((note) => note.message.params?.skus);
    expect(notes).toEqual(["D1, D2", "T1, T2", "E1, E2"]);
    const twoNew = planProductSync(input({ primary: product("p1", [variant("A"), variant("N1"), variant("N2")]), dependent: product("d1", [variant("A", { id: "dva" })]), settings: noPrices }));
    expect(twoNew.notes[0].message.params?.skus).toBe("N1, N2");
    const twoAtZero = planProductSync(input({
      primary: product("p1", [variant("A"), variant("B")]), dependent: product("d1", [variant("A", { id: "dva", price: "0" }), variant("B", { id: "dvb", price: "0.00" })], { status: "DRAFT" }),
      settings: noPrices,
    }));
    expect(twoAtZero.notes[0].message.params?.skus).toBe("A, B");
  });

  test("prices in another currency without a rate: the note says why, once; a creation names no price and arrives a draft", () => {
    const otherCurrency: SyncSettings = { ...settings, prices: decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: null, markupPercent: null, rounding: "none" } }) };
    const plan = planProductSync(input({ settings: { ...otherCurrency, syncQuantity: false } }));
    expect(plan.notes).toEqual([
      { action: "skipped", message: { key: "entry.currency", params: { primary: "USD", dependent: "EUR" } }, fix: { key: "entry.currency.fix", params: { primary: "USD", dependent: "EUR" } }, skus: [] },
      { action: "skipped", message: { key: "entry.draftWithoutPrices", params: { title: "Tee" } }, fix: { key: "entry.draftWithoutPrices.fix" }, skus: [] },
    ]);
    // A product without images names none.
    expect(plan.changedFields).toEqual(["title", "description", "options", "variants"]);
    // Archived on the primary, it arrives archived, with nothing to say about publishing it.
    expect(planProductSync(input({ primary: product("p1", [variant("A")], { status: "ARCHIVED" }), settings: noPrices })).notes).toEqual([]);
    // The matching scope skips it without a word, whatever the prices.
    expect(planProductSync(input({ settings: { ...otherCurrency, scope: "matching" } })).notes).toEqual([]);
  });

  test("stock off: nothing about quantities, on creation or update", () => {
    const stocked = product("p1", [variant("A", { available: { wh: 4 } })]);
    const off = { ...settings, syncQuantity: false };
    expect(planProductSync(input({ primary: stocked, settings: off })).quantities).toEqual([]);
    const update = planProductSync(input({ primary: stocked, dependent: product("d1", [variant("A", { id: "dva", available: { "dep-main": 1 } })]), settings: off }));
    expect(update).toMatchObject({ action: "unchanged", quantities: [], changedFields: [] });
  });

  test("an update without prices keeps each variant's price in this store; a new status is named", () => {
    const primary = product("p1", [variant("A", { price: "50.00" })], { status: "ARCHIVED" });
    const dependent = product("d1", [variant("A", { id: "dva", price: "7.00", compareAtPrice: "9.00" })]);
    const plan = planProductSync(input({ primary, dependent, settings: { ...noPrices, syncQuantity: false } }));
    expect(plan.changedFields).toEqual(["status"]);
    expect(plan.productSet).toMatchObject({ status: "ARCHIVED", variants: [{ id: "dva", sku: "A", price: "7.00", compareAtPrice: "9.00" }] });
  });

  test("options: a renamed option is a change and restructures a copy with no variants of its own; names are compared whole", () => {
    const primary = product("p1", [variant("A", { options: ["S"] })], { options: [{ name: "Size", values: ["S"] }] });
    const renamed = product("d1", [variant("A", { id: "dva", options: ["S"] })], { options: [{ name: "Taille", values: ["S"] }] });
    const plan = planProductSync(input({ primary, dependent: renamed, settings: { ...settings, syncQuantity: false } }));
    expect(plan).toMatchObject({ action: "update", changedFields: ["options"], notes: [] });
    expect(plan.productSet?.productOptions).toEqual([{ name: "Size", position: 1, values: [{ name: "S" }] }]);
    // Two options whose names (or values) run together the same way are still different.
    const twoOptions = (names: [string, string], values: [string, string], id: string) =>
      product(id, [variant("A", { id: `${id}-a`, options: values })], { options: [{ name: names[0], values: [values[0]] }, { name: names[1], values: [values[1]] }] });
    expect(planProductSync(input({ primary: twoOptions(["ab", "c"], ["x", "y"], "p1"), dependent: twoOptions(["a", "bc"], ["x", "y"], "d1"), settings: { ...settings, syncQuantity: false } })).changedFields).toEqual(["options"]);
    expect(planProductSync(input({ primary: twoOptions(["a", "b"], ["xy", "z"], "p1"), dependent: twoOptions(["a", "b"], ["x", "yz"], "d1"), settings: { ...settings, syncQuantity: false } })).changedFields).toEqual(["options"]);
    // With variants of its own and options whose names run together differently, it is not restructured.
    const own = product("d1", [variant("A", { id: "dva", options: ["x", "y"] }), variant("LOCAL", { id: "dvl", options: ["x", "z"] })], { options: [{ name: "a", values: ["x"] }, { name: "bc", values: ["y", "z"] }] });
    expect(planProductSync(input({ primary: twoOptions(["ab", "c"], ["x", "y"], "p1"), dependent: own, settings: { ...settings, syncQuantity: false } })).notes.map((n) => n.action)).toEqual(["error"]);
  });

  test("nothing changed: no word about restructuring, however the copy differs in its own variants", () => {
    const primary = product("p1", [variant("A", { options: ["S"] })], { options: [{ name: "Size", values: ["S"] }] });
    const dependent = product("d1", [variant("A", { id: "dva", options: ["S"] }), variant("LOCAL", { id: "dvl", options: ["XL"] })], { options: [{ name: "Size", values: ["S", "XL"] }] });
    expect(planProductSync(input({ primary, dependent, settings: { ...settings, syncQuantity: false } }))).toMatchObject({ action: "unchanged", notes: [], changedFields: [] });
    // Its own variants are neither removed nor counted as removed when something else changes.
    const renamedPrimary = product("p1", [variant("A", { options: ["S"] })], { title: "New", options: [{ name: "Size", values: ["S"] }] });
    expect(planProductSync(input({ primary: renamedPrimary, dependent, settings: { ...settings, syncQuantity: false } })).changedFields).toEqual(["title"]);
    // Two options equal on both sides, names and values: nothing to do.
    const twoOptions = (id: string) => product(id, [variant("A", { id: `${id}-a`, options: ["S", "Red"] })], { options: [{ name: "Size", values: ["S"] }, { name: "Color", values: ["Red"] }] });
    expect(planProductSync(input({ primary: twoOptions("p1"), dependent: twoOptions("d1"), settings: { ...settings, syncQuantity: false } }))).toMatchObject({ action: "unchanged", changedFields: [], notes: [] });
  });

  test("a variant of the dependent's own without SKU is named by its option values in the note", () => {
    const primary = product("p1", [variant("A", { options: ["S", "Red"] })], { title: "Tee 3", options: [{ name: "Size", values: ["S"] }, { name: "Color", values: ["Red"] }] });
    const dependent = product("d1", [variant("A", { id: "dva", options: ["S", "Red"] }), variant(null, { id: "dvl", options: ["XL", "Blue"] })], {
      options: [{ name: "Taille", values: ["S", "XL"] }, { name: "Couleur", values: ["Red", "Blue"] }],
    });
    const plan = planProductSync(input({ primary, dependent, settings: { ...settings, syncQuantity: false } }));
    expect(plan.notes).toEqual([{ action: "error", message: { key: "entry.notRestructured", params: { title: "Tee 3", variants: "XL / Blue" } }, fix: { key: "entry.notRestructured.fix" }, skus: [] }]);
    // The same two options: the copy keeps its own variant and takes the change, without a word.
    const sameOptions = { ...dependent, options: [{ name: "Size", values: ["S", "XL"] }, { name: "Color", values: ["Red", "Blue"] }] };
    expect(planProductSync(input({ primary, dependent: sameOptions, settings: { ...settings, syncQuantity: false } }))).toMatchObject({ action: "update", changedFields: ["title"], notes: [] });
  });
});

describe("prices, to the last detail", () => {
  test("in the same currency, a rate or a rounding alone is a rule", () => {
    const same = (rule: { exchangeRate: string | null; markupPercent: string | null; rounding: "none" | "whole" | "99" | "95" }) => decidePrices({ primaryCurrency: "EUR", dependentCurrency: "EUR", rule });
    const rated = same({ exchangeRate: "2", markupPercent: null, rounding: "none" });
    expect(rated.sync && rated.convert("1.00")).toBe("2.00");
    const rounded = same({ exchangeRate: null, markupPercent: null, rounding: "whole" });
    expect(rounded.sync && rounded.convert("10.40")).toBe("10.00");
  });
});

// Issue 36, item 1: what the dependent takes of each field, on creation and on later syncs.
describe("field rules", () => {
  const withRules = (fields: Partial<SyncSettings["fields"]>): SyncSettings => ({ ...settings, syncQuantity: false, fields: { ...DEFAULT_FIELD_RULES, ...fields } });
  const rich = (id: string, overrides: Partial<CatalogueProduct> = {}, variantOverrides: Partial<CatalogueVariant> = {}) => product(id, [variant("A", { compareAtPrice: "15.00", barcode: "111", ...variantOverrides })], {
    tags: ["Summer", "Linen"], images: [{ url: "https://cdn/a.jpg", alt: "A" }], ...overrides,
  });

  test("a creation takes what is not 'never': every detail, or only the title and the Tandem tag", () => {
    const all = planProductSync(input({ primary: rich("p1"), settings: withRules({ tags: "first", vendor: "always", productType: "first", barcode: "always" }) }));
    expect(all.productSet).toMatchObject({
      title: "Tee", descriptionHtml: "<p>d</p>", vendor: "Maker", productType: "Shirts", tags: ["tandem", "Summer", "Linen"],
      variants: [{ sku: "A", price: "10.00", compareAtPrice: "15.00", barcode: "111" }], files: [{ originalSource: "https://cdn/a.jpg" }],
    });
    expect(all.changedFields).toEqual(["title", "description", "vendor", "productType", "tags", "options", "variants", "images", "price"]);
    const noVendor = planProductSync(input({ primary: rich("p1", { vendor: "" }), settings: withRules({ vendor: "always" }) }));
    expect(noVendor.productSet).not.toHaveProperty("vendor");
    expect(noVendor.changedFields).not.toContain("vendor");

    const bare = planProductSync(input({ primary: rich("p1"), settings: withRules({ description: "never", images: "never", compareAtPrice: "never" }) }));
    expect(bare.productSet).toMatchObject({ title: "Tee", tags: ["tandem"], variants: [{ sku: "A", price: "10.00", compareAtPrice: null }] });
    for (const absent of ["descriptionHtml", "vendor", "productType", "files"]) expect(bare.productSet).not.toHaveProperty(absent);
    expect((bare.productSet!.variants as object[])[0]).not.toHaveProperty("barcode");
    expect(bare.primaryImages).toBeNull();
    expect(bare.changedFields).toEqual(["title", "options", "variants", "price"]);
  });

  test("a later sync brings the fields set to 'always', and names the others that differ as kept", () => {
    const primary = rich("p1", { title: "Tee v2", descriptionHtml: "<p>new</p>", vendor: "Maker", productType: "Shirts" }, { barcode: "222", compareAtPrice: "18.00" });
    const dependent = rich("d1", { vendor: "Local", productType: "Tops", tags: ["tandem", "own"], descriptionHtml: "<p>old</p>" }, { id: "dva", barcode: "111", compareAtPrice: "15.00" });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(primary.images) };
    const always = planProductSync(input({ primary, dependent, link, settings: withRules({ description: "always", vendor: "always", productType: "always", tags: "always", barcode: "always" }) }));
    expect(always.action).toBe("update");
    expect(always.productSet).toMatchObject({
      id: "d1", title: "Tee v2", descriptionHtml: "<p>new</p>", vendor: "Maker", productType: "Shirts", tags: ["tandem", "Summer", "Linen"],
      variants: [{ id: "dva", sku: "A", compareAtPrice: "18.00", barcode: "222" }],
    });
    expect(always.changedFields).toEqual(["title", "description", "vendor", "productType", "tags", "price", "barcode"]);
    expect(always.keptFields).toEqual([]);

    const keeping = planProductSync(input({ primary, dependent, link, settings: withRules({ title: "first", compareAtPrice: "first" }) }));
    // Nothing the store takes on every sync differs: no write, whatever differs elsewhere.
    expect(keeping.action).toBe("unchanged");
    const renamedOptions = planProductSync(input({ primary: { ...primary, options: [{ name: "Fit", values: ["A"] }] }, dependent, link, settings: withRules({ title: "first", compareAtPrice: "first" }) }));
    expect(renamedOptions.changedFields).toEqual(["options"]);
    expect(renamedOptions.keptFields).toEqual(["title", "description", "vendor", "productType", "tags", "compareAtPrice", "barcode"]);
    for (const absent of ["title", "descriptionHtml", "vendor", "productType", "tags"]) expect(renamedOptions.productSet).not.toHaveProperty(absent);
    expect(renamedOptions.productSet!.variants).toEqual([expect.objectContaining({ id: "dva", price: "10.00", compareAtPrice: "15.00" })]);
    expect((renamedOptions.productSet!.variants as object[])[0]).not.toHaveProperty("barcode");
  });

  test("an update whose other fields are equal names nothing as kept, whatever the store chose", () => {
    const same = { vendor: "Maker", productType: "Shirts", tags: ["tandem", "Summer"] };
    const primary = rich("p1", { ...same, tags: ["Summer"], options: [{ name: "Fit", values: ["A"] }] }, { barcode: null });
    const dependent = rich("d1", same, { id: "dva", barcode: null });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(primary.images) };
    const plan = planProductSync(input({ primary, dependent, link, settings: withRules({ title: "first", images: "first", compareAtPrice: "never" }) }));
    expect(plan).toMatchObject({ action: "update", changedFields: ["options"], keptFields: [] });
    // Barcodes equal but for a store's empty one: not a difference either.
    const emptyHere = planProductSync(input({ primary, dependent: rich("d1", same, { id: "dva", barcode: "" }), link, settings: withRules({ title: "first" }) }));
    expect(emptyHere.keptFields).toEqual([]);
  });

  test("tags compare without case, order or spaces; the primary's own 'tandem' tag is not doubled", () => {
    const primary = rich("p1", { tags: ["Linen", "SUMMER", "Tandem"] });
    const created = planProductSync(input({ primary, settings: withRules({ tags: "always" }) }));
    expect(created.productSet).toMatchObject({ tags: ["tandem", "Linen", "SUMMER"] });
    const dependent = rich("d1", { tags: [" summer", "tandem", "linen"] }, { id: "dva" });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(primary.images) };
    expect(planProductSync(input({ primary, dependent, link, settings: withRules({ tags: "always" }) })).action).toBe("unchanged");
    const withoutTag = rich("d1", { tags: ["Linen", "Summer"] }, { id: "dva" });
    // A copy without the Tandem tag (the store's own product) does not get it.
    const own = planProductSync(input({ primary, dependent: { ...withoutTag, tags: ["Linen"] }, link, settings: withRules({ tags: "always" }) }));
    expect(own.productSet).toMatchObject({ tags: ["Linen", "SUMMER"] });
  });

  test("images changed on the primary: sent under 'always', kept under 'first', and then the link keeps what the copies came from", () => {
    const primary = rich("p1", { images: [{ url: "https://cdn/b.jpg", alt: "B" }] });
    const dependent = rich("d1", { title: "Tee" }, { id: "dva" });
    const before = imagesFingerprint([{ url: "https://cdn/a.jpg", alt: "A" }]);
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: before };
    const sent = planProductSync(input({ primary, dependent, link, settings: withRules({}) }));
    expect(sent).toMatchObject({ action: "update", changedFields: ["images"], primaryImages: imagesFingerprint(primary.images) });
    expect(sent.productSet).toHaveProperty("files");
    const kept = planProductSync(input({ primary, dependent, link, settings: withRules({ images: "first" }) }));
    expect(kept).toMatchObject({ action: "unchanged", productSet: null, primaryImages: before });
  });

  test("with details off, prices still follow; the compare-at price only where the store takes it", () => {
    const primary = rich("p1", {}, { price: "12.00", compareAtPrice: "20.00" });
    const dependent = rich("d1", {}, { id: "dva", compareAtPrice: "15.00" });
    const off = { syncDetails: false };
    expect(planProductSync(input({ primary, dependent, settings: { ...withRules({}), ...off } })).priceUpdates).toEqual([{ id: "dva", price: "12.00", compareAtPrice: "20.00" }]);
    expect(planProductSync(input({ primary, dependent, settings: { ...withRules({ compareAtPrice: "never" }), ...off } })).priceUpdates).toEqual([{ id: "dva", price: "12.00", compareAtPrice: "15.00" }]);
  });
});

describe("field rules: SEO, handle, option names, inventory policy, weight and unit cost", () => {
  const withRules = (fields: Partial<SyncSettings["fields"]>, extra: Partial<SyncSettings> = {}): SyncSettings => ({ ...settings, syncQuantity: false, ...extra, fields: { ...DEFAULT_FIELD_RULES, ...fields } });
  const seo = { title: "Linen tee | Maker", description: "Light linen" };
  const details = { inventoryPolicy: "CONTINUE" as const, unitCost: "4.50", weight: { value: 250, unit: "GRAMS" as const } };
  const primary = product("p1", [variant("A", details)], { handle: "linen-tee", seo });
  const every = { seo: "always", handle: "always", inventoryPolicy: "always", weight: "always", unitCost: "always" } as const;

  test("a creation sends each field not set to 'never', and the log names them", () => {
    const taken = planProductSync(input({ primary, settings: withRules({ seo: "first", handle: "first", inventoryPolicy: "first", weight: "first", unitCost: "first" }) }));
    expect(taken.productSet).toMatchObject({
      seo, handle: "linen-tee",
      variants: [{ sku: "A", inventoryPolicy: "CONTINUE", inventoryItem: { tracked: true, cost: "4.50", measurement: { weight: { value: 250, unit: "GRAMS" } } } }],
    });
    expect(taken.changedFields).toEqual(["title", "description", "seo", "handle", "options", "variants", "inventoryPolicy", "weight", "unitCost", "price"]);
    // The defaults: none of them.
    const defaults = planProductSync(input({ primary, settings: withRules({}) }));
    for (const absent of ["seo", "handle"]) expect(defaults.productSet).not.toHaveProperty(absent);
    expect((defaults.productSet!.variants as object[])[0]).not.toHaveProperty("inventoryPolicy");
    expect((defaults.productSet!.variants as Array<{ inventoryItem: object }>)[0].inventoryItem).toEqual({ tracked: true });
    expect(defaults.changedFields).toEqual(["title", "description", "options", "variants", "price"]);
    // A product without SEO of its own sends none.
    expect(planProductSync(input({ primary: { ...primary, seo: { title: null, description: null } }, settings: withRules(every) })).productSet).not.toHaveProperty("seo");
  });

  test("a unit cost takes the exchange rate but not the markup or rounding; with another currency and no rate it is not sent", () => {
    const ruled = decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: "0.9", markupPercent: "20", rounding: "99" } });
    const plan = planProductSync(input({ primary, settings: withRules(every, { prices: ruled }) }));
    expect((plan.productSet!.variants as Array<{ price: string; inventoryItem: { cost?: string } }>)[0]).toMatchObject({ price: "10.99", inventoryItem: { cost: "4.05" } });
    const unknown = decidePrices({ primaryCurrency: "USD", dependentCurrency: "EUR", rule: { exchangeRate: null, markupPercent: null, rounding: "none" } });
    const noRate = planProductSync(input({ primary, settings: withRules(every, { prices: unknown }) }));
    expect((noRate.productSet!.variants as Array<{ inventoryItem: object }>)[0].inventoryItem).not.toHaveProperty("cost");
    expect(noRate.changedFields).not.toContain("unitCost");
  });

  test("a later sync brings what differs under 'always' and names it kept under 'first'", () => {
    const dependent = product("d1", [variant("A", { id: "dva", inventoryPolicy: "DENY", unitCost: "3.00", weight: { value: 1, unit: "KILOGRAMS" } })], { handle: "tee-2", seo: { title: null, description: null } });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(primary.images) };
    const always = planProductSync(input({ primary, dependent, link, settings: withRules(every) }));
    expect(always.action).toBe("update");
    expect(always.changedFields).toEqual(["seo", "handle", "inventoryPolicy", "weight", "unitCost"]);
    expect(always.productSet).toMatchObject({
      id: "d1", seo, handle: "linen-tee",
      variants: [{ id: "dva", inventoryPolicy: "CONTINUE", inventoryItem: { cost: "4.50", measurement: { weight: { value: 250, unit: "GRAMS" } } } }],
    });
    const first = planProductSync(input({ primary, dependent, link, settings: withRules({ seo: "first", handle: "first", inventoryPolicy: "first", weight: "first", unitCost: "never" }) }));
    expect(first.action).toBe("unchanged");
    // Written for another reason (a new price): the kept fields are named and not sent.
    const priced = planProductSync(input({ primary: { ...primary, variants: [{ ...primary.variants[0], price: "12.00" }] }, dependent, link, settings: withRules({ seo: "first", handle: "first", inventoryPolicy: "first", weight: "first", unitCost: "never" }) }));
    expect(priced).toMatchObject({ action: "update", changedFields: ["price"], keptFields: ["seo", "handle", "inventoryPolicy", "weight", "unitCost"] });
    for (const absent of ["seo", "handle"]) expect(priced.productSet).not.toHaveProperty(absent);
    const written = (priced.productSet!.variants as Array<{ inventoryItem: object }>)[0];
    expect(written).not.toHaveProperty("inventoryPolicy");
    expect(written.inventoryItem).toEqual({ tracked: true });
  });

  test("details that were not read (a store whose rules do not take them) are neither compared nor sent", () => {
    const unread = product("p1", [variant("A")], { handle: "tee" });
    const dependent = product("d1", [variant("A", { id: "dva", unitCost: "3.00", weight: { value: 1, unit: "KILOGRAMS" }, inventoryPolicy: "CONTINUE" })], { seo: seo });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(unread.images) };
    expect(planProductSync(input({ primary: unread, dependent, link, settings: withRules(every) })).action).toBe("unchanged");
  });

  test("option names on first import only: the store's names stay and the values follow the primary", () => {
    const renamed = product("p1", [variant("A", { options: ["Large"] })], { options: [{ name: "Taille", values: ["Large"] }] });
    const dependent = product("d1", [variant("A", { id: "dva", options: ["L"] })], { options: [{ name: "Size", values: ["L"] }] });
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(renamed.images) };
    const kept = planProductSync(input({ primary: renamed, dependent, link, settings: withRules({ optionNames: "first" }) }));
    expect(kept).toMatchObject({ action: "update", changedFields: ["options"], keptFields: ["optionNames"] });
    expect(kept.productSet).toMatchObject({ productOptions: [{ name: "Size", values: [{ name: "Large" }] }], variants: [{ id: "dva", optionValues: [{ optionName: "Size", name: "Large" }] }] });
    const always = planProductSync(input({ primary: renamed, dependent, link, settings: withRules({}) }));
    expect(always.productSet).toMatchObject({ productOptions: [{ name: "Taille" }], variants: [{ optionValues: [{ optionName: "Taille", name: "Large" }] }] });
    // Names only differ: nothing to write under 'first'.
    const sameValues = product("d1", [variant("A", { id: "dva", options: ["Large"] })], { options: [{ name: "Size", values: ["Large"] }] });
    expect(planProductSync(input({ primary: renamed, dependent: sameValues, link, settings: withRules({ optionNames: "first" }) })).action).toBe("unchanged");
    // A second option on the primary: the structure changed, so the primary's names are used.
    const twoOptions = product("p1", [variant("A", { options: ["Large", "Red"] })], { options: [{ name: "Taille", values: ["Large"] }, { name: "Colour", values: ["Red"] }] });
    const restructured = planProductSync(input({ primary: twoOptions, dependent, link, settings: withRules({ optionNames: "first" }) }));
    expect(restructured.productSet).toMatchObject({ productOptions: [{ name: "Taille" }, { name: "Colour" }] });
  });
});

describe("metafields in the product write", () => {
  const material = { namespace: "custom", key: "material", type: "single_line_text_field", value: "Oak" };
  const metafields = (dependent: (typeof material)[] | null) => ({ chosen: new Set(["custom.material"]), mismatched: new Map(), primary: [material], dependent, translated: new Map() });

  test("a creation carries them; an update writes them when they differ and names them; without details, nothing", () => {
    const created = planProductSync(input({ metafields: metafields(null) }));
    expect(created.productSet).toMatchObject({ metafields: [material] });
    expect(created.changedFields).toContain("metafields");

    const primary = product("p1", [variant("A")]);
    const dependent = product("d1", [variant("A", { id: "dva" })]);
    const link = { dependentProductId: "d1", createdByTandem: true, lastPrimaryStatus: "ACTIVE", lastPrimaryImages: imagesFingerprint(primary.images) };
    const base = { primary, dependent, link, settings: { ...settings, syncQuantity: false } };
    const updated = planProductSync(input({ ...base, metafields: metafields([{ ...material, value: "Pine" }]) }));
    expect(updated).toMatchObject({ action: "update", changedFields: ["metafields"], productSet: { id: "d1", metafields: [material] } });
    expect(planProductSync(input({ ...base, metafields: metafields([material]) })).action).toBe("unchanged");
    const noDetails = planProductSync(input({ ...base, settings: { ...base.settings, syncDetails: false }, metafields: metafields([{ ...material, value: "Pine" }]) }));
    expect(noDetails.action).toBe("unchanged");
  });
});
