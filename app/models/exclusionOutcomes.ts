/** What becomes of a product's copies when it leaves the sync: kept as they are, archived or deleted. */
export const EXCLUSION_OUTCOMES = ["keep", "archive", "delete"] as const;
export type ExclusionOutcome = (typeof EXCLUSION_OUTCOMES)[number];
