/**
 * A dependent's inventory level as an inventory_levels/update webhook reports it, judged against
 * what Tandem knows of that level (docs/stock.md, "Manual edits"):
 * - `echo`: the level Tandem wrote there, while no other level was reported since: its own write
 *   coming back (thousands of them in a rush or a Sync all), which must start nothing;
 * - `stale`: a level of an earlier second than Tandem's last write or the latest level reported
 *   there: a late echo of an earlier write (its compare-and-set base held, or Shopify would have
 *   refused the write), or older than what is known;
 * - `drop` / `change`: the dependent holds something else than Tandem wrote. A drop below Tandem's
 *   level is most likely a sale whose order webhook is still on its way (it waits for it longer).
 * A primary's levels are never written by Tandem (`written` is null): they are always a change.
 */
export type DependentLevelReport = "echo" | "stale" | "drop" | "change";

export type WrittenLevelState = {
  quantity: number;
  /** No other level reported since Tandem wrote this one. */
  current: boolean;
  /** Shopify's time of Tandem's last write there, and of the latest level reported there (ms). */
  changedAt: number | null;
  observedAt: number | null;
};

export function dependentLevelReport(written: WrittenLevelState | null, report: { available: number | null; changedAt: number | null }): DependentLevelReport {
  if (written !== null && written.current && written.quantity === report.available) return "echo";
  const latestKnown = Math.max(written?.changedAt ?? 0, written?.observedAt ?? 0);
  if (report.changedAt !== null && report.changedAt < latestKnown) return "stale";
  return written !== null && report.available !== null && report.available < written.quantity ? "drop" : "change";
}

/**
 * What a stock push takes a dependent's level to be (its base): the level Tandem wrote there while
 * no webhook has contradicted it, else the level the latest webhook reported when it could be
 * ordered after the write (`observedQuantity`), else nothing: the push writes without a base. A
 * base that is wrong is overwritten all the same, and the write's answer shows it (ADR 0035).
 */
export function compareAndSetBase(level: { quantity: number; current: boolean; observedQuantity: number | null }): number | null {
  if (level.current) return level.quantity;
  return level.observedQuantity;
}
