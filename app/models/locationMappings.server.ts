import prisma from "../db.server";

export async function locationMappingOf(dependentShop: string): Promise<Record<string, string>> {
  const rows = await prisma.locationMapping.findMany({ where: { dependentShop } });
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
