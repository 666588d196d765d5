import type { Chaos } from "./control";

/**
 * Named settings of the simulator's clock (sim/README.md, "Profiles", gives each knob its source or
 * its stated assumption). `instant` answers at CPU speed, for tests whose subject is not time;
 * `realistic` is the default of `npm run sandbox`.
 */
export const SIM_PROFILES = {
  instant: {},
  realistic: {
    // Admin API answers: 100–200 ms, 1% a second and a half slower; writes 100 ms more.
    latencyMs: 100, latencyJitterMs: 100, latencyTailRate: 0.01, latencyTailMs: 1500, mutationLatencyMs: 100,
    // Webhooks: 1–3 s after the event, 1% a minute later; 1 in 500 delivered twice.
    delayMs: 1000, reorderWindowMs: 2000, webhookTailRate: 0.01, webhookTailMs: 60_000, duplicateRate: 0.002,
    // Bulk operations: 2 s in Shopify's queue, then 100 mutation lines a second.
    bulkQueueMs: 2000, bulkMutationLineMs: 10,
    // Search: a new product or order is found by query: 3 s after its creation.
    searchIndexLagMs: 3000,
  },
} satisfies Record<string, Partial<Chaos>>;

export type SimProfileName = keyof typeof SIM_PROFILES;

export function isSimProfile(name: string): name is SimProfileName {
  return Object.hasOwn(SIM_PROFILES, name);
}
