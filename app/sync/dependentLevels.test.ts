import { describe, expect, test } from "vitest";
import { compareAndSetBase, dependentLevelReport, type WrittenLevelState } from "./dependentLevels";

const at = (second: number) => Date.UTC(2026, 11, 6, 12, 0, second);
const written = (overrides: Partial<WrittenLevelState> = {}): WrittenLevelState => ({ quantity: 10, current: true, changedAt: at(10), observedAt: null, ...overrides });

describe("a dependent's reported level against what Tandem wrote there", () => {
  test("Tandem's own level coming back is its echo, while no other level was reported since", () => {
    expect(dependentLevelReport(written(), { available: 10, changedAt: at(10) })).toBe("echo");
    expect(dependentLevelReport(written(), { available: 10, changedAt: null })).toBe("echo");
    // Once another level was reported, the same number is a change (a restock back to it).
    expect(dependentLevelReport(written({ current: false, observedAt: at(11) }), { available: 10, changedAt: at(12) })).toBe("change");
  });

  test("a level of an earlier second than the last write or the latest report is stale", () => {
    expect(dependentLevelReport(written(), { available: 7, changedAt: at(9) })).toBe("stale");
    expect(dependentLevelReport(written({ current: false, observedAt: at(15) }), { available: 7, changedAt: at(14) })).toBe("stale");
    // The same second cannot be ordered: it counts.
    expect(dependentLevelReport(written(), { available: 7, changedAt: at(10) })).toBe("drop");
    // Without a time it cannot be ordered either.
    expect(dependentLevelReport(written(), { available: 12, changedAt: null })).toBe("change");
  });

  test("below what Tandem wrote is a drop (most likely a sale on its way); above, a change", () => {
    expect(dependentLevelReport(written(), { available: 9, changedAt: at(11) })).toBe("drop");
    expect(dependentLevelReport(written(), { available: 11, changedAt: at(11) })).toBe("change");
    expect(dependentLevelReport(written(), { available: null, changedAt: at(11) })).toBe("change");
  });

  test("a level Tandem never wrote (a primary's, or an item it has not written yet) is a change", () => {
    expect(dependentLevelReport(null, { available: 3, changedAt: at(1) })).toBe("change");
    expect(dependentLevelReport(null, { available: 0, changedAt: null })).toBe("change");
  });
});

describe("the compare-and-set base of a stock push", () => {
  test("Tandem's write while no webhook contradicted it; else the level reported after it; else none (read)", () => {
    expect(compareAndSetBase({ quantity: 10, current: true, observedQuantity: null })).toBe(10);
    expect(compareAndSetBase({ quantity: 10, current: true, observedQuantity: 4 })).toBe(10);
    expect(compareAndSetBase({ quantity: 10, current: false, observedQuantity: 7 })).toBe(7);
    expect(compareAndSetBase({ quantity: 10, current: false, observedQuantity: 0 })).toBe(0);
    expect(compareAndSetBase({ quantity: 10, current: false, observedQuantity: null })).toBeNull();
  });
});
