/**
 * The primary's inventory levels as Tandem last learned them, so that a stock push does not read
 * them again (ADR 0014). Three sources tell a level: a read of the store, the result of an
 * adjustment Tandem made, and an inventory_levels/update webhook. Shopify stamps a level's change
 * with whole seconds only, so observations of one second cannot always be ordered: then the level
 * is in conflict and the next push reads it. Pure.
 */

/** Observations sent within this margin of a level's recording are not known to be later (clocks of other processes). */
export const CLOCK_MARGIN_MS = 50;
/** Echoes kept per level: Tandem's adjustments within one second whose webhooks have not come yet. */
const MAX_ECHOES = 50;

export type KnownLevel = {
  available: number;
  /** Shopify's time of the level's last change, whole seconds (ms since the epoch, a multiple of 1,000). */
  changedAt: number;
  /** When Tandem recorded the observation it holds (this process's clock, ms). */
  recordedAt: number;
  /** Two observations of the same second disagree and neither is known to be later. */
  conflict: boolean;
  /** Levels Tandem's own adjustments produced in that second whose webhooks have not arrived. */
  echoes: number[];
};

export type LevelObservation =
  /** A webhook: the level at some moment of `changedAt`'s second. */
  | { source: "webhook"; available: number; changedAt: number }
  /**
   * A read sent at `sentAt` (this process's clock): the level then, whatever came before.
   * `afterRecorded`: the level known was loaded before the read was sent and is still the one
   * stored, so the read is later than it whatever the clocks say.
   */
  | { source: "read"; available: number; changedAt: number; sentAt: number; afterRecorded?: boolean }
  /** Tandem's own adjustment of `delta`: its result, whose webhook will follow. */
  | { source: "adjustment"; available: number; delta: number; changedAt: number };

/**
 * What an observation told: `newer` or `conflict` (the level changed, or may have), `same` (what
 * Tandem knew), `older` (a later level is known already), `echo` (the webhook of Tandem's own
 * adjustment, known already).
 */
export type ObservationOutcome = "newer" | "same" | "older" | "echo" | "conflict";

/** Shopify's time stamps are whole seconds; anything finer (the simulator's) is dropped so both behave alike. */
export function wholeSecond(isoTime: string): number | null {
  const ms = Date.parse(isoTime);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) * 1000 : null;
}

export function mergeLevelObservation(known: KnownLevel | null, observation: LevelObservation, now: number): { level: KnownLevel; outcome: ObservationOutcome } {
  const fresh = (echoes: number[]): KnownLevel => ({ available: observation.available, changedAt: observation.changedAt, recordedAt: now, conflict: false, echoes });
  const ownEchoes = observation.source === "adjustment" ? [observation.available] : [];
  if (!known) return { level: fresh(ownEchoes), outcome: "newer" };
  // A read sent after everything known was recorded saw all of it happen: it is the level now.
  if (observation.source === "read" && (observation.afterRecorded || observation.sentAt - CLOCK_MARGIN_MS > known.recordedAt)) {
    if (!known.conflict && known.available === observation.available && known.changedAt === observation.changedAt) return { level: known, outcome: "same" };
    const echoes = observation.changedAt === known.changedAt ? known.echoes : [];
    const outcome = known.conflict || known.available !== observation.available ? "newer" : "same";
    return { level: fresh(echoes), outcome };
  }
  if (observation.changedAt > known.changedAt) return { level: fresh(ownEchoes), outcome: "newer" };
  if (observation.changedAt < known.changedAt) return { level: known, outcome: "older" };
  // The same second.
  if (observation.source === "webhook") {
    const echo = known.echoes.indexOf(observation.available);
    // Each adjustment explains one webhook: a second webhook of the same level is someone else's change.
    if (echo >= 0) return { level: { ...known, echoes: known.echoes.filter((_, index) => index !== echo) }, outcome: "echo" };
    if (observation.available === known.available) return { level: known, outcome: "same" };
    return { level: { ...known, available: observation.available, recordedAt: now, conflict: true }, outcome: "conflict" };
  }
  if (observation.source === "adjustment") {
    const echoes = [...known.echoes, observation.available].slice(-MAX_ECHOES);
    // The adjustment started from the level known: nothing came in between, so its result is the level now.
    const follows = observation.available - observation.delta === known.available || observation.available === known.available;
    if (follows && !known.conflict) return { level: { ...known, available: observation.available, recordedAt: now, echoes }, outcome: "newer" };
    return { level: { ...known, available: observation.available, recordedAt: now, conflict: true, echoes }, outcome: "conflict" };
  }
  // A read sent while something of the same second was being recorded.
  if (observation.available === known.available) return { level: known, outcome: "same" };
  return { level: { ...known, available: observation.available, recordedAt: now, conflict: true }, outcome: "conflict" };
}
