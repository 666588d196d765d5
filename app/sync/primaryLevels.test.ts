import { describe, expect, test } from "vitest";
import { CLOCK_MARGIN_MS, type KnownLevel, type LevelObservation, mergeLevelObservation, wholeSecond } from "./primaryLevels";

const second = (n: number) => n * 1000;

/** Applies observations in order (each recorded 10 ms after the last) and returns every outcome and the level. */
function observe(observations: LevelObservation[], start: KnownLevel | null = null) {
  let level = start;
  const outcomes: string[] = [];
  observations.forEach((observation, index) => {
    const merged = mergeLevelObservation(level, observation, 1_000_000 + index * 10);
    level = merged.level;
    outcomes.push(merged.outcome);
  });
  return { outcomes, level: level! };
}

const webhook = (available: number, at: number): LevelObservation => ({ source: "webhook", available, changedAt: second(at) });
const adjustment = (available: number, delta: number, at: number): LevelObservation => ({ source: "adjustment", available, delta, changedAt: second(at) });

describe("the primary's levels as Tandem learns them", () => {
  test("a later second replaces the level; an earlier one is older and changes nothing", () => {
    const { outcomes, level } = observe([webhook(10, 100), webhook(8, 102), webhook(9, 101)]);
    expect(outcomes).toEqual(["newer", "newer", "older"]);
    expect(level).toMatchObject({ available: 8, changedAt: second(102), conflict: false });
  });

  test("two different levels in one second cannot be ordered: conflict, until a read sent after both settles it", () => {
    const conflicting = observe([webhook(10, 100), webhook(7, 100)]);
    expect(conflicting.outcomes).toEqual(["newer", "conflict"]);
    expect(conflicting.level.conflict).toBe(true);
    const read = mergeLevelObservation(conflicting.level, { source: "read", available: 7, changedAt: second(100), sentAt: conflicting.level.recordedAt + CLOCK_MARGIN_MS + 1 }, 2_000_000);
    expect(read.outcome).toBe("newer");
    expect(read.level).toMatchObject({ available: 7, conflict: false });
  });

  test("a read sent while an observation of the same second was being recorded settles nothing", () => {
    const known = observe([webhook(10, 100)]).level;
    const concurrent = mergeLevelObservation(known, { source: "read", available: 9, changedAt: second(100), sentAt: known.recordedAt }, known.recordedAt + 5);
    expect(concurrent.outcome).toBe("conflict");
    expect(concurrent.level.conflict).toBe(true);
    // Unless the level known was loaded before the read was sent and is still the one stored.
    const after = mergeLevelObservation(concurrent.level, { source: "read", available: 9, changedAt: second(100), sentAt: concurrent.level.recordedAt, afterRecorded: true }, concurrent.level.recordedAt + 5);
    expect(after.outcome).toBe("newer");
    expect(after.level).toMatchObject({ available: 9, conflict: false });
  });

  test("the webhooks of Tandem's own adjustments are echoes, one per adjustment, in any order", () => {
    const { outcomes, level } = observe([webhook(10, 99), adjustment(9, -1, 100), adjustment(8, -1, 100), webhook(9, 100), webhook(8, 100)]);
    expect(outcomes).toEqual(["newer", "newer", "newer", "echo", "echo"]);
    expect(level).toMatchObject({ available: 8, conflict: false, echoes: [] });
  });

  test("a change of the same second that is not Tandem's own is a conflict, even when it repeats a level Tandem made", () => {
    // Tandem took 10 → 9 → 8; someone else put one back (9) within the same second.
    const { outcomes, level } = observe([webhook(10, 99), adjustment(9, -1, 100), adjustment(8, -1, 100), webhook(9, 100), webhook(8, 100), webhook(9, 100)]);
    expect(outcomes.at(-1)).toBe("conflict");
    expect(level.conflict).toBe(true);
  });

  test("an adjustment that did not start from the known level means a change came in between", () => {
    const { outcomes, level } = observe([webhook(10, 100), adjustment(11, -1, 100)]);
    expect(outcomes).toEqual(["newer", "conflict"]);
    expect(level).toMatchObject({ available: 11, conflict: true, echoes: [11] });
  });

  test("a webhook of an earlier second than the adjustment that followed it is older: the adjustment's result counts it", () => {
    const { outcomes, level } = observe([webhook(10, 99), adjustment(8, -1, 101), webhook(9, 100), webhook(8, 101)]);
    expect(outcomes).toEqual(["newer", "newer", "older", "echo"]);
    expect(level).toMatchObject({ available: 8, conflict: false });
  });

  test("time stamps are taken in whole seconds, as Shopify gives them", () => {
    expect(wholeSecond("2026-12-01T10:00:00.999Z")).toBe(Date.parse("2026-12-01T10:00:00Z"));
    expect(wholeSecond("2021-12-31T19:00:00-05:00")).toBe(Date.parse("2022-01-01T00:00:00Z"));
    expect(wholeSecond("not a time")).toBeNull();
  });
});
