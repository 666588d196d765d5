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
