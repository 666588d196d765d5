import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { csvCell } = await import("./syncLog.server");

test("CSV cells are quoted when needed and never start a spreadsheet formula", () => {
  expect(csvCell("Linen Tee")).toBe("Linen Tee");
  expect(csvCell(null)).toBe("");
  expect(csvCell('Mug, "large"')).toBe('"Mug, ""large"""');
  expect(csvCell("two\nlines")).toBe('"two\nlines"');
  expect(csvCell("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
  expect(csvCell("+1")).toBe("'+1");
  expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
});

test("activity counts each day's changes, skips and errors of the asking store's network only", async () => {
  const { default: prisma } = await import("../db.server");
  const { syncActivityOf } = await import("./syncLog.server");
  const now = new Date("2026-12-01T15:00:00Z");
  const entry = (dependentShop: string, action: string, createdAt: string) => ({ primaryShop: "act-primary.myshopify.com", dependentShop, action, message: action, createdAt: new Date(createdAt) });
  await prisma.syncLog.createMany({
    data: [
      entry("act-a.myshopify.com", "created", "2026-12-01T01:00:00Z"),
      entry("act-a.myshopify.com", "stock", "2026-12-01T14:59:00Z"),
      entry("act-b.myshopify.com", "error", "2026-12-01T09:00:00Z"),
      entry("act-a.myshopify.com", "skipped", "2026-11-30T23:59:59Z"),
      // Outside the window, and another network.
      entry("act-a.myshopify.com", "created", "2026-11-17T12:00:00Z"),
      { ...entry("other-dep.myshopify.com", "created", "2026-12-01T02:00:00Z"), primaryShop: "other-primary.myshopify.com" },
    ],
  });
  const primary = await syncActivityOf("act-primary.myshopify.com", { days: 14, now });
  expect(primary).toHaveLength(14);
  expect(primary[0].day).toBe("2026-11-18");
  expect(primary.at(-1)).toEqual({ day: "2026-12-01", changes: 2, skipped: 0, errors: 1 });
  expect(primary.at(-2)).toEqual({ day: "2026-11-30", changes: 0, skipped: 1, errors: 0 });
  expect(primary.slice(0, -2).every((d) => d.changes + d.skipped + d.errors === 0)).toBe(true);
  // A dependent sees only its own entries.
  expect((await syncActivityOf("act-b.myshopify.com", { days: 1, now }))[0]).toEqual({ day: "2026-12-01", changes: 0, skipped: 0, errors: 1 });
});
