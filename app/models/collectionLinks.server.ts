import prisma from "../db.server";

export async function collectionLinksOf(primaryShop: string, dependentShop: string): Promise<Map<string, string>> {
  const rows = await prisma.collectionLink.findMany({ where: { primaryShop, dependentShop } });
  return new Map(rows.map((row) => [row.primaryCollectionId, row.dependentCollectionId]));
}

export async function saveCollectionLink(primaryShop: string, dependentShop: string, primaryCollectionId: string, dependentCollectionId: string) {
  await prisma.collectionLink.upsert({
    where: { dependentShop_primaryCollectionId: { dependentShop, primaryCollectionId } },
    create: { primaryShop, dependentShop, primaryCollectionId, dependentCollectionId },
    update: { dependentCollectionId },
  });
}

export async function removeCollectionLink(dependentShop: string, primaryCollectionId: string) {
  await prisma.collectionLink.deleteMany({ where: { dependentShop, primaryCollectionId } });
}
