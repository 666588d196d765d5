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

describe("reads sent after everything known", () => {
  const after = (known: KnownLevel) => known.recordedAt + CLOCK_MARGIN_MS + 1;

  test("the same level and time as known changes nothing; a new level is newer; the same level settles a conflict", () => {
    const known = observe([webhook(10, 100)]).level;
    const same = mergeLevelObservation(known, { source: "read", available: 10, changedAt: second(100), sentAt: after(known) }, 2_000_000);
    expect(same).toEqual({ level: known, outcome: "same" });
    const moved = mergeLevelObservation(known, { source: "read", available: 6, changedAt: second(100), sentAt: after(known) }, 2_000_000);
    expect(moved).toEqual({ outcome: "newer", level: { available: 6, changedAt: second(100), recordedAt: 2_000_000, conflict: false, echoes: [] } });
    // A read of the same level at a later time is the level now, nothing new.
    const later = mergeLevelObservation(known, { source: "read", available: 10, changedAt: second(105), sentAt: after(known) }, 2_000_000);
    expect(later).toEqual({ outcome: "same", level: { available: 10, changedAt: second(105), recordedAt: 2_000_000, conflict: false, echoes: [] } });
    const conflicting = observe([webhook(10, 100), webhook(7, 100)]).level;
    const settled = mergeLevelObservation(conflicting, { source: "read", available: 7, changedAt: second(100), sentAt: after(conflicting) }, 2_000_000);
    expect(settled.outcome).toBe("newer");
  });

  test("a read marked as sent after the last record counts whatever the clocks say; one within the clock margin does not", () => {
    const known = observe([webhook(10, 100)]).level;
    const marked = mergeLevelObservation(known, { source: "read", available: 4, changedAt: second(100), sentAt: 0, afterRecorded: true }, 2_000_000);
    expect(marked.outcome).toBe("newer");
    const withinMargin = mergeLevelObservation(known, { source: "read", available: 4, changedAt: second(100), sentAt: known.recordedAt + CLOCK_MARGIN_MS }, 2_000_000);
    expect(withinMargin.outcome).toBe("conflict");
  });

  test("a read keeps the echoes Tandem waits for when it reads the same second, drops them for a later one", () => {
    const adjusted = observe([webhook(10, 100), adjustment(8, -2, 100)]).level;
    expect(adjusted.echoes).toEqual([8]);
    const sameSecond = mergeLevelObservation(adjusted, { source: "read", available: 5, changedAt: second(100), sentAt: after(adjusted) }, 2_000_000);
    expect(sameSecond.level.echoes).toEqual([8]);
    const laterSecond = mergeLevelObservation(adjusted, { source: "read", available: 5, changedAt: second(101), sentAt: after(adjusted) }, 2_000_000);
    expect(laterSecond.level.echoes).toEqual([]);
  });

  test("an adjustment that left the level as it was still follows it; the echoes kept are the last 50", () => {
    const unchanged = observe([webhook(10, 100), adjustment(10, 0, 100)]);
    expect(unchanged.outcomes).toEqual(["newer", "newer"]);
    // Its result is the level known: whatever came in between, it ends where Tandem thinks it is.
    expect(observe([webhook(10, 100), adjustment(10, -2, 100)]).outcomes).toEqual(["newer", "newer"]);
    const many = observe([webhook(0, 100), ...Array.from({ length: 60 }, (_, i) => adjustment(i + 1, 1, 100))]);
    expect(many.level.echoes).toHaveLength(50);
    expect(many.level.echoes[49]).toBe(60);
    expect(many.level.echoes[0]).toBe(11);
    const fromNothing = observe([adjustment(3, 1, 100)]);
    expect(fromNothing.level.echoes).toEqual([3]);
  });
});
