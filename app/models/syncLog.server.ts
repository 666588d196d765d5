import prisma from "../db.server";

export const SYNC_LOG_ACTIONS = ["created", "updated", "skipped", "error", "archived", "deleted", "stock", "order"] as const;
export type SyncLogAction = (typeof SYNC_LOG_ACTIONS)[number];

export type SyncLogEntry = {
  primaryShop: string;
  dependentShop: string;
  jobId?: string | null;
  action: SyncLogAction;
  productTitle?: string | null;
  primaryProductId?: string | null;
  dependentProductId?: string | null;
  skus?: string[];
  fields?: string[];
  message: string;
  fix?: string | null;
};

export async function writeSyncLog(entries: SyncLogEntry[]) {
  if (entries.length === 0) return;
  await prisma.syncLog.createMany({
    data: entries.map((e) => ({
      primaryShop: e.primaryShop,
      dependentShop: e.dependentShop,
      jobId: e.jobId ?? null,
      action: e.action,
      productTitle: e.productTitle ?? null,
      primaryProductId: e.primaryProductId ?? null,
      dependentProductId: e.dependentProductId ?? null,
      skus: JSON.stringify(e.skus ?? []),
      fields: JSON.stringify(e.fields ?? []),
      message: e.message,
      fix: e.fix ?? null,
    })),
  });
}

export type SyncLogQuery = {
  /** The store asking: a primary sees its whole network, a dependent only itself. */
  shop: string;
  dependentShop?: string;
  actions?: SyncLogAction[];
  sku?: string;
  jobId?: string;
  /** Opaque cursor from the previous page. */
  cursor?: string | null;
  pageSize?: number;
};

export async function querySyncLog({ shop, dependentShop, actions, sku, jobId, cursor, pageSize = 50 }: SyncLogQuery) {
  const rows = await prisma.syncLog.findMany({
    where: {
      AND: [
        { OR: [{ primaryShop: shop }, { dependentShop: shop }] },
        dependentShop ? { dependentShop } : {},
        actions?.length ? { action: { in: actions } } : {},
        sku ? { skus: { contains: JSON.stringify(sku).slice(0, -1) } } : {},
        jobId ? { jobId } : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, pageSize).map((row) => ({ ...row, skus: JSON.parse(row.skus) as string[], fields: JSON.parse(row.fields) as string[] }));
  return { entries: page, nextCursor: rows.length > pageSize ? page[page.length - 1].id : null };
}

export const SYNC_LOG_RETENTION_DAYS = 30;

export async function pruneSyncLog(now = new Date(), retentionDays = SYNC_LOG_RETENTION_DAYS): Promise<number> {
  const { count } = await prisma.syncLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - retentionDays * 86_400_000) } } });
  return count;
}
