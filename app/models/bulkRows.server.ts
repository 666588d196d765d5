import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import prisma, { execute, join, query, sql, transaction } from "../db.server";

// Staged rows are written and read as plain SQL (ADR 0019): a Sync all stages every line of both
// catalogues and reads each back once, and Prisma's model queries spent more CPU on those
// statements of hundreds of rows than on anything else the worker did.

/** Stages the lines of a bulk export, grouped by the product they belong to. */
export async function stageBulkRows(runId: string, rows: { productId: string; sku: string | null; line: string }[]) {
  await transaction(chunks(rows, ROWS_PER_STATEMENT).map((group) => sql`
    INSERT INTO "BulkRow" ("runId", "productId", "sku", "line") VALUES ${join(group.map((row) => sql`(${runId}, ${row.productId}, ${row.sku}, ${row.line})`))}`));
}

/** 200 rows of 4 values stay under SQLite's 999 parameters. */
const ROWS_PER_STATEMENT = 200;

export async function clearBulkRun(runId: string) {
  await execute(sql`DELETE FROM "BulkRow" WHERE "runId" = ${runId}`);
}

/** Every staged run of a job (run ids start with the job's id), whichever attempt made them. */
export async function clearBulkRunsOfJob(jobId: string) {
  await execute(sql`DELETE FROM "BulkRow" WHERE "runId" LIKE ${`${jobId}:%`}`);
}

export async function isBulkRunStaged(runId: string): Promise<boolean> {
  return (await query(sql`SELECT 1 FROM "BulkRow" WHERE "runId" = ${runId} LIMIT 1`)).length > 0;
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


/** The staged lines of these products, each product's in the order of the export. */
export async function stagedLines(runId: string, productIds: string[]): Promise<Map<string, Record<string, unknown>[]>> {
  const byProduct = new Map<string, Record<string, unknown>[]>();
  for (const ids of chunks(productIds, IDS_PER_QUERY)) {
    const rows = await query<{ productId: string; line: string }>(sql`
      SELECT "productId", "line" FROM "BulkRow" WHERE "runId" = ${runId} AND "productId" IN (${join(ids)}) ORDER BY "id" ASC`);
    for (const row of rows) {
      const lines = byProduct.get(row.productId);
      if (lines) lines.push(JSON.parse(row.line));
      else byProduct.set(row.productId, [JSON.parse(row.line)]);
    }
  }
  return byProduct;
}

/** Which of these product ids the staged run holds. */
export async function stagedAmong(runId: string, productIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const ids of chunks(productIds, IDS_PER_QUERY)) {
    const rows = await query<{ productId: string }>(sql`SELECT DISTINCT "productId" FROM "BulkRow" WHERE "runId" = ${runId} AND "productId" IN (${join(ids)})`);
    for (const row of rows) found.add(row.productId);
  }
  return found;
}

/** SKUs that more than one variant of the staged store carries. */
export async function duplicateStagedSkus(runId: string): Promise<Set<string>> {
  const rows = await query<{ sku: string }>(sql`
    SELECT "sku" FROM "BulkRow" WHERE "runId" = ${runId} AND "sku" IS NOT NULL GROUP BY "sku" HAVING COUNT(*) > 1`);
  return new Set(rows.map((row) => row.sku));
}

/** Which staged products hold these SKUs. */
export async function stagedProductsBySku(runId: string, skus: string[]): Promise<Map<string, string[]>> {
  const bySku = new Map<string, string[]>();
  for (const group of chunks(skus, IDS_PER_QUERY)) {
    const rows = await query<{ sku: string; productId: string }>(sql`SELECT "sku", "productId" FROM "BulkRow" WHERE "runId" = ${runId} AND "sku" IN (${join(group)})`);
    for (const row of rows) bySku.set(row.sku, [...(bySku.get(row.sku) ?? []), row.productId]);
  }
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
