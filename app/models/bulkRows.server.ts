import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import prisma, { query, sql } from "../db.server";

/** Stages the lines of a bulk export, grouped by the product they belong to. */
export async function stageBulkRows(runId: string, rows: { productId: string; sku: string | null; line: string }[]) {
  if (rows.length === 0) return;
  await prisma.bulkRow.createMany({ data: rows.map((row) => ({ runId, ...row })) });
}

export async function clearBulkRun(runId: string) {
  await prisma.bulkRow.deleteMany({ where: { runId } });
}

export async function isBulkRunStaged(runId: string): Promise<boolean> {
  return (await prisma.bulkRow.count({ where: { runId } })) > 0;
}

/**
 * Product ids of a staged run in a stable order, after a given id (for resuming). SQL DISTINCT and
 * LIMIT: Prisma's `distinct` filters in memory after fetching every matching row, which made each
 * batch of a Sync all read all the lines still to come (quadratic in the catalogue).
 */
export async function stagedProductIds(runId: string, afterProductId: string | null, take: number): Promise<string[]> {
  const rows = await query<{ productId: string }>(sql`
    SELECT DISTINCT "productId" FROM "BulkRow" WHERE "runId" = ${runId} AND "productId" > ${afterProductId ?? ""}
    ORDER BY "productId" ASC LIMIT ${take}`);
  return rows.map((row) => row.productId);
}

export async function countStagedProducts(runId: string): Promise<number> {
  const [row] = await query<{ products: bigint | number }>(sql`SELECT COUNT(DISTINCT "productId") AS products FROM "BulkRow" WHERE "runId" = ${runId}`);
  return Number(row?.products ?? 0);
}


export async function stagedLines(runId: string, productIds: string[]): Promise<Map<string, Record<string, unknown>[]>> {
  const rows = [];
  for (const ids of chunks(productIds, IDS_PER_QUERY)) rows.push(...(await prisma.bulkRow.findMany({ where: { runId, productId: { in: ids } }, orderBy: { id: "asc" } })));
  const byProduct = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), JSON.parse(row.line)]);
  return byProduct;
}

/** Which of these product ids the staged run holds. */
export async function stagedAmong(runId: string, productIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const ids of chunks(productIds, IDS_PER_QUERY)) {
    const rows = await prisma.bulkRow.findMany({ where: { runId, productId: { in: ids } }, select: { productId: true } });
    for (const row of rows) found.add(row.productId);
  }
  return found;
}

/** SKUs that more than one variant of the staged store carries. */
export async function duplicateStagedSkus(runId: string): Promise<Set<string>> {
  const rows = await prisma.bulkRow.groupBy({ by: ["sku"], where: { runId, sku: { not: null } }, _count: { _all: true }, having: { sku: { _count: { gt: 1 } } } });
  return new Set(rows.map((row) => row.sku!));
}

/** Which staged products hold these SKUs. */
export async function stagedProductsBySku(runId: string, skus: string[]): Promise<Map<string, string[]>> {
  const rows = [];
  for (const group of chunks(skus, IDS_PER_QUERY)) rows.push(...(await prisma.bulkRow.findMany({ where: { runId, sku: { in: group } }, select: { sku: true, productId: true } })));
  const bySku = new Map<string, string[]>();
  for (const row of rows) bySku.set(row.sku!, [...(bySku.get(row.sku!) ?? []), row.productId]);
  return bySku;
}

/** Staged runs whose job is over (or gone): left behind only by a worker that died on a job's last attempt. */
export async function pruneFinishedBulkRuns(): Promise<number> {
  const runs = await query<{ runId: string }>(sql`SELECT DISTINCT "runId" FROM "BulkRow"`);
  const jobIds = [...new Set(runs.map((r) => r.runId.split(":")[0]))];
  const active = new Set((await prisma.job.findMany({ where: { id: { in: jobIds }, status: { in: ["queued", "running"] } }, select: { id: true } })).map((j) => j.id));
  const finished = runs.map((r) => r.runId).filter((runId) => !active.has(runId.split(":")[0]));
  if (finished.length === 0) return 0;
  const { count } = await prisma.bulkRow.deleteMany({ where: { runId: { in: finished } } });
  return count;
}
