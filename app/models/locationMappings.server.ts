import prisma, { query, sql } from "../db.server";

export async function locationMappingOf(dependentShop: string): Promise<Record<string, string>> {
  // Plain SQL: every sync and stock job of a dependent reads it (ADR 0017).
  const rows = await query<{ primaryLocationId: string; dependentLocationId: string }>(sql`
    SELECT "primaryLocationId", "dependentLocationId" FROM "LocationMapping" WHERE "dependentShop" = ${dependentShop}`);
  return Object.fromEntries(rows.map((row) => [row.primaryLocationId, row.dependentLocationId]));
}

/** Replaces a dependent's whole mapping (primary location id → dependent location id). */
export async function saveLocationMapping(dependentShop: string, mapping: Record<string, string>) {
  await prisma.$transaction([
    prisma.locationMapping.deleteMany({ where: { dependentShop } }),
    prisma.locationMapping.createMany({
      data: Object.entries(mapping).map(([primaryLocationId, dependentLocationId]) => ({ dependentShop, primaryLocationId, dependentLocationId })),
    }),
  ]);
}
