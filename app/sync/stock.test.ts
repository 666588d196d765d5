import { describe, expect, test } from "vitest";
import { movementsFromOrder, type OrderRecord, primaryLocationFor, restocksFromRefund, saleCounts, salesFromOrder } from "./stock";

const order: OrderRecord = {
  id: "gid://shopify/Order/1",
  displayFinancialStatus: "PARTIALLY_REFUNDED",
  retailLocation: { id: "gid://shopify/Location/7" },
  lineItems: { nodes: [{ id: "gid://shopify/LineItem/11", sku: " LAMP ", quantity: 3 }, { id: "gid://shopify/LineItem/12", sku: null, quantity: 1 }] },
  refunds: [{
    id: "gid://shopify/Refund/21",
    refundLineItems: {
      nodes: [
        { quantity: 2, restockType: "RETURN", location: { id: "gid://shopify/Location/7" }, lineItem: { id: "gid://shopify/LineItem/11", sku: "LAMP" } },
        { quantity: 1, restockType: "NO_RESTOCK", location: null, lineItem: { id: "gid://shopify/LineItem/12", sku: null } },
      ],
    },
  }],
};

describe("movements read back from an order (reconciliation)", () => {
  test("carry the same ledger keys as the order's webhooks, so each line counts once whichever arrives first", () => {
    const fromWebhooks = [
      ...salesFromOrder({
        admin_graphql_api_id: order.id, financial_status: "paid", location_id: 7,
        line_items: [{ admin_graphql_api_id: "gid://shopify/LineItem/11", sku: "LAMP", quantity: 3 }, { admin_graphql_api_id: "gid://shopify/LineItem/12", sku: null, quantity: 1 }],
      }).movements!,
      ...restocksFromRefund({
        admin_graphql_api_id: "gid://shopify/Refund/21",
        refund_line_items: [
          { quantity: 2, restock_type: "return", location_id: 7, line_item: { admin_graphql_api_id: "gid://shopify/LineItem/11", sku: "LAMP", quantity: 3 } },
          { quantity: 1, restock_type: "no_restock", location_id: null, line_item: { admin_graphql_api_id: "gid://shopify/LineItem/12", sku: null, quantity: 1 } },
        ],
      }).movements!,
    ];
    expect(movementsFromOrder(order, false)).toEqual(fromWebhooks);
  });

  test("an unpaid order's sales count only where unpaid orders count; its restocks are always read", () => {
    const unpaid = { ...order, displayFinancialStatus: "PENDING" };
    expect(movementsFromOrder(unpaid, false).map((m) => m.key)).toEqual(["restock:gid://shopify/Refund/21:gid://shopify/LineItem/11"]);
    expect(movementsFromOrder(unpaid, true).map((m) => m.kind)).toEqual(["sale", "sale", "restock"]);
  });
});

describe("order webhook bodies Tandem cannot read", () => {
  test("say which fields were not as Shopify documents them, and give no movements", () => {
    expect(salesFromOrder({ admin_graphql_api_id: "gid://shopify/Order/1", line_items: [{ admin_graphql_api_id: "gid://shopify/LineItem/1", quantity: "two" }] }))
      .toEqual({ problem: "line_items.0.quantity: Expected number, received string" });
    expect(salesFromOrder("not an order").problem).toBe("body: Expected object, received string");
    expect(restocksFromRefund({ admin_graphql_api_id: "gid://shopify/Refund/1" }).problem).toBe("refund_line_items: Required");
  });
});

describe("the primary location a dependent's sale is taken from", () => {
  const base = { mapping: { "P-north": "D-shop" }, primaryLocationIds: ["P-main", "P-north"], primaryDefaultLocationId: "P-main", available: { "P-main": 5, "P-north": 3 } };
  test("the primary location mapped to the sale's location", () => {
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", dependentDefaultLocationId: "D-default" })).toBe("P-north");
  });
  test("a sale without a location was made at the dependent's default location, which unmapped primary locations supply", () => {
    expect(primaryLocationFor({ ...base, saleLocationId: null, dependentDefaultLocationId: "D-default" })).toBe("P-main");
  });
  test("from a dependent that can no longer be read: by the mapping alone, else the primary's default location", () => {
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", dependentDefaultLocationId: null })).toBe("P-north");
    expect(primaryLocationFor({ ...base, saleLocationId: null, dependentDefaultLocationId: null })).toBe("P-main");
    expect(primaryLocationFor({ ...base, available: { "P-main": 0, "P-north": 9 }, saleLocationId: null, dependentDefaultLocationId: null })).toBe("P-main");
  });
});

describe("whether an order webhook's sale counts now", () => {
  test("a paid order's orders/paid counts; orders/create counts only where unpaid orders count", () => {
    expect(saleCounts("orders/paid", false, "paid")).toBe(true);
    expect(saleCounts("orders/paid", false, "PARTIALLY_REFUNDED")).toBe(true);
    expect(saleCounts("orders/create", false, "pending")).toBe(false);
    expect(saleCounts("orders/create", true, "pending")).toBe(true);
  });
  test("an unpaid order's body under the orders/paid topic (the signature does not cover the topic) is no paid sale", () => {
    expect(saleCounts("orders/paid", false, "pending")).toBe(false);
    expect(saleCounts("orders/paid", false, "authorized")).toBe(false);
    // A body without a status cannot be checked: taken as the topic says.
    expect(saleCounts("orders/paid", false, null)).toBe(true);
  });
});
