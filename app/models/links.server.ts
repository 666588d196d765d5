import { randomUUID } from "node:crypto";
import prisma, { join, query, sql, transaction } from "../db.server";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import type { Prisma, ProductLink, VariantLink } from "@prisma/client";

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
  // Plain SQL: each batch of a Sync all reports its progress with it.
  const onlyCreated = createdByTandem === undefined ? sql`` : sql` AND "createdByTandem" = ${createdByTandem}`;
  const [row] = await query<{ count: bigint | number }>(sql`SELECT COUNT(*) AS "count" FROM "ProductLink" WHERE "primaryShop" = ${primaryShop} AND "dependentShop" = ${dependentShop}${onlyCreated}`);
  return Number(row.count);
}

/** The dependent variants linked to each of these primary products (an empty set for one with none). */
export async function linkedDependentVariantIds(dependentShop: string, primaryProductIds: string[]): Promise<Map<string, Set<string>>> {
  const byProduct = new Map(primaryProductIds.map((id) => [id, new Set<string>()]));
  for (const ids of chunks(primaryProductIds, IDS_PER_QUERY)) {
    const links = await prisma.variantLink.findMany({ where: { dependentShop, primaryProductId: { in: ids } }, select: { primaryProductId: true, dependentVariantId: true } });
    for (const link of links) byProduct.get(link.primaryProductId)!.add(link.dependentVariantId);
  }
  return byProduct;
}

export type ProductLinkInput = {
  primaryShop: string;
  dependentShop: string;
  primaryProductId: string;
  dependentProductId: string;
  createdByTandem: boolean;
  primaryStatus: string;
  /** The fingerprint of the primary's images the dependent's copies come from (ProductPlan.primaryImages). */
  primaryImages: string | null;
  /** The primary product's title, which the sync log shows beside entries of its stock and orders. */
  primaryTitle?: string | null;
  variants: VariantPair[];
};

/**
 * Records that dependent products mirror primary products, with their variant pairs, replacing
 * whatever was linked before for those primary products: one transaction for the lot, a few
 * statements whatever their number (a Sync all links up to 250 products a batch: ADR 0018). Links of
 * one dependent; a dependent product is linked to one primary product at most, the last given.
 */
export async function saveProductLinks(links: ProductLinkInput[], now = new Date()) {
  if (links.length === 0) return;
  const dependentShop = links[0].dependentShop;
  if (links.some((link) => link.dependentShop !== dependentShop)) throw new Error("saveProductLinks: links of one dependent at a time");
  // Two primary products claiming one dependent product (the later wins), or one product twice:
  // one after another, as one statement cannot write a row twice.
  if (new Set(links.map((link) => link.dependentProductId)).size < links.length || new Set(links.map((link) => link.primaryProductId)).size < links.length) {
    for (const link of links) await saveProductLinks([link], now);
    return;
  }
  const primaryProductIds = links.map((link) => link.primaryProductId);
  const variants = links.flatMap((link) => link.variants.map((v) => ({ ...v, primaryShop: link.primaryShop, dependentShop, primaryProductId: link.primaryProductId, dependentProductId: link.dependentProductId, createdAt: now, updatedAt: now })));
  // Plain SQL in one transaction (ADR 0019): a Sync all links up to 250 products, 750 variants a batch.
  await transaction([
    // A dependent product mirrors one primary product: drop stale links that point at these.
    ...chunks(links, LINKS_PER_STATEMENT).map((group) => sql`
      DELETE FROM "ProductLink" WHERE "dependentShop" = ${dependentShop} AND "dependentProductId" IN (${join(group.map((link) => link.dependentProductId))})
        AND NOT (${join(group.map((link) => sql`("primaryProductId" = ${link.primaryProductId} AND "dependentProductId" = ${link.dependentProductId})`), " OR ")})`),
    // Prisma has no upsert of many rows. createdByTandem describes the dependent product: a link
    // to the same one keeps it, a link to another takes the new value.
    ...chunks(links, LINKS_PER_STATEMENT).map((group) => sql`
      INSERT INTO "ProductLink" ("id", "primaryShop", "dependentShop", "primaryProductId", "dependentProductId", "createdByTandem", "lastPrimaryStatus", "lastPrimaryImages", "lastPrimaryTitle", "lastSyncedAt", "createdAt", "updatedAt")
      VALUES ${join(group.map((link) => sql`(${randomUUID()}, ${link.primaryShop}, ${dependentShop}, ${link.primaryProductId}, ${link.dependentProductId}, ${link.createdByTandem}, ${link.primaryStatus}, ${link.primaryImages}, ${link.primaryTitle ?? null}, ${now}, ${now}, ${now})`))}
      ON CONFLICT ("dependentShop", "primaryProductId") DO UPDATE SET
        "createdByTandem" = CASE WHEN "ProductLink"."dependentProductId" = excluded."dependentProductId" THEN "ProductLink"."createdByTandem" ELSE excluded."createdByTandem" END,
        "dependentProductId" = excluded."dependentProductId", "lastPrimaryStatus" = excluded."lastPrimaryStatus", "lastPrimaryImages" = excluded."lastPrimaryImages", "lastPrimaryTitle" = excluded."lastPrimaryTitle", "lastSyncedAt" = excluded."lastSyncedAt", "updatedAt" = excluded."updatedAt"`),
    ...chunks(primaryProductIds, IDS_PER_QUERY).map((ids) => sql`DELETE FROM "VariantLink" WHERE "dependentShop" = ${dependentShop} AND "primaryProductId" IN (${join(ids)})`),
    ...chunks(variants.map((v) => v.dependentVariantId), IDS_PER_QUERY).map((ids) => sql`DELETE FROM "VariantLink" WHERE "dependentShop" = ${dependentShop} AND "dependentVariantId" IN (${join(ids)})`),
    ...chunks(variants, LINKS_PER_STATEMENT).map((group) => sql`
      INSERT INTO "VariantLink" ("id", "primaryShop", "dependentShop", "sku", "primaryProductId", "primaryVariantId", "primaryInventoryItemId", "dependentProductId", "dependentVariantId", "dependentInventoryItemId", "createdAt", "updatedAt")
      VALUES ${join(group.map((v) => sql`(${randomUUID()}, ${v.primaryShop}, ${v.dependentShop}, ${v.sku}, ${v.primaryProductId}, ${v.primaryVariantId}, ${v.primaryInventoryItemId}, ${v.dependentProductId}, ${v.dependentVariantId}, ${v.dependentInventoryItemId}, ${v.createdAt}, ${v.updatedAt})`))}`),
  ]);
}

/** Rows per statement that writes links: 50 rows of up to 12 columns stay under SQLite's 999 parameters. */
const LINKS_PER_STATEMENT = 50;

/** Forgets a product's links; `together`: statements that commit with it or not at all (its log entry). */
export async function removeProductLinks(dependentShop: string, primaryProductId: string, together: Prisma.PrismaPromise<unknown>[] = []) {
  await prisma.$transaction([
    prisma.variantLink.deleteMany({ where: { dependentShop, primaryProductId } }),
    prisma.productLink.deleteMany({ where: { dependentShop, primaryProductId } }),
    ...together,
  ]);
}

/** The dependents linked to any of these primary inventory items (where their stock changes go). */
export async function linksByPrimaryInventoryItems(primaryShop: string, primaryInventoryItemIds: string[]) {
  // Plain SQL: every stock change of a primary asks it (ADR 0017).
  const links: { dependentShop: string; primaryInventoryItemId: string; primaryProductId: string }[] = [];
  for (const ids of chunks(primaryInventoryItemIds, IDS_PER_QUERY)) {
    links.push(...(await query<(typeof links)[number]>(sql`
      SELECT "dependentShop", "primaryInventoryItemId", "primaryProductId" FROM "VariantLink" WHERE "primaryShop" = ${primaryShop} AND "primaryInventoryItemId" IN (${join(ids)})`)));
  }
  return links;
}

/** Every primary inventory item some dependent of this primary links (strict mode's pools). */
export async function linkedPrimaryInventoryItems(primaryShop: string): Promise<string[]> {
  const rows = await prisma.variantLink.findMany({ where: { primaryShop }, select: { primaryInventoryItemId: true }, distinct: ["primaryInventoryItemId"] });
  return rows.map((row) => row.primaryInventoryItemId);
}

/** The link of a dependent's inventory item (a dependent mirrors one primary). */
export async function linkByDependentInventoryItem(dependentShop: string, dependentInventoryItemId: string): Promise<{ primaryShop: string; primaryProductId: string; primaryInventoryItemId: string; sku: string } | null> {
  // Plain SQL: asked by every inventory webhook of a dependent (ADR 0017).
  const rows = await query<{ primaryShop: string; primaryProductId: string; primaryInventoryItemId: string; sku: string }>(sql`
    SELECT "primaryShop", "primaryProductId", "primaryInventoryItemId", "sku" FROM "VariantLink"
    WHERE "dependentShop" = ${dependentShop} AND "dependentInventoryItemId" = ${dependentInventoryItemId} LIMIT 1`);
  return rows[0] ?? null;
}

/** How many primary products each dependent mirrors (the dashboard's "linked"). */
export async function linkedProductCounts(primaryShop: string): Promise<Record<string, number>> {
  const rows = await prisma.productLink.groupBy({ by: ["dependentShop"], where: { primaryShop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.dependentShop, row._count._all]));
}


/**
 * Links of one primary → dependent pair, optionally only the products Tandem created, a page at a
 * time in primary product order. Never the whole pair at once: 100,000 links read in one query
 * took 200 MiB of the worker's memory (commit 4b2d4f7). Links removed while paging are fine.
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
  // Plain SQL: every sale on a dependent asks it (ADR 0017).
  const rows: VariantLink[] = [];
  for (const group of chunks(skus, IDS_PER_QUERY)) {
    rows.push(...(await query<VariantLink>(sql`
      SELECT * FROM "VariantLink" WHERE "primaryShop" = ${primaryShop} AND "dependentShop" = ${dependentShop} AND "sku" IN (${join(group)})`)));
  }
  return new Map(rows.map((row) => [row.sku, row]));
}

/** Every variant linked between a primary and a dependent (what reconciliation compares), or those of some primary items. */
export async function variantLinksOfPair(primaryShop: string, dependentShop: string, { primaryInventoryItemIds }: { primaryInventoryItemIds?: string[] } = {}) {
  if (primaryInventoryItemIds) {
    // Plain SQL for a push's few items (ADR 0017); the whole pair, for reconciliation, below.
    type Row = { sku: string; primaryProductId: string; primaryInventoryItemId: string; dependentInventoryItemId: string };
    const rows: (Row & { id: string })[] = [];
    for (const ids of chunks(primaryInventoryItemIds, IDS_PER_QUERY)) {
      rows.push(...(await query<(Row & { id: string })>(sql`
        SELECT "id", "sku", "primaryProductId", "primaryInventoryItemId", "dependentInventoryItemId" FROM "VariantLink"
        WHERE "primaryShop" = ${primaryShop} AND "dependentShop" = ${dependentShop} AND "primaryInventoryItemId" IN (${join(ids)})`)));
    }
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ id: _id, ...row }): Row => row);
  }
  return prisma.variantLink.findMany({
    where: { primaryShop, dependentShop },
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

/**
 * The primary products' titles at their last sync, by primary product id, and the product each of
 * these SKUs belongs to in the primary (the sync log names the product of stock and order entries).
 */
export async function primaryProductTitles(primaryShop: string, { primaryProductIds = [], skus = [] }: { primaryProductIds?: string[]; skus?: string[] }) {
  const productOfSku = new Map<string, string>();
  for (const group of chunks([...new Set(skus)], IDS_PER_QUERY)) {
    const rows = await prisma.variantLink.findMany({ where: { primaryShop, sku: { in: group } }, select: { sku: true, primaryProductId: true }, distinct: ["sku"] });
    for (const row of rows) productOfSku.set(row.sku, row.primaryProductId);
  }
  const titles = new Map<string, string>();
  for (const group of chunks([...new Set([...primaryProductIds, ...productOfSku.values()])], IDS_PER_QUERY)) {
    const rows = await prisma.productLink.findMany({
      where: { primaryShop, primaryProductId: { in: group }, lastPrimaryTitle: { not: null } },
      select: { primaryProductId: true, lastPrimaryTitle: true }, orderBy: { lastSyncedAt: "desc" },
    });
    for (const row of rows) if (!titles.has(row.primaryProductId)) titles.set(row.primaryProductId, row.lastPrimaryTitle!);
  }
  return { titles, productOfSku };
}

/** The dependent's variant linked to each of these primary variants, by primary variant id. */
export async function dependentVariantIdsOf(dependentShop: string, primaryVariantIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const ids of chunks(primaryVariantIds, IDS_PER_QUERY)) {
    const links = await prisma.variantLink.findMany({ where: { dependentShop, primaryVariantId: { in: ids } }, select: { primaryVariantId: true, dependentVariantId: true } });
    for (const link of links) found.set(link.primaryVariantId, link.dependentVariantId);
  }
  return found;
}
