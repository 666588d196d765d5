/**
 * Where the primary's stock lands in a dependent (seed 004): each primary location maps to one
 * dependent location; unmapped ones go to the dependent's default location; several primary
 * locations mapped to one dependent location add up. Pure.
 */
export type LocationPlan = { mapping: Record<string, string>; defaultLocationId: string };

export function dependentQuantities(primaryAvailable: Record<string, number>, plan: LocationPlan): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [primaryLocation, quantity] of Object.entries(primaryAvailable)) {
    const target = plan.mapping[primaryLocation] ?? plan.defaultLocationId;
    totals[target] = (totals[target] ?? 0) + quantity;
  }
  return totals;
}
