import prisma from "../db.server";
import { chunks } from "../sync/chunks";
import type { ProductLink } from "@prisma/client";

export type VariantPair = {
  sku: string;
  primaryVariantId: string;
  primaryInventoryItemId: string;
  dependentVariantId: string;
  dependentInventoryItemId: string;
};

export async function productLinkOf(dependentShop: string, primaryProductId: string): Promise<ProductLink | null> {
  return prisma.productLink.findUnique({ where: { dependentShop_primaryProductId: { dependentShop, primaryProductId } } });
}

/** The links of these primary products to one dependent (those that have one). */
export async function productLinksOf(dependentShop: string, primaryProductIds: string[]): Promise<ProductLink[]> {
  const links: ProductLink[] = [];
  for (const ids of chunks(primaryProductIds, IDS_PER_QUERY)) links.push(...(await prisma.productLink.findMany({ where: { dependentShop, primaryProductId: { in: ids } } })));
  return links;
}

/** How many products of this pair are linked, optionally only those Tandem created. */
export async function linkedProductCount(primaryShop: string, dependentShop: string, { createdByTandem }: { createdByTandem?: boolean } = {}): Promise<number> {
  return prisma.productLink.count({ where: { primaryShop, dependentShop, ...(createdByTandem === undefined ? {} : { createdByTandem }) } });
}

export async function linkedDependentVariantIds(dependentShop: string, primaryProductId: string): Promise<Set<string>> {
  const links = await prisma.variantLink.findMany({ where: { dependentShop, primaryProductId }, select: { dependentVariantId: true } });
  return new Set(links.map((l) => l.dependentVariantId));
}

/**
 * Records that a dependent product mirrors a primary product, with its variant pairs, replacing
 * whatever was linked before for that primary product (one transaction).
 */
export async function saveProductLinks({ primaryShop, dependentShop, primaryProductId, dependentProductId, createdByTandem, primaryStatus, variants, now = new Date() }: {
  primaryShop: string;
  dependentShop: string;
  primaryProductId: string;
  dependentProductId: string;
  createdByTandem: boolean;
  primaryStatus: string;
  variants: VariantPair[];
  now?: Date;
}) {
  await prisma.$transaction([
    // A dependent product can mirror one primary product: drop a stale link that points at it.
    prisma.productLink.deleteMany({ where: { dependentShop, dependentProductId, NOT: { primaryProductId } } }),
    prisma.productLink.upsert({
      where: { dependentShop_primaryProductId: { dependentShop, primaryProductId } },
      create: { primaryShop, dependentShop, primaryProductId, dependentProductId, createdByTandem, lastPrimaryStatus: primaryStatus, lastSyncedAt: now },
      update: { dependentProductId, lastPrimaryStatus: primaryStatus, lastSyncedAt: now },
    }),
    prisma.variantLink.deleteMany({ where: { dependentShop, primaryProductId } }),
    prisma.variantLink.deleteMany({ where: { dependentShop, dependentVariantId: { in: variants.map((v) => v.dependentVariantId) } } }),
    prisma.variantLink.createMany({
      data: variants.map((v) => ({ ...v, primaryShop, dependentShop, primaryProductId, dependentProductId })),
    }),
  ]);
}

export async function removeProductLinks(dependentShop: string, primaryProductId: string) {
  await prisma.$transaction([
    prisma.variantLink.deleteMany({ where: { dependentShop, primaryProductId } }),
    prisma.productLink.deleteMany({ where: { dependentShop, primaryProductId } }),
  ]);
}

/** The dependents linked to any of these primary inventory items (where their stock changes go). */
export async function linksByPrimaryInventoryItems(primaryShop: string, primaryInventoryItemIds: string[]) {
  return prisma.variantLink.findMany({
    where: { primaryShop, primaryInventoryItemId: { in: primaryInventoryItemIds } },
    select: { dependentShop: true, primaryInventoryItemId: true, primaryProductId: true },
  });
}

/** The link of a dependent's inventory item (a dependent mirrors one primary). */
export async function linkByDependentInventoryItem(dependentShop: string, dependentInventoryItemId: string): Promise<{ primaryShop: string; primaryProductId: string; primaryInventoryItemId: string; sku: string } | null> {
  // Plain SQL: asked by every inventory webhook of a dependent (ADR 0017).
  const rows = await prisma.$queryRaw<{ primaryShop: string; primaryProductId: string; primaryInventoryItemId: string; sku: string }[]>`
    SELECT "primaryShop", "primaryProductId", "primaryInventoryItemId", "sku" FROM "VariantLink"
    WHERE "dependentShop" = ${dependentShop} AND "dependentInventoryItemId" = ${dependentInventoryItemId} LIMIT 1`;
  return rows[0] ?? null;
}

/** How many primary products each dependent mirrors (the dashboard's "linked"). */
export async function linkedProductCounts(primaryShop: string): Promise<Record<string, number>> {
  const rows = await prisma.productLink.groupBy({ by: ["dependentShop"], where: { primaryShop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.dependentShop, row._count._all]));
}

/** SQL parameters per lookup: SQLite refuses statements with too many. */
const IDS_PER_QUERY = 500;

/**
 * Links of one primary → dependent pair, optionally only the products Tandem created, a page at a
 * time in primary product order. Never the whole pair at once: 100,000 links read in one query
 * took 200 MiB of the worker's memory (docs/performance.md). Links removed while paging are fine.
 */
export async function* productLinkPages(primaryShop: string, dependentShop: string, { createdByTandem, pageSize = IDS_PER_QUERY }: { createdByTandem?: boolean; pageSize?: number } = {}): AsyncGenerator<ProductLink[]> {
  for (let after: string | null = null; ; ) {
    const page: ProductLink[] = await prisma.productLink.findMany({
      where: { primaryShop, dependentShop, ...(createdByTandem === undefined ? {} : { createdByTandem }), ...(after === null ? {} : { primaryProductId: { gt: after } }) },
      orderBy: { primaryProductId: "asc" },
      take: pageSize,
    });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].primaryProductId;
  }
}

/** Which of these dependent products mirror a primary product (Tandem's copies). */
export async function linkedDependentProducts(dependentShop: string, dependentProductIds: string[]): Promise<Set<string>> {
  const linked = new Set<string>();
  for (const ids of chunks(dependentProductIds, IDS_PER_QUERY)) {
    const rows = await prisma.productLink.findMany({ where: { dependentShop, dependentProductId: { in: ids } }, select: { dependentProductId: true } });
    for (const row of rows) linked.add(row.dependentProductId);
  }
  return linked;
}

/** Forgets a whole pair (a dependent that keeps its products after disconnecting owns them from then on). */
export async function removePairLinks(primaryShop: string, dependentShop: string) {
  await prisma.$transaction([
    prisma.variantLink.deleteMany({ where: { primaryShop, dependentShop } }),
    prisma.productLink.deleteMany({ where: { primaryShop, dependentShop } }),
    prisma.collectionLink.deleteMany({ where: { primaryShop, dependentShop } }),
    // A dependent has one primary: what Tandem wrote there no longer matters.
    prisma.writtenLevel.deleteMany({ where: { dependentShop } }),
  ]);
}

/** Products Tandem created in a dependent (what "delete on disconnect" would remove). */
export async function createdProductCount(dependentShop: string): Promise<number> {
  return prisma.productLink.count({ where: { dependentShop, createdByTandem: true } });
}

/** The primary variant a dependent's SKU mirrors (sales on the dependent move the primary's stock). */
export async function variantLinksBySku(primaryShop: string, dependentShop: string, skus: string[]) {
  const rows = await prisma.variantLink.findMany({ where: { primaryShop, dependentShop, sku: { in: skus } } });
  return new Map(rows.map((row) => [row.sku, row]));
}

/** Every variant linked between a primary and a dependent (what reconciliation compares), or those of some primary items. */
export async function variantLinksOfPair(primaryShop: string, dependentShop: string, { primaryInventoryItemIds }: { primaryInventoryItemIds?: string[] } = {}) {
  return prisma.variantLink.findMany({
    where: { primaryShop, dependentShop, ...(primaryInventoryItemIds ? { primaryInventoryItemId: { in: primaryInventoryItemIds } } : {}) },
    select: { sku: true, primaryProductId: true, primaryInventoryItemId: true, dependentInventoryItemId: true },
    orderBy: { id: "asc" },
  });
}

/**
 * For a page of primary products and some dependents: each linked pair's last sync and how many of
 * its variants are linked, keyed `${primaryProductId}|${dependentShop}`.
 */
export async function linkStatesOf(primaryShop: string, primaryProductIds: string[], dependentShops: string[]) {
  const where = { primaryShop, primaryProductId: { in: primaryProductIds }, dependentShop: { in: dependentShops } };
  const [links, variants] = await Promise.all([
    prisma.productLink.findMany({ where, select: { primaryProductId: true, dependentShop: true, lastSyncedAt: true } }),
    prisma.variantLink.groupBy({ by: ["primaryProductId", "dependentShop"], where, _count: { _all: true } }),
  ]);
  const variantCount = new Map(variants.map((v) => [`${v.primaryProductId}|${v.dependentShop}`, v._count._all]));
  return new Map(links.map((l) => {
    const key = `${l.primaryProductId}|${l.dependentShop}`;
    return [key, { lastSyncedAt: l.lastSyncedAt, variants: variantCount.get(key) ?? 0 }];
  }));
}

/** The link of a dependent's product, looked up from the dependent's side. */
export async function productLinkOfDependentProduct(dependentShop: string, dependentProductId: string): Promise<ProductLink | null> {
  return prisma.productLink.findUnique({ where: { dependentShop_dependentProductId: { dependentShop, dependentProductId } } });
}
