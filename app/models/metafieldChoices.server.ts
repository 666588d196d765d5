import prisma from "../db.server";

/** A product metafield definition the primary chose to send to its dependents, as it is on the primary. */
export type MetafieldChoice = { namespace: string; key: string; name: string; type: string };

/** The primary's chosen definitions, by namespace then key. */
export async function metafieldChoicesOf(primaryShop: string): Promise<MetafieldChoice[]> {
  return prisma.metafieldChoice.findMany({
    where: { primaryShop }, select: { namespace: true, key: true, name: true, type: true }, orderBy: [{ namespace: "asc" }, { key: "asc" }],
  });
}

/** Replaces the primary's chosen definitions with these, in one transaction. */
export async function replaceMetafieldChoices(primaryShop: string, choices: MetafieldChoice[]) {
  await prisma.$transaction([
    prisma.metafieldChoice.deleteMany({ where: { primaryShop } }),
    prisma.metafieldChoice.createMany({ data: choices.map((choice) => ({ primaryShop, ...choice })) }),
  ]);
}
