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

/** A sale this dependent made that the primary has not taken yet (null location: its default one). */
export type HeldSale = { locationId: string | null; quantity: number };

/**
 * held: the dependent's own sales not yet taken from the primary. Its shelves already lost those
 * units, so writing the primary's level as it stands would hand them out a second time.
 */
export function dependentQuantities(primaryAvailable: Record<string, number>, plan: LocationPlan, held: readonly HeldSale[] = []): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [primaryLocation, quantity] of Object.entries(primaryAvailable)) {
    const target = plan.mapping[primaryLocation] ?? plan.defaultLocationId;
    totals[target] = (totals[target] ?? 0) + quantity;
  }
  for (const sale of held) {
    const location = sale.locationId ?? plan.defaultLocationId;
    if (location in totals) totals[location] -= sale.quantity;
  }
  if (plan.buffer === 0 && plan.allocationPercent === 100) return totals;
  // A guard never hands out stock the primary does not have: oversold (negative) counts as 0.
  for (const [location, quantity] of Object.entries(totals)) {
    totals[location] = Math.max(0, Math.floor((Math.max(0, quantity) * plan.allocationPercent) / 100) - plan.buffer);
  }
  return totals;
}
