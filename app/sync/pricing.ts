import { text, type Text } from "../i18n";

/**
 * Prices on a dependent (seed 003): copied only when both stores use the same currency, unless the
 * dependent set a price rule (exchange rate and/or markup, then rounding). Pure.
 */
export type PriceRounding = "none" | "whole" | "99" | "95";

export type PriceRule = {
  /** Dependent currency per unit of the primary's; null means 1 (same currency). */
  exchangeRate: string | null;
  markupPercent: string | null;
  rounding: PriceRounding;
};

export type PriceDecision =
  | {
    sync: true;
    convert: (price: string) => string;
    /** A unit cost in the dependent's currency: the exchange rate only (a markup or rounding is for selling prices). */
    convertCost: (cost: string) => string;
    describe: string;
  }
  | { sync: false; reason: Text; fix: Text };

export function hasPriceRule(rule: PriceRule): boolean {
  return rule.exchangeRate !== null || rule.markupPercent !== null || rule.rounding !== "none";
}

function cents(amount: number): string {
  return (Math.round(amount * 100) / 100).toFixed(2);
}

export function applyPriceRule(price: string, rule: PriceRule): string {
  const rate = rule.exchangeRate === null ? 1 : Number(rule.exchangeRate);
  const markup = rule.markupPercent === null ? 0 : Number(rule.markupPercent);
  // Work in cents to keep binary floating point out of the result.
  const raw = Math.round(Number(price) * 100 * rate * (1 + markup / 100)) / 100;
  switch (rule.rounding) {
    case "none":
      return cents(raw);
    case "whole":
      return cents(Math.round(raw));
    case "99":
    case "95": {
      const ending = rule.rounding === "99" ? 0.99 : 0.95;
      // The nearest price ending in .99 (or .95) at or above the converted price, never below zero.
      const candidate = Math.floor(raw) + ending;
      return cents(candidate + 1e-9 >= raw ? candidate : candidate + 1);
    }
  }
}

export function decidePrices({ primaryCurrency, dependentCurrency, rule }: { primaryCurrency: string; dependentCurrency: string; rule: PriceRule }): PriceDecision {
  if (primaryCurrency === dependentCurrency) {
    if (!hasPriceRule(rule)) return { sync: true, convert: (price) => price, convertCost: (cost) => cost, describe: "copied" };
    return { sync: true, convert: (price) => applyPriceRule(price, rule), convertCost: (cost) => cost, describe: "price rule" };
  }
  if (rule.exchangeRate === null) {
    return {
      sync: false,
      reason: text("entry.currency", { primary: primaryCurrency, dependent: dependentCurrency }),
      fix: text("entry.currency.fix", { primary: primaryCurrency, dependent: dependentCurrency }),
    };
  }
  const rateOnly: PriceRule = { exchangeRate: rule.exchangeRate, markupPercent: null, rounding: "none" };
  return { sync: true, convert: (price) => applyPriceRule(price, rule), convertCost: (cost) => applyPriceRule(cost, rateOnly), describe: `converted ${primaryCurrency} → ${dependentCurrency}` };
}
