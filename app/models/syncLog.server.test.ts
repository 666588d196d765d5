import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

useTestAppEnv();
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
