/**
 * Where the primary's stock lands in a dependent, and how much of it (seeds 003 and 004): each
 * primary location maps to one dependent location; unmapped ones go to the dependent's default
 * location; several primary locations mapped to one dependent location add up. The dependent then
 * gets its allocation (a share of that stock, rounded down) minus its buffer, never below 0. Pure.
 */
export type LocationPlan = {
  mapping: Record<string, string>;
  defaultLocationId: string;
  /** Units of each item held back from the dependent at each of its locations. */
  buffer: number;
  /** The dependent's share of the primary's stock, 1–100. */
  allocationPercent: number;
};

export function dependentQuantities(primaryAvailable: Record<string, number>, plan: LocationPlan): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [primaryLocation, quantity] of Object.entries(primaryAvailable)) {
    const target = plan.mapping[primaryLocation] ?? plan.defaultLocationId;
    totals[target] = (totals[target] ?? 0) + quantity;
  }
  if (plan.buffer === 0 && plan.allocationPercent === 100) return totals;
  // A guard never hands out stock the primary does not have: oversold (negative) counts as 0.
  for (const [location, quantity] of Object.entries(totals)) {
    totals[location] = Math.max(0, Math.floor((Math.max(0, quantity) * plan.allocationPercent) / 100) - plan.buffer);
  }
  return totals;
}
