import { Prisma } from "@prisma/client";
import { expect, test } from "vitest";
import { SHOP_DATA_EXEMPT, SHOP_OWNED_TABLES } from "./shopTables";

/** Columns that name a store in Tandem's schema. */
const SHOP_COLUMNS = new Set(["shop", "primaryShop", "dependentShop", "lane"]);

test("every table is erased by shop/redact through each column naming a shop, or is exempt with a reason", () => {
  const listed = SHOP_OWNED_TABLES as Record<string, readonly string[]>;
  for (const model of Prisma.dmmf.datamodel.models) {
    const naming = model.fields.filter((field) => SHOP_COLUMNS.has(field.name)).map((field) => field.name).sort();
    if (naming.length === 0) {
      expect(SHOP_DATA_EXEMPT[model.name as Prisma.ModelName], `${model.name} names no shop: exempt it, with the reason`).toMatch(/\w{20,}/);
      continue;
    }
    expect([...(listed[model.name] ?? [])].sort(), `${model.name}: erase it by every column naming a shop`).toEqual(naming);
  }
  // Nothing listed that the schema lacks.
  const models = new Set(Prisma.dmmf.datamodel.models.map((model) => model.name));
  expect([...Object.keys(listed), ...Object.keys(SHOP_DATA_EXEMPT)].filter((name) => !models.has(name))).toEqual([]);
});
