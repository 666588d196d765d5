import { describe, expect, test } from "vitest";
import { assignedLocations, movementsFromOrder, type OrderRecord, primaryLocationFor, orderTakes, restocksFromRefund, salesFromOrder, takesUnits } from "./stock";

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

  test("an unpaid order's lines are reservations where only paid orders count, sales elsewhere, under the sales' keys; its restocks are always read", () => {
    const unpaid = { ...order, displayFinancialStatus: "PENDING" };
    expect(movementsFromOrder(unpaid, false).map((m) => [m.kind, m.key])).toEqual([
      ["reservation", "sale:gid://shopify/LineItem/11"], ["reservation", "sale:gid://shopify/LineItem/12"], ["restock", "restock:gid://shopify/Refund/21:gid://shopify/LineItem/11"],
    ]);
    expect(movementsFromOrder(unpaid, true).map((m) => m.kind)).toEqual(["sale", "sale", "restock"]);
  });
});

describe("where Shopify routed an online order's lines", () => {
  const fulfillmentOrder = (locationId: string | null, lineIds: number[]) => ({
    assignedLocation: { location: locationId ? { id: locationId } : null },
    lineItems: { nodes: lineIds.map((id) => ({ lineItem: { id: `gid://shopify/LineItem/${id}` } })) },
  });

  test("each line takes its fulfillment order's assigned location; the first one naming a line wins; one without a location names none", () => {
    const routed = assignedLocations([fulfillmentOrder("gid://shopify/Location/2", [1, 2]), fulfillmentOrder(null, [3]), fulfillmentOrder("gid://shopify/Location/5", [2, 4])]);
    expect([...routed]).toEqual([
      ["gid://shopify/LineItem/1", "gid://shopify/Location/2"],
      ["gid://shopify/LineItem/2", "gid://shopify/Location/2"],
      ["gid://shopify/LineItem/4", "gid://shopify/Location/5"],
    ]);
    expect(assignedLocations([]).size).toBe(0);
  });

  test("a sale read back from an online order has no location and names its order (the stock job reads the routing)", () => {
    const online = { ...order, retailLocation: null, refunds: [] };
    expect(movementsFromOrder(online, true).map((m) => [m.locationId, m.orderId])).toEqual([[null, order.id], [null, order.id]]);
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

describe("which movements take units from the primary", () => {
  test("sales and reservations take them (a restock of their line may give them back); restocks return them", () => {
    expect(["sale", "reservation", "restock", ""].map(takesUnits)).toEqual([true, true, false, false]);
  });
});

describe("what an order webhook's lines take from the primary now", () => {
  test("a paid order's lines are sales; an unpaid one's are reservations, or sales where unpaid orders count", () => {
    expect(orderTakes("orders/paid", false, "paid")).toBe("sale");
    expect(orderTakes("orders/paid", false, "PARTIALLY_REFUNDED")).toBe("sale");
    expect(orderTakes("orders/create", false, "paid")).toBe("sale");
    expect(orderTakes("orders/create", false, "pending")).toBe("reservation");
    expect(orderTakes("orders/create", true, "pending")).toBe("sale");
  });
  test("an unpaid order's body under the orders/paid topic (the signature does not cover the topic) is no paid sale", () => {
    expect(orderTakes("orders/paid", false, "pending")).toBeNull();
    expect(orderTakes("orders/paid", false, "authorized")).toBeNull();
    expect(orderTakes("orders/paid", true, "pending")).toBeNull();
    // A body without a status cannot be checked: taken as the topic says.
    expect(orderTakes("orders/paid", false, null)).toBe("sale");
    expect(orderTakes("orders/create", false, null)).toBe("reservation");
    expect(orderTakes("orders/create", false, undefined)).toBe("reservation");
  });
});

describe("webhook bodies, line by line", () => {
  const line = (id: number, quantity: number, sku: string | null = "LAMP") => ({ admin_graphql_api_id: `gid://shopify/LineItem/${id}`, sku, quantity });

  test("a sale takes each line of a positive quantity, all at the order's location (or none), SKU trimmed (blank: none), naming its order", () => {
    const body = { admin_graphql_api_id: "gid://shopify/Order/1", location_id: 9, line_items: [line(1, 2, " LAMP "), line(2, 0), line(3, 1, "   ")] };
    expect(salesFromOrder(body)).toEqual({ movements: [
      { key: "sale:gid://shopify/LineItem/1", kind: "sale", sku: "LAMP", lineItemId: "gid://shopify/LineItem/1", quantity: 2, locationId: "gid://shopify/Location/9", orderId: "gid://shopify/Order/1" },
      { key: "sale:gid://shopify/LineItem/3", kind: "sale", sku: null, lineItemId: "gid://shopify/LineItem/3", quantity: 1, locationId: "gid://shopify/Location/9", orderId: "gid://shopify/Order/1" },
    ] });
    expect(salesFromOrder({ ...body, location_id: null }).movements?.[0].locationId).toBeNull();
    expect(salesFromOrder({ admin_graphql_api_id: "gid://shopify/Order/1", line_items: [line(1, 1)] }).movements?.[0].locationId).toBeNull();
  });

  test("a refund puts back the lines it restocks, where it restocks them; a line of 0 or without restock puts nothing back", () => {
    const body = {
      admin_graphql_api_id: "gid://shopify/Refund/5",
      refund_line_items: [
        { quantity: 1, restock_type: "return", location_id: 4, line_item: line(1, 3) },
        { quantity: 0, restock_type: "return", location_id: 4, line_item: line(2, 3) },
        { quantity: 2, restock_type: "no_restock", location_id: null, line_item: line(3, 3) },
        { quantity: 2, restock_type: null, line_item: line(4, 3) },
        { quantity: 1, restock_type: "cancel", location_id: null, line_item: line(5, 1, null) },
      ],
    };
    expect(restocksFromRefund(body)).toEqual({ movements: [
      { key: "restock:gid://shopify/Refund/5:gid://shopify/LineItem/1", kind: "restock", sku: "LAMP", lineItemId: "gid://shopify/LineItem/1", quantity: 1, locationId: "gid://shopify/Location/4", orderId: null },
      { key: "restock:gid://shopify/Refund/5:gid://shopify/LineItem/5", kind: "restock", sku: null, lineItemId: "gid://shopify/LineItem/5", quantity: 1, locationId: null, orderId: null },
    ] });
  });

  test("an unreadable body names at most its first three problems, by field", () => {
    expect(salesFromOrder({ line_items: "none" })).toEqual({ problem: "admin_graphql_api_id: Required; line_items: Expected array, received string" });
    expect(salesFromOrder(null)).toEqual({ problem: "body: Expected object, received null" });
    const many = { admin_graphql_api_id: 1, location_id: "x", financial_status: 3, line_items: 4 };
    expect(salesFromOrder(many).problem?.split("; ")).toHaveLength(3);
    expect(restocksFromRefund({ admin_graphql_api_id: "r", refund_line_items: [{ quantity: "1" }] }).problem).toContain("refund_line_items.0.quantity");
  });

  test("read back from an order: lines of 0 take nothing, and an unpaid order's restocks still count", () => {
    const zero = { ...order, lineItems: { nodes: [{ id: "gid://shopify/LineItem/13", sku: "LAMP", quantity: 0 }] }, refunds: [] };
    expect(movementsFromOrder(zero, true)).toEqual([]);
    const unpaid = { ...order, displayFinancialStatus: null, refunds: [{ ...order.refunds[0], refundLineItems: { nodes: [{ ...order.refunds[0].refundLineItems.nodes[0], quantity: 0 }, order.refunds[0].refundLineItems.nodes[0]] } }] };
    expect(movementsFromOrder(unpaid, false).filter((m) => m.kind === "restock").map((m) => m.key)).toEqual(["restock:gid://shopify/Refund/21:gid://shopify/LineItem/11"]);
  });
});

describe("the primary location of a sale, among several that feed it", () => {
  test("the one holding most of the item; the first on a tie; unmapped primaries feed the default", () => {
    const base = { mapping: { A: "D-shop", B: "D-shop" }, dependentDefaultLocationId: "D-main", primaryLocationIds: ["A", "B", "C"], primaryDefaultLocationId: "C" };
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", available: { A: 1, B: 5 } })).toBe("B");
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", available: { A: 5, B: 1 } })).toBe("A");
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", available: { A: 2, B: 2 } })).toBe("A");
    expect(primaryLocationFor({ ...base, saleLocationId: "D-shop", available: { B: 1 } })).toBe("B");
    expect(primaryLocationFor({ ...base, saleLocationId: "D-main", available: {} })).toBe("C");
    // A sale whose location is unknown in a dependent that cannot be read: the primary's default,
    // even when a primary location is unmapped.
    expect(primaryLocationFor({ ...base, mapping: { A: "D-shop" }, primaryDefaultLocationId: "Z", saleLocationId: null, dependentDefaultLocationId: null, available: { B: 3 } })).toBe("Z");
    // A dependent location nothing feeds: the primary's default.
    expect(primaryLocationFor({ ...base, saleLocationId: "D-elsewhere", available: { A: 9 } })).toBe("C");
    expect(primaryLocationFor({ ...base, mapping: { A: "D-shop", B: "D-shop", C: "D-shop" }, primaryDefaultLocationId: "Z", saleLocationId: null, dependentDefaultLocationId: null, available: {} })).toBe("Z");
  });
});
