import prisma, { execute, sql } from "../db.server";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";

import { EXCLUSION_OUTCOMES, type ExclusionOutcome } from "./exclusionOutcomes";

export type { ExclusionOutcome };

/** A product taken out of the sync, and by whom: the primary for its network, or one dependent for itself. */
export type ProductExclusion = {
  shop: string;
  primaryShop: string;
  primaryProductId: string;
  productTitle: string;
  outcome: ExclusionOutcome;
  dependentProductId: string | null;
  createdAt: Date;
};

function exclusionOf(row: { outcome: string } & Omit<ProductExclusion, "outcome">): ProductExclusion {
  return { ...row, outcome: (EXCLUSION_OUTCOMES as readonly string[]).includes(row.outcome) ? (row.outcome as ExclusionOutcome) : "keep" };
}

/**
 * Records that a store takes a product out of the sync (the primary: out of the network; a
 * dependent: its own copy). One statement, so a second click changes only the outcome.
 */
export async function excludeProduct(exclusion: Omit<ProductExclusion, "createdAt">, now = new Date()) {
  const { shop, primaryShop, primaryProductId, productTitle, outcome, dependentProductId } = exclusion;
  await execute(sql`
    INSERT INTO "ProductExclusion" ("shop", "primaryShop", "primaryProductId", "productTitle", "outcome", "dependentProductId", "createdAt")
    VALUES (${shop}, ${primaryShop}, ${primaryProductId}, ${productTitle}, ${outcome}, ${dependentProductId}, ${now})
    ON CONFLICT ("shop", "primaryProductId") DO UPDATE SET "productTitle" = excluded."productTitle", "outcome" = excluded."outcome",
      "dependentProductId" = excluded."dependentProductId", "createdAt" = excluded."createdAt"`);
}

/** Brings a product back into the sync from this store's side; whether it was out. */
export async function includeProduct(shop: string, primaryProductId: string): Promise<boolean> {
  const { count } = await prisma.productExclusion.deleteMany({ where: { shop, primaryProductId } });
  return count > 0;
}

/**
 * The products a pair does not sync, by primary product id: the primary's exclusions and this
 * dependent's own. Where both chose, the primary's comes first.
 */
export async function exclusionsOfPair(primaryShop: string, dependentShop: string): Promise<Map<string, ProductExclusion>> {
  const rows = await prisma.productExclusion.findMany({ where: { primaryShop, shop: { in: [primaryShop, dependentShop] } } });
  const byProduct = new Map<string, ProductExclusion>();
  for (const row of rows.sort((a, b) => Number(a.shop === primaryShop) - Number(b.shop === primaryShop))) byProduct.set(row.primaryProductId, exclusionOf(row));
  return byProduct;
}

/** The exclusions that touch these primary products in this network: the primary's and any dependent's. */
export async function exclusionsOfProducts(primaryShop: string, primaryProductIds: string[]): Promise<ProductExclusion[]> {
  const rows: ProductExclusion[] = [];
  for (const ids of chunks(primaryProductIds, IDS_PER_QUERY)) {
    rows.push(...(await prisma.productExclusion.findMany({ where: { primaryShop, primaryProductId: { in: ids } } })).map(exclusionOf));
  }
  return rows;
}

/** A dependent's exclusion of the copy it holds of some primary product, found by that copy. */
export async function exclusionOfDependentProduct(dependentShop: string, dependentProductId: string): Promise<ProductExclusion | null> {
  const row = await prisma.productExclusion.findFirst({ where: { shop: dependentShop, dependentProductId } });
  return row ? exclusionOf(row) : null;
}

/** This store's exclusions in a network, newest first (its Products page lists them). */
export async function exclusionsBy(shop: string, primaryShop: string): Promise<ProductExclusion[]> {
  return (await prisma.productExclusion.findMany({ where: { shop, primaryShop }, orderBy: { createdAt: "desc" } })).map(exclusionOf);
}
