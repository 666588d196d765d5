import { describe, expect, test } from "vitest";
import { buyerOf, type DependentOrder, mirroredOrderInput, mirrorTag, notMirroredBecause } from "./mirror";

const order = (overrides: Partial<DependentOrder> = {}): DependentOrder => ({
  id: "gid://shopify/Order/4242", name: "#1007", email: "buyer@example.com", currencyCode: "EUR", displayFinancialStatus: "PAID",
  cancelledAt: null, test: false, customer: { defaultEmailAddress: { emailAddress: "buyer@example.com" }, firstName: "Lea", lastName: "Roy" },
  lineItems: { nodes: [
    { sku: "LAMP ", title: "Lamp", quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "40.00", currencyCode: "EUR" } } },
    { sku: null, title: "Gift wrap", quantity: 1, originalUnitPriceSet: { shopMoney: { amount: "3.00", currencyCode: "EUR" } } },
  ] },
  ...overrides,
});

describe("order mirroring (seed 002)", () => {
  test("only paid orders are recorded; cancelled ones are not", () => {
    expect(notMirroredBecause(order())).toBeNull();
    expect(notMirroredBecause(order({ displayFinancialStatus: "PARTIALLY_REFUNDED" }))).toBeNull();
    expect(notMirroredBecause(order({ displayFinancialStatus: "PENDING" }))).toBe("it is not paid");
    expect(notMirroredBecause(order({ cancelledAt: "2026-11-23T10:00:00Z" }))).toBe("it was cancelled");
  });

  test("the buyer is the customer's e-mail and names; the e-mail stands as the name when there is none; no e-mail, no customer", () => {
    expect(buyerOf(order())).toEqual({ email: "buyer@example.com", firstName: "Lea", lastName: "Roy" });
    expect(buyerOf(order({ customer: { defaultEmailAddress: { emailAddress: "anon@example.com" }, firstName: " ", lastName: null } }))).toEqual({ email: "anon@example.com", firstName: "anon@example.com", lastName: null });
    expect(buyerOf(order({ customer: null, email: "guest@example.com" }))).toEqual({ email: "guest@example.com", firstName: "guest@example.com", lastName: null });
    expect(buyerOf(order({ customer: null, email: null }))).toBeNull();
    // Spaces around what the buyer typed are not part of it; one name is enough to be named.
    expect(buyerOf(order({ customer: { defaultEmailAddress: { emailAddress: " lea@example.com " }, firstName: null, lastName: " Roy " } }))).toEqual({ email: "lea@example.com", firstName: null, lastName: "Roy" });
    expect(buyerOf(order({ customer: null, email: "   " }))).toBeNull();
    expect(notMirroredBecause(order({ displayFinancialStatus: null }))).toBe("it is not paid");
  });

  test("lines go to the linked primary variant at the price sold; others become custom lines; paid, fulfilled, tagged", () => {
    const input = mirroredOrderInput({
      order: order(), dependentShop: "dep.myshopify.com", primaryVariantOfSku: new Map([["LAMP", "gid://shopify/ProductVariant/9"]]),
      customerId: "gid://shopify/Customer/5", email: "buyer@example.com",
    });
    expect(input).toEqual({
      currency: "EUR", email: "buyer@example.com", customer: { toAssociate: { id: "gid://shopify/Customer/5" } },
      financialStatus: "PAID", fulfillmentStatus: "FULFILLED",
      lineItems: [
        { variantId: "gid://shopify/ProductVariant/9", quantity: 2, priceSet: { shopMoney: { amount: "40.00", currencyCode: "EUR" } } },
        { title: "Gift wrap", sku: null, quantity: 1, priceSet: { shopMoney: { amount: "3.00", currencyCode: "EUR" } } },
      ],
      tags: ["tandem", "tandem-order-4242"], sourceName: "tandem", sourceIdentifier: "gid://shopify/Order/4242",
      note: "Sold in dep.myshopify.com as order #1007; fulfilled there.",
    });
    expect(mirrorTag("gid://shopify/Order/4242")).toBe("tandem-order-4242");
  });
});
