import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;

beforeAll(async () => {
  env = await simulatorWithStore();
  await env.sim.control.seed(env.shop, { products: 30, variantsPerProduct: 3, seed: 7 });
});
afterAll(() => env.sim.close());

describe("access", () => {
  test("a wrong access token gets Shopify's 401", async () => {
    const { status, body } = await env.graphql("{ shop { name } }", {}, "shpat_wrong");
    expect(status).toBe(401);
    expect(body.errors).toBe("[API] Invalid API key or access token (unrecognized login or wrong password)");
  });

  test("an unknown store gets 404", async () => {
    const response = await fetch(env.sim.graphqlUrl("nobody.myshopify.com"), { method: "POST", body: "{}", headers: { "x-shopify-access-token": env.accessToken } });
    expect(response.status).toBe(404);
  });

  test("malformed GraphQL, an unknown field and an invalid id are errors, not crashes", async () => {
    const syntax = await env.graphql("{ shop { name ");
    expect(syntax.status).toBe(200);
    expect((syntax.body.errors as Array<{ message: string }>)[0].message).toMatch(/Syntax Error/);
    const unknown = await env.graphql("{ shop { nickname } }");
    expect((unknown.body.errors as Array<{ message: string }>)[0].message).toMatch(/^Cannot query field "nickname" on type "Shop"\./);
    const invalidId = await env.graphql(`{ product(id: "gid://shopify/Product/abc") { id } }`);
    expect((invalidId.body.errors as Array<{ message: string }>)[0].message).toBe("Invalid global id 'gid://shopify/Product/abc'");
    const missing = await env.graphql(`{ product(id: "gid://shopify/Product/1") { id } }`);
    expect(missing.body.data).toEqual({ product: null });
  });

  test("a body that is not JSON gets 400", async () => {
    const response = await fetch(env.sim.graphqlUrl(env.shop), { method: "POST", body: "nope", headers: { "x-shopify-access-token": env.accessToken } });
    expect(response.status).toBe(400);
  });
});

describe("cost", () => {
  test("follows Shopify's method: objects 1, connections 2 + first × node, scalars 0", async () => {
    const shop = await env.graphql("{ shop { name currencyCode plan { displayName } } }");
    expect(shop.body.extensions!.cost.requestedQueryCost).toBe(2);
    const products = await env.graphql("{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }");
    // 2 + 10 × (1 + (2 + 5 × 1))
    expect(products.body.extensions!.cost.requestedQueryCost).toBe(82);
    // 10 products returned, each with 3 variants: 2 + 10 × (1 + 2 + 3)
    expect(products.body.extensions!.cost.actualQueryCost).toBe(62);
    const mutation = await env.graphql(`mutation { productCreate(product: { title: "Costed" }) { product { id } userErrors { field message } } }`);
    expect(mutation.body.extensions!.cost.requestedQueryCost).toBe(10);
  });

  test("refuses a query over 1,000 requested points before running it", async () => {
    const { body } = await env.graphql("{ products(first: 250) { edges { node { variants(first: 10) { edges { node { id } } } } } } }");
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 } })]);
    expect(body.data).toBeUndefined();
  });

  test("rejects input lists over 250 items", async () => {
    const quantities = Array.from({ length: 251 }, () => ({ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 1, changeFromQuantity: null }));
    const { body } = await env.graphql(
      `mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code message } } }`,
      { input: { name: "available", reason: "correction", quantities } },
    );
    expect((body.errors as Array<{ message: string; extensions: unknown }>)[0]).toMatchObject({
      message: "The input array size of 251 is greater than the maximum allowed of 250.",
      extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
    });
  });
});

describe("catalogue semantics", () => {
  test("paginates with cursors and filters with the search syntax", async () => {
    const first = await env.graphql(`{ products(first: 20, query: "tag:seed status:active") { nodes { handle } pageInfo { hasNextPage endCursor } } }`);
    expect(first.body.data!.products.nodes).toHaveLength(20);
    expect(first.body.data!.products.pageInfo.hasNextPage).toBe(true);
    const rest = await env.graphql(`query Next($after: String) { products(first: 20, after: $after, query: "tag:seed status:active") { nodes { handle } pageInfo { hasNextPage } } }`, { after: first.body.data!.products.pageInfo.endCursor });
    expect(rest.body.data!.products.nodes.map((n: { handle: string }) => n.handle)).toEqual(Array.from({ length: 10 }, (_, i) => `seed-${String(21 + i).padStart(5, "0")}`));
    expect(rest.body.data!.products.pageInfo.hasNextPage).toBe(false);
    const bySku = await env.graphql(`{ productVariants(first: 5, query: "sku:TND-00007-2") { nodes { sku product { handle } } } }`);
    expect(bySku.body.data!.productVariants.nodes).toEqual([{ sku: "TND-00007-2", product: { handle: "seed-00007" } }]);
  });

  test("productSet replaces lists: variants left out are deleted", async () => {
    const created = await env.graphql(
      `mutation Set($input: ProductSetInput!) { productSet(input: $input, synchronous: true) { product { id variants(first: 10) { nodes { id sku } } } userErrors { code field message } } }`,
      { input: { title: "Set me", productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "M" }] }], variants: [
        { optionValues: [{ optionName: "Size", name: "S" }], sku: "SET-S", price: "10.00" },
        { optionValues: [{ optionName: "Size", name: "M" }], sku: "SET-M", price: "11.00" },
      ] } },
    );
    const product = created.body.data!.productSet.product;
    expect(product.variants.nodes.map((v: { sku: string }) => v.sku)).toEqual(["SET-S", "SET-M"]);
    const updated = await env.graphql(
      `mutation Set($input: ProductSetInput!) { productSet(input: $input) { product { title variants(first: 10) { nodes { sku price } } } userErrors { message } } }`,
      { input: { id: product.id, title: "Set me again", productOptions: [{ name: "Size", values: [{ name: "M" }] }], variants: [
        { id: product.variants.nodes[1].id, optionValues: [{ optionName: "Size", name: "M" }], sku: "SET-M", price: "12.50" },
      ] } },
    );
    expect(updated.body.data!.productSet).toEqual({ product: { title: "Set me again", variants: { nodes: [{ sku: "SET-M", price: "12.50" }] } }, userErrors: [] });
  });


  test("productSet keeps SEO, handle, inventory policy, unit cost and weight; a handle another product has is refused", async () => {
    const set = `mutation Set($input: ProductSetInput!) { productSet(input: $input) {
      product { id handle seo { title description } variants(first: 5) { nodes { inventoryPolicy inventoryItem { unitCost { amount currencyCode } measurement { weight { unit value } } } } } }
      userErrors { code field message } } }`;
    const plain = await env.graphql(set, { input: { title: "Plain fields" } });
    // Shopify's defaults: no SEO of its own, DENY, no cost, a weight of 0.
    expect(plain.body.data!.productSet.product).toMatchObject({
      handle: "plain-fields", seo: { title: null, description: null },
      variants: { nodes: [{ inventoryPolicy: "DENY", inventoryItem: { unitCost: null, measurement: { weight: { unit: "KILOGRAMS", value: 0 } } } }] },
    });
    const full = await env.graphql(set, { input: {
      title: "Full fields", handle: "full-fields-handle", seo: { title: "SEO title", description: "SEO words" }, productOptions: [{ name: "Size", values: [{ name: "S" }] }],
      variants: [{ optionValues: [{ optionName: "Size", name: "S" }], sku: "FULL-S", inventoryPolicy: "CONTINUE", inventoryItem: { cost: "4.5", measurement: { weight: { unit: "GRAMS", value: 250 } } } }],
    } });
    expect(full.body.data!.productSet).toMatchObject({ userErrors: [], product: {
      handle: "full-fields-handle", seo: { title: "SEO title", description: "SEO words" },
      variants: { nodes: [{ inventoryPolicy: "CONTINUE", inventoryItem: { unitCost: { amount: "4.50", currencyCode: "USD" }, measurement: { weight: { unit: "GRAMS", value: 250 } } } }] },
    } });
    // A handle made from a title is numbered; one the input names must be free (2025-01+).
    const sameTitle = await env.graphql(set, { input: { title: "Plain fields" } });
    expect(sameTitle.body.data!.productSet.product.handle).toBe("plain-fields-1");
    const taken = await env.graphql(set, { input: { title: "Another", handle: "full-fields-handle" } });
    expect(taken.body.data!.productSet).toEqual({ product: null, userErrors: [{ code: "HANDLE_NOT_UNIQUE", field: ["input", "handle"], message: "Handle 'full-fields-handle' already in use. Please provide a new handle." }] });
    const takenOnUpdate = await env.graphql(set, { input: { id: plain.body.data!.productSet.product.id, handle: "full-fields-handle" } });
    expect(takenOnUpdate.body.data!.productSet.userErrors[0].code).toBe("HANDLE_NOT_UNIQUE");
    const ownHandle = await env.graphql(set, { input: { id: full.body.data!.productSet.product.id, handle: "full-fields-handle", seo: { title: "New SEO title" } } });
    expect(ownHandle.body.data!.productSet).toMatchObject({ userErrors: [], product: { handle: "full-fields-handle", seo: { title: "New SEO title", description: "SEO words" } } });
  });
  test("inventorySetQuantities compares and sets, and reports a stale changeFromQuantity", async () => {
    const snapshot = await env.sim.control.snapshot(env.shop);
    const variant = snapshot.products[0].variants[0];
    const warehouse = snapshot.locations.find((l) => l.name === "Warehouse")!;
    const current = variant.quantities.Warehouse.available;
    const mutation = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) { inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { changes { name delta quantityAfterChange } } userErrors { code field message } } }`;
    const set = (changeFromQuantity: number | null) => env.graphql(mutation, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: variant.inventoryItemId, locationId: warehouse.id, quantity: 99, changeFromQuantity }] }, key: crypto.randomUUID() });
    const stale = await set(current + 1);
    expect(stale.body.data!.inventorySetQuantities.userErrors).toEqual([
      { code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "quantities", "0", "changeFromQuantity"], message: "The changeFromQuantity value does not match persisted value." },
    ]);
    const ok = await set(current);
    expect(ok.body.data!.inventorySetQuantities).toEqual({ inventoryAdjustmentGroup: { changes: [{ name: "available", delta: 99 - current, quantityAfterChange: 99 }] }, userErrors: [] });
    const after = await env.sim.control.snapshot(env.shop);
    expect(after.products[0].variants[0].quantities.Warehouse.available).toBe(99);
  });
});

describe("rate limits", () => {
  test("a burst is throttled and the bucket refills at the plan's restore rate", async () => {
    const burst = await simulatorWithStore({ shop: "burst.myshopify.com", plan: "standard" });
    try {
      const mutation = `mutation { productCreate(product: { title: "Burst" }) { product { id } userErrors { message } } }`;
      let throttled: Awaited<ReturnType<typeof burst.graphql>> | undefined;
      let accepted = 0;
      const started = Date.now();
      for (let i = 0; i < 300 && !throttled; i++) {
        const result = await burst.graphql(mutation);
        if (Array.isArray(result.body.errors) && result.body.errors[0].extensions?.code === "THROTTLED") throttled = result;
        else accepted++;
      }
      // Standard plan: 2,000-point bucket, 100 points/s; a mutation costs 10.
      // The bucket refills while the burst runs: 10 more mutations per second of it (slow machines take longer).
      const refilled = Math.ceil(((Date.now() - started) / 1000) * 10);
      expect(accepted).toBeGreaterThanOrEqual(200);
      expect(accepted).toBeLessThanOrEqual(200 + refilled + 1);
      expect(throttled!.body.extensions!.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
      expect(throttled!.body.extensions!.cost.throttleStatus.currentlyAvailable).toBeLessThan(10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const recovered = await burst.graphql(mutation);
      expect(recovered.body.errors).toBeUndefined();
      expect(recovered.body.data!.productCreate.product.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    } finally {
      await burst.sim.close();
    }
  });
});

describe("Admin API chaos", () => {
  test("forced THROTTLED and 5xx answers follow the configured rates, reproducibly", async () => {
    const run = async (seed: number) => {
      const chaotic = await simulatorWithStore({ shop: "chaos.myshopify.com", plan: "plus", seed, chaos: { throttledRate: 0.1, serverErrorRate: 0.05 } });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 200; i++) {
          const { status, body } = await chaotic.graphql("{ shop { name } }");
          outcomes.push(status === 503 ? "5xx" : Array.isArray(body.errors) ? String(body.errors[0].extensions?.code) : "ok");
        }
        return outcomes;
      } finally {
        await chaotic.sim.close();
      }
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    const count = (kind: string) => first.filter((outcome) => outcome === kind).length;
    expect(count("THROTTLED")).toBeGreaterThanOrEqual(8);
    expect(count("THROTTLED")).toBeLessThanOrEqual(35);
    expect(count("5xx")).toBeGreaterThanOrEqual(2);
    expect(count("5xx")).toBeLessThanOrEqual(22);
    expect(count("ok")).toBe(200 - count("THROTTLED") - count("5xx"));
  });
});

describe("search index lag", () => {
  test("a product, variant or order created within the lag is missing from query: searches only; reads by id and unfiltered lists see it", async () => {
    const product = await env.sim.control.createProduct(env.shop, { title: "Fresh Lamp", variants: [{ sku: "FRESH-1", price: "5.00" }] });
    const order = await env.sim.control.placeOrder(env.shop, { lines: [{ sku: "FRESH-1", quantity: 1 }], email: "fresh@example.com" });
    const bySku = `{ productVariants(first: 5, query: "sku:FRESH-1") { nodes { sku } } products(first: 5, query: "sku:FRESH-1") { nodes { title } } }`;
    const byEmail = `{ orders(first: 5, query: "email:fresh@example.com") { nodes { id } } }`;
    const direct = `query D($id: ID!, $order: ID!) { product(id: $id) { title } order(id: $order) { id } products(first: 250) { nodes { title } } }`;
    await env.sim.control.setChaos({ searchIndexLagMs: 60_000 });
    try {
      expect((await env.graphql(bySku)).body.data).toEqual({ productVariants: { nodes: [] }, products: { nodes: [] } });
      expect((await env.graphql(byEmail)).body.data).toEqual({ orders: { nodes: [] } });
      const read = (await env.graphql(direct, { id: product.id, order: order.id })).body.data!;
      expect(read.product).toEqual({ title: "Fresh Lamp" });
      expect(read.order).toEqual({ id: order.id });
      expect(read.products.nodes).toContainEqual({ title: "Fresh Lamp" });
    } finally {
      await env.sim.control.setChaos({ searchIndexLagMs: 0 });
    }
    expect((await env.graphql(bySku)).body.data).toEqual({ productVariants: { nodes: [{ sku: "FRESH-1" }] }, products: { nodes: [{ title: "Fresh Lamp" }] } });
    expect((await env.graphql(byEmail)).body.data).toEqual({ orders: { nodes: [{ id: order.id }] } });
  });
});

describe("custom IDs (id metafields)", () => {
  const DEFINE = `mutation D($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) { createdDefinition { namespace key type { name } ownerType } userErrors { code field message } } }`;
  const SET = `mutation S($input: ProductSetInput!, $identifier: ProductSetIdentifiers) { productSet(input: $input, identifier: $identifier, synchronous: true) { product { id title metafield(namespace: "$app", key: "origin") { type value } } userErrors { code field message } } }`;
  const FIND = `query F($identifier: ProductIdentifierInput!) { productByIdentifier(identifier: $identifier) { id title } }`;
  const customId = (value: string) => ({ namespace: "$app", key: "origin", value });
  const input = (title: string, value: string) => ({ title, productOptions: [{ name: "Title", values: [{ name: "Default Title" }] }], metafields: [{ ...customId(value), type: "id" }] });

  test("a definition is made once per owner type; productSet upserts by custom ID; a lookup finds the product at once, search lag or not", async () => {
    const definition = { name: "Origin", namespace: "$app", key: "origin", type: "id", ownerType: "PRODUCT" };
    const first = (await env.graphql(DEFINE, { definition })).body.data!.metafieldDefinitionCreate;
    expect(first).toEqual({ createdDefinition: { namespace: "app--1", key: "origin", type: { name: "id" }, ownerType: "PRODUCT" }, userErrors: [] });
    const again = (await env.graphql(DEFINE, { definition })).body.data!.metafieldDefinitionCreate;
    expect(again.userErrors).toEqual([{ code: "TAKEN", field: ["definition", "key"], message: expect.stringContaining("in use") }]);

    await env.sim.control.setChaos({ searchIndexLagMs: 60_000 });
    try {
      const created = (await env.graphql(SET, { input: input("Origin A", "P-1"), identifier: { customId: customId("P-1") } })).body.data!.productSet;
      expect(created.userErrors).toEqual([]);
      expect(created.product.metafield).toEqual({ type: "id", value: "P-1" });
      const upserted = (await env.graphql(SET, { input: input("Origin A2", "P-1"), identifier: { customId: customId("P-1") } })).body.data!.productSet;
      expect(upserted.product.id).toBe(created.product.id);
      expect((await env.graphql(FIND, { identifier: { customId: customId("P-1") } })).body.data!.productByIdentifier).toEqual({ id: created.product.id, title: "Origin A2" });
      expect((await env.graphql(FIND, { identifier: { customId: customId("P-2") } })).body.data!.productByIdentifier).toBeNull();
      // Another product cannot take a custom ID that is in use.
      const clash = (await env.graphql(SET, { input: input("Origin B", "P-1") })).body.data!.productSet;
      expect(clash).toEqual({ product: null, userErrors: [{ code: "DUPLICATED_METAFIELD_VALUE", field: ["metafields", "0", "value"], message: expect.stringContaining("unique") }] });
    } finally {
      await env.sim.control.setChaos({ searchIndexLagMs: 0 });
    }
  });

  test("an id metafield needs its definition; an order made with one is found by it", async () => {
    const undefinedId = (await env.graphql(SET, { input: { title: "No definition", metafields: [{ namespace: "$app", key: "nowhere", type: "id", value: "x" }] } })).body.data!.productSet;
    expect(undefinedId.userErrors).toEqual([{ code: "INVALID_METAFIELD", field: ["metafields", "0", "key"], message: "A metafield of type id needs a definition." }]);
    await env.graphql(DEFINE, { definition: { name: "Source order", namespace: "$app", key: "source_order", type: "id", ownerType: "ORDER" } });
    const made = await env.graphql(`mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id metafield(namespace: "$app", key: "source_order") { value } } userErrors { field message } } }`, {
      order: { lineItems: [{ title: "Gift", quantity: 1, priceSet: { shopMoney: { amount: "1.00", currencyCode: "USD" } } }], metafields: [{ namespace: "$app", key: "source_order", type: "id", value: "gid://shopify/Order/77" }] },
    });
    const order = made.body.data!.orderCreate.order;
    expect(order.metafield).toEqual({ value: "gid://shopify/Order/77" });
    const found = await env.graphql(`query F($identifier: OrderIdentifierInput!) { orderByIdentifier(identifier: $identifier) { id } }`, { identifier: { customId: { namespace: "$app", key: "source_order", value: "gid://shopify/Order/77" } } });
    expect(found.body.data!.orderByIdentifier).toEqual({ id: order.id });
  });
});

describe("metafields by definition", () => {
  const DEFINE = `mutation D($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) { createdDefinition { id } userErrors { code field message } } }`;
  const SET = `mutation S($input: ProductSetInput!) { productSet(input: $input) { product { id metafields(first: 10, keys: ["custom.material", "custom.pairs_with"]) { nodes { namespace key type value } } } userErrors { code field message } } }`;

  test("definitions are listed by owner type; a product's metafields are read by key; a reference must name something of the store", async () => {
    await env.graphql(DEFINE, { definition: { name: "Material", namespace: "custom", key: "material", type: "single_line_text_field", ownerType: "PRODUCT" } });
    await env.graphql(DEFINE, { definition: { name: "Pairs with", namespace: "custom", key: "pairs_with", type: "list.product_reference", ownerType: "PRODUCT" } });
    const listed = await env.graphql(`{ metafieldDefinitions(ownerType: PRODUCT, first: 10, namespace: "custom") { nodes { namespace key name type { name } } } }`);
    expect(listed.body.data!.metafieldDefinitions.nodes).toEqual([
      { namespace: "custom", key: "material", name: "Material", type: { name: "single_line_text_field" } },
      { namespace: "custom", key: "pairs_with", name: "Pairs with", type: { name: "list.product_reference" } },
    ]);
    const orders = await env.graphql(`{ metafieldDefinitions(ownerType: ORDER, first: 10, namespace: "custom") { nodes { key } } }`);
    expect(orders.body.data!.metafieldDefinitions.nodes).toEqual([]);

    const other = (await env.graphql(SET, { input: { title: "Saucer" } })).body.data!.productSet.product.id;
    const cup = await env.graphql(SET, { input: { title: "Cup", metafields: [
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Porcelain" },
      { namespace: "custom", key: "pairs_with", type: "list.product_reference", value: JSON.stringify([other]) },
      { namespace: "custom", key: "unread", type: "single_line_text_field", value: "not asked for" },
    ] } });
    expect(cup.body.data!.productSet.product.metafields.nodes).toEqual([
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Porcelain" },
      { namespace: "custom", key: "pairs_with", type: "list.product_reference", value: JSON.stringify([other]) },
    ]);
    const missing = await env.graphql(SET, { input: { title: "Mug", metafields: [{ namespace: "custom", key: "pairs_with", type: "list.product_reference", value: JSON.stringify(["gid://shopify/Product/999999999"]) }] } });
    expect(missing.body.data!.productSet).toEqual({ product: null, userErrors: [{ code: "INVALID_METAFIELD", field: ["metafields", "0", "value"], message: "Value must be a list of references to a product of this store." }] });
    const wrongType = await env.graphql(SET, { input: { title: "Mug", metafields: [{ namespace: "custom", key: "material", type: "number_integer", value: "3" }] } });
    expect(wrongType.body.data!.productSet.userErrors[0]).toMatchObject({ code: "INVALID_METAFIELD", field: ["metafields", "0", "type"] });
  });
});

describe("the clock knobs of the realistic profile", () => {
  test("a tail share of requests and every mutation take at least the time set", async () => {
    await env.sim.control.setChaos({ latencyTailRate: 1, latencyTailMs: 300 });
    try {
      const started = performance.now();
      await env.graphql("{ shop { name } }");
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await env.sim.control.setChaos({ latencyTailRate: 0, latencyTailMs: 0 });
    }
    await env.sim.control.setChaos({ mutationLatencyMs: 300 });
    try {
      const started = performance.now();
      await env.graphql(`mutation { productCreate(product: { title: "Slow write" }) { product { id } userErrors { message } } }`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await env.sim.control.setChaos({ mutationLatencyMs: 0 });
    }
  });

  test("the realistic profile sets every knob it names, and only known ones", async () => {
    const { SIM_PROFILES } = await import("./profiles");
    const chaos = await env.sim.control.setChaos(SIM_PROFILES.realistic);
    try {
      expect(chaos).toMatchObject(SIM_PROFILES.realistic);
    } finally {
      await env.sim.control.setChaos(Object.fromEntries(Object.keys(SIM_PROFILES.realistic).map((key) => [key, 0])));
    }
  });
});
