import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;

beforeAll(async () => {
  env = await simulatorWithStore({ shop: "orders.myshopify.com" });
  await env.sim.control.seed(env.shop, { products: 1, variantsPerProduct: 1, seed: 2 });
});
afterAll(() => env.sim.close());

describe("customers and orderCreate", () => {
  test("customerCreate refuses a taken e-mail; customers(query: email:) finds by e-mail, any case", async () => {
    const create = `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id displayName } userErrors { field message } } }`;
    const first = await env.graphql(create, { input: { email: "ana@example.com", firstName: "Ana", lastName: "Lima" } });
    expect(first.body.data!.customerCreate).toEqual({ customer: { id: expect.stringMatching(/Customer/), displayName: "Ana Lima" }, userErrors: [] });
    const again = await env.graphql(create, { input: { email: "ANA@example.com" } });
    expect(again.body.data!.customerCreate.userErrors).toEqual([{ field: ["email"], message: "Email has already been taken" }]);
    const found = await env.graphql(`query F($q: String) { customers(first: 5, query: $q) { nodes { email firstName } } }`, { q: "email:Ana@Example.com" });
    expect(found.body.data!.customers.nodes).toEqual([{ email: "ana@example.com", firstName: "Ana" }]);
  });

  test("orderCreate associates a customer, keeps stock untouched by default and records tags and source", async () => {
    const snapshot = await env.sim.control.snapshot(env.shop);
    const variant = snapshot.products[0].variants[0];
    const customers = await env.sim.control.customers(env.shop);
    const { body } = await env.graphql(
      `mutation O($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
        orderCreate(order: $order, options: $options) { order { id customer { email } tags sourceIdentifier lineItems(first: 5) { nodes { sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } } } userErrors { code field message } }
      }`,
      { order: {
        currency: "EUR", financialStatus: "PAID", tags: ["mirror"], sourceName: "tandem", sourceIdentifier: "gid://shopify/Order/1",
        customer: { toAssociate: { id: customers[0].id } },
        lineItems: [{ variantId: variant.id, quantity: 2, priceSet: { shopMoney: { amount: "9.50", currencyCode: "EUR" } } }, { title: "Gift wrap", quantity: 1, priceSet: { shopMoney: { amount: "2.00", currencyCode: "EUR" } } }],
      } },
    );
    expect(body.data!.orderCreate.userErrors).toEqual([]);
    expect(body.data!.orderCreate.order).toMatchObject({
      customer: { email: "ana@example.com" }, tags: ["mirror"], sourceIdentifier: "gid://shopify/Order/1",
      lineItems: { nodes: [
        { sku: variant.sku, quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "9.50", currencyCode: "EUR" } } },
        { sku: null, quantity: 1, originalUnitPriceSet: { shopMoney: { amount: "2.00", currencyCode: "EUR" } } },
      ] },
    });
    const after = await env.sim.control.snapshot(env.shop);
    expect(after.products[0].variants[0].quantities).toEqual(variant.quantities);
    const tagged = await env.graphql(`{ orders(first: 5, query: "tag:mirror") { nodes { id } } }`);
    expect(tagged.body.data!.orders.nodes).toEqual([{ id: body.data!.orderCreate.order.id }]);
  });
});

describe("where an order takes its stock", () => {
  const ORDER = `query O($id: ID!) { order(id: $id) {
    retailLocation { name }
    fulfillmentOrders(first: 5) { nodes { assignedLocation { name location { name } } lineItems(first: 5) { nodes { totalQuantity lineItem { id sku } } } } }
  } }`;

  test("an online order has no retail location; routing sends it to the first location holding every line, and a restock goes back there", async () => {
    const sku = (await env.sim.control.snapshot(env.shop)).products[0].variants[0].sku!;
    await env.sim.control.setInventory(env.shop, { sku, location: "Warehouse", available: 1 });
    await env.sim.control.setInventory(env.shop, { sku, location: "Shop", available: 5 });
    const order = await env.sim.control.placeOrder(env.shop, { lines: [{ sku, quantity: 2 }] });
    const { body } = await env.graphql(ORDER, { id: order.id });
    expect(body.data!.order).toEqual({
      retailLocation: null,
      fulfillmentOrders: { nodes: [{ assignedLocation: { name: "Shop", location: { name: "Shop" } }, lineItems: { nodes: [{ totalQuantity: 2, lineItem: { id: order.lineItems[0].id, sku } }] } }] },
    });
    const quantities = async () => (await env.sim.control.snapshot(env.shop)).products[0].variants[0].quantities;
    expect(await quantities()).toMatchObject({ Warehouse: { available: 1 }, Shop: { available: 3 } });
    await env.sim.control.refund(env.shop, order.id, [{ lineItemId: order.lineItems[0].id, quantity: 1, restock: true }]);
    expect(await quantities()).toMatchObject({ Warehouse: { available: 1 }, Shop: { available: 4 } });
  });

  test("the default location takes an online order it can fill whole; a POS sale takes the register's stock", async () => {
    const sku = (await env.sim.control.snapshot(env.shop)).products[0].variants[0].sku!;
    await env.sim.control.setInventory(env.shop, { sku, location: "Warehouse", available: 4 });
    await env.sim.control.setInventory(env.shop, { sku, location: "Shop", available: 4 });
    const online = await env.sim.control.placeOrder(env.shop, { lines: [{ sku, quantity: 1 }] });
    const pos = await env.sim.control.placeOrder(env.shop, { lines: [{ sku, quantity: 1 }], location: "Shop" });
    const onlineView = (await env.graphql(ORDER, { id: online.id })).body.data!.order;
    const posView = (await env.graphql(ORDER, { id: pos.id })).body.data!.order;
    expect(onlineView.retailLocation).toBeNull();
    expect(onlineView.fulfillmentOrders.nodes.map((node: { assignedLocation: { name: string } }) => node.assignedLocation.name)).toEqual(["Warehouse"]);
    expect(posView.retailLocation).toEqual({ name: "Shop" });
    expect(posView.fulfillmentOrders.nodes.map((node: { assignedLocation: { name: string } }) => node.assignedLocation.name)).toEqual(["Shop"]);
    expect((await env.sim.control.snapshot(env.shop)).products[0].variants[0].quantities).toMatchObject({ Warehouse: { available: 3 }, Shop: { available: 3 } });
  });
});

describe("a development store's order limit", () => {
  test("orderCreate makes 5 orders a minute; the 6th is refused with 429 and Retry-After, and makes nothing", async () => {
    // The minute is a real one, so the six calls fall inside it on any machine.
    const dev = await simulatorWithStore({ shop: "dev-orders.myshopify.com" });
    try {
      const devStore = dev.sim.world.stores.get(dev.shop)!;
      devStore.development = true;
      const create = `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { message } } }`;
      const order = { lineItems: [{ title: "Gift", quantity: 1, priceSet: { shopMoney: { amount: "1.00", currencyCode: "USD" } } }] };
      for (let i = 0; i < 5; i++) expect((await dev.graphql(create, { order })).body.data!.orderCreate.userErrors).toEqual([]);
      const response = await fetch(dev.sim.graphqlUrl(dev.shop), {
        method: "POST", headers: { "content-type": "application/json", "x-shopify-access-token": dev.accessToken }, body: JSON.stringify({ query: create, variables: { order } }),
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toEqual({ errors: expect.stringContaining("Exceeded order API rate limit") });
      expect(devStore.orders.size).toBe(5);
      const shop = await dev.graphql(`{ shop { plan { partnerDevelopment } } }`);
      expect(shop.body.data!.shop.plan.partnerDevelopment).toBe(true);
    } finally {
      await dev.sim.close();
    }
  });
});

describe("protected customer data", () => {
  test("an app not approved for protected fields gets an access error on each, with the rest of the order", async () => {
    const sku = (await env.sim.control.snapshot(env.shop)).products[0].variants[0].sku!;
    const order = await env.sim.control.placeOrder(env.shop, { lines: [{ sku, quantity: 1 }], customer: { firstName: "Ada", lastName: "Byron", email: "ada@example.com" }, email: "ada@example.com" });
    const query = `query O($id: ID!) { order(id: $id) { id name email customer { id firstName displayName defaultEmailAddress { emailAddress } } } }`;
    await env.sim.control.setProtectedCustomerFields(env.shop, false);
    try {
      const { body } = await env.graphql(query, { id: order.id });
      expect(body.data!.order).toMatchObject({ id: order.id, name: order.name, email: null, customer: { firstName: null, displayName: "•••", defaultEmailAddress: null } });
      const errors = body.errors as Array<{ path?: string[]; extensions?: { code?: string } }>;
      expect(errors.map((error) => [error.path?.join("."), error.extensions?.code])).toEqual([
        ["order.email", "ACCESS_DENIED"], ["order.customer.firstName", "ACCESS_DENIED"], ["order.customer.defaultEmailAddress", "ACCESS_DENIED"],
      ]);
    } finally {
      await env.sim.control.setProtectedCustomerFields(env.shop, true);
    }
    const approved = await env.graphql(query, { id: order.id });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data!.order).toMatchObject({ email: "ada@example.com", customer: { firstName: "Ada", displayName: "Ada Byron" } });
  });
});
