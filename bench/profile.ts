// The simulator profile a benchmark runs under (BENCH_PROFILE, default `realistic`), and the time
// Shopify itself needs for the work a store was asked to do under it: the floor Tandem is held to.
import type { Chaos } from "../sim/control";
import { isSimProfile, SIM_PROFILES } from "../sim/profiles";

export type BenchProfile = { name: string; chaos: Partial<Chaos> };

/**
 * `realistic` (sim/profiles.ts) unless BENCH_PROFILE names another. `instant` keeps the 30 ms + up
 * to 20 ms of latency per request earlier figures ran with, so that the two tables stay comparable.
 * BENCH_BULK_LINES_PER_SECOND overrides the profile's bulk mutation rate (no Shopify figure exists).
 */
export function benchProfile(linesPerSecond?: number): BenchProfile {
  const name = process.env.BENCH_PROFILE ?? "realistic";
  if (!isSimProfile(name)) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(SIM_PROFILES).join(", ")}, got ${name}`);
  const chaos: Partial<Chaos> = name === "instant" ? { latencyMs: 30, latencyJitterMs: 20 } : { ...SIM_PROFILES[name] };
  const rate = linesPerSecond ?? (process.env.BENCH_BULK_LINES_PER_SECOND ? Number(process.env.BENCH_BULK_LINES_PER_SECOND) : undefined);
  if (rate !== undefined) chaos.bulkMutationLineMs = 1000 / rate;
  return { name: rate === undefined ? name : `${name}, ${rate} lines/s`, chaos };
}

/** What a store was asked to do, from the simulator's stats before and after. */
export type StoreWork = { points: number; bulkOperations: number; bulkMutationLines: number };

/**
 * Shopify's time for one store's work under a profile, in ms, in two parts: the points over the
 * store's restore rate (`points`), and the bulk operations (`bulk`): each one's time in Shopify's
 * queue, its mutation lines at the profile's rate, and the two round trips no client avoids
 * (starting it, reading that it finished) at the profile's mean latency. Issue 33 defines the floor
 * as their sum; the bucket refills while a bulk operation runs, so a client could overlap them, and
 * the larger part alone is the strictest floor. Benchmarks print both.
 */
export function shopifyFloorMs(work: StoreWork, restoreRate: number, chaos: Partial<Chaos>): { points: number; bulk: number; sum: number; strict: number } {
  const meanQueryMs = (chaos.latencyMs ?? 0) + (chaos.latencyJitterMs ?? 0) / 2 + (chaos.latencyTailRate ?? 0) * (chaos.latencyTailMs ?? 0);
  const meanMutationMs = meanQueryMs + (chaos.mutationLatencyMs ?? 0);
  const points = (work.points / restoreRate) * 1000;
  const bulk = work.bulkOperations * ((chaos.bulkQueueMs ?? 0) + meanMutationMs + meanQueryMs) + work.bulkMutationLines * (chaos.bulkMutationLineMs ?? 0);
  return { points, bulk, sum: points + bulk, strict: Math.max(points, bulk) };
}
