import prisma, { join, query, sql, transaction } from "../db.server";
import { prismaNamespaceOf } from "../db/prisma-client.server";
import { SHOP_OWNED_TABLES } from "./shopTables";

// Identifiers from SHOP_OWNED_TABLES, as fragments of the engine in use (ADR 0017).
const { raw } = prismaNamespaceOf(prisma);

/**
 * shop/redact: every row of the shop, in one transaction, unless the store installed Tandem again
 * since (Shopify sends the request 48 hours after an uninstall; a reinstall meanwhile keeps the
 * data). False when the store is installed and nothing was erased.
 */
export async function eraseShopData(shop: string): Promise<boolean> {
  const notInstalled = sql`NOT EXISTS (SELECT 1 FROM "Store" WHERE "shop" = ${shop} AND "uninstalledAt" IS NULL)`;
  const statements = Object.entries(SHOP_OWNED_TABLES).map(([table, columns]) => {
    const naming = columns.map((column) => sql`${raw(`"${column}"`)} = ${shop}`);
    if (table === "Job") naming.push(sql`"lane" LIKE ${`${shop}#%`}`, sql`"payload" LIKE ${`%"${shop}"%`}`);
    return sql`DELETE FROM ${raw(`"${table}"`)} WHERE (${join(naming, " OR ")}) AND ${notInstalled}`;
  });
  // Every statement checks it too: a reinstall between this read and the erasure keeps the data.
  if (await storeInstalled(shop)) return false;
  await transaction(statements);
  return true;
}

async function storeInstalled(shop: string): Promise<boolean> {
  return (await query<{ found: number }>(sql`SELECT 1 AS "found" FROM "Store" WHERE "shop" = ${shop} AND "uninstalledAt" IS NULL`)).length > 0;
}
