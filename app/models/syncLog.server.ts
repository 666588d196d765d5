import { z } from "zod";
import type { SyncLog } from "@prisma/client";
import prisma, { query, sql } from "../db.server";
import { english, type Text, type Translator } from "../i18n";

import { SYNC_LOG_ACTIONS, type SyncLogAction } from "./syncLogActions";

/** The log's filters as they arrive in a URL (the page, its CSV export, the JSON data). */
export const syncLogFiltersSchema = z.object({
  store: z.string().max(255).optional(),
  action: z.string().optional().transform((value, ctx) => {
    const actions = (value ?? "").split(",").filter(Boolean);
    if (actions.some((a) => !SYNC_LOG_ACTIONS.includes(a as SyncLogAction))) ctx.addIssue({ code: "custom", message: `action must be one of ${SYNC_LOG_ACTIONS.join(", ")}` });
    return actions as SyncLogAction[];
  }),
  sku: z.string().max(255).optional(),
  job: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  direction: z.enum(["next", "previous"]).default("next"),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

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
  message: Text;
  fix?: Text | null;
};

/** An entry's message and fix as the admin renders them, in its language. */
export type SyncLogTexts = { message: Text; fix: Text | null };

export async function writeSyncLog(entries: SyncLogEntry[]) {
  if (entries.length === 0) return;
  await syncLogInsert(entries);
}

/** The statement that writes these entries, to run in a transaction with the change they record. */
export function syncLogInsert(entries: SyncLogEntry[]) {
  return prisma.syncLog.createMany({
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
      message: english.text(e.message),
      fix: e.fix ? english.text(e.fix) : null,
      texts: JSON.stringify({ message: e.message, fix: e.fix ?? null } satisfies SyncLogTexts),
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
  /** Opaque cursor from the previous page (nextCursor), or of the page after (previousCursor) with direction "previous". */
  cursor?: string | null;
  direction?: "next" | "previous";
  pageSize?: number;
};

function visibleTo(shop: string) {
  return { OR: [{ primaryShop: shop }, { dependentShop: shop }] };
}

export function textsOf(texts: string | null): SyncLogTexts | null {
  return texts ? (JSON.parse(texts) as SyncLogTexts) : null;
}

function parsedEntry(row: SyncLog) {
  return { ...row, skus: JSON.parse(row.skus) as string[], fields: JSON.parse(row.fields) as string[], texts: textsOf(row.texts) };
}

/**
 * One page of the log, newest first. `nextCursor` leads to older entries, `previousCursor` back to
 * newer ones (null on the first page).
 */
export async function querySyncLog({ shop, dependentShop, actions, sku, jobId, cursor, direction = "next", pageSize = 50 }: SyncLogQuery) {
  const backwards = direction === "previous" && Boolean(cursor);
  const rows = await prisma.syncLog.findMany({
    where: {
      AND: [
        visibleTo(shop),
        dependentShop ? { dependentShop } : {},
        actions?.length ? { action: { in: actions } } : {},
        sku ? { skus: { contains: JSON.stringify(sku).slice(0, -1) } } : {},
        jobId ? { jobId } : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    // Prisma pages backwards from a cursor with a negative take, keeping the order.
    take: backwards ? -(pageSize + 1) : pageSize + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const more = rows.length > pageSize;
  const page = (backwards ? rows.slice(more ? 1 : 0) : rows.slice(0, pageSize)).map(parsedEntry);
  const first = page[0]?.id ?? null;
  const last = page[page.length - 1]?.id ?? null;
  return {
    entries: page,
    nextCursor: backwards || more ? last : null,
    previousCursor: backwards ? (more ? first : null) : cursor ? first : null,
  };
}

/**
 * The newest skip or error of each primary product in each dependent, keyed
 * `${primaryProductId}|${dependentShop}` (reads a few entries per pair at most).
 */
export async function newestProblemsOf(primaryShop: string, primaryProductIds: string[], dependentShops: string[]) {
  const entries = await prisma.syncLog.findMany({
    where: { primaryShop, primaryProductId: { in: primaryProductIds }, dependentShop: { in: dependentShops }, action: { in: ["skipped", "error"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: primaryProductIds.length * dependentShops.length * 5,
    select: { primaryProductId: true, dependentShop: true, message: true, fix: true, texts: true, createdAt: true },
  });
  const newest = new Map<string, (typeof entries)[number]>();
  for (const entry of entries) {
    const key = `${entry.primaryProductId}|${entry.dependentShop}`;
    if (!newest.has(key)) newest.set(key, entry);
  }
  return newest;
}

const CHANGE_ACTIONS: SyncLogAction[] = ["created", "updated", "archived", "deleted", "stock", "order", "unlinked"];
const DAY_MS = 86_400_000;

/**
 * Per UTC day of the last `days` (oldest first): entries the store may see that changed something,
 * were skipped, or failed. One grouped count per day, whatever the log's size.
 */
export async function syncActivityOf(shop: string, { days = 14, now = new Date() } = {}) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Promise.all(Array.from({ length: days }, async (_, index) => {
    const from = new Date(today - (days - 1 - index) * DAY_MS);
    const groups = await prisma.syncLog.groupBy({
      by: ["action"],
      where: { AND: [visibleTo(shop), { createdAt: { gte: from, lt: new Date(from.getTime() + DAY_MS) } }] },
      _count: { _all: true },
    });
    const countOf = (actions: string[]) => groups.filter((g) => actions.includes(g.action)).reduce((sum, g) => sum + g._count._all, 0);
    return { day: from.toISOString().slice(0, 10), changes: countOf(CHANGE_ACTIONS), skipped: countOf(["skipped"]), errors: countOf(["error"]) };
  }));
}

/** One entry, if the asking store may see it. */
export async function syncLogEntryOf(shop: string, id: string) {
  const row = await prisma.syncLog.findFirst({ where: { AND: [{ id }, visibleTo(shop)] } });
  return row ? parsedEntry(row) : null;
}

const CSV_COLUMNS = ["date", "store", "primary_store", "kind", "product", "skus", "fields", "message", "fix", "primary_product_id", "dependent_product_id", "task"] as const;

/**
 * A CSV cell: quoted when it holds a separator, a quote or a line break; a leading = + - @ (which
 * a spreadsheet would run as a formula) is escaped with an apostrophe.
 */
export function csvCell(value: string | null): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The filtered log as CSV, newest first, read 500 entries at a time as the stream is consumed; messages in the admin's language. */
export function syncLogCsv(query: Omit<SyncLogQuery, "cursor" | "direction" | "pageSize">, t: Translator = english): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
      }
      const page = await querySyncLog({ ...query, cursor, pageSize: 500 });
      const lines = page.entries.map((e) => [
        e.createdAt.toISOString(), e.dependentShop, e.primaryShop, e.action, e.productTitle, e.skus.join(" "), e.fields.join(" "),
        t.text(e.texts?.message, e.message), t.text(e.texts?.fix, e.fix ?? ""), e.primaryProductId, e.dependentProductId, e.jobId,
      ].map(csvCell).join(",") + "\r\n");
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
      cursor = page.nextCursor;
      if (!cursor) controller.close();
    },
  });
}

export const SYNC_LOG_RETENTION_DAYS = 30;

export async function pruneSyncLog(now = new Date(), retentionDays = SYNC_LOG_RETENTION_DAYS): Promise<number> {
  const { count } = await prisma.syncLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - retentionDays * 86_400_000) } } });
  return count;
}

/**
 * Entries of a shop's network (either side) whose text holds one of these strings, whatever their
 * case (e-mails in entries written before Tandem stopped logging them).
 */
export async function syncLogEntriesMentioning(shop: string, needles: string[]): Promise<{ id: string; message: string; texts: string | null }[]> {
  const wanted = needles.filter(Boolean).map((needle) => needle.toLowerCase());
  if (wanted.length === 0) return [];
  const rows: { id: string; message: string; texts: string | null }[] = [];
  for (const needle of wanted) {
    // LIKE's "_" matches any character (e-mails have them): a wider net, narrowed below.
    rows.push(...(await query<{ id: string; message: string; texts: string | null }>(sql`
      SELECT "id", "message", "texts" FROM "SyncLog" WHERE ("primaryShop" = ${shop} OR "dependentShop" = ${shop})
        AND (LOWER("message") LIKE ${`%${needle}%`} OR LOWER("texts") LIKE ${`%${needle}%`})`)));
  }
  return [...new Map(rows.map((row) => [row.id, row])).values()].filter((row) => wanted.some((needle) => `${row.message}\n${row.texts ?? ""}`.toLowerCase().includes(needle)));
}

/** Replaces these strings (any case) in the entries' texts: the entries stay, without them. */
export async function redactSyncLogEntries(entries: { id: string; message: string; texts: string | null }[], needles: string[], replacement = "[redacted]"): Promise<number> {
  const patterns = needles.filter(Boolean).map((needle) => new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"));
  const scrub = (value: string) => patterns.reduce((text, pattern) => text.replace(pattern, replacement), value);
  for (const entry of entries) {
    await prisma.syncLog.update({ where: { id: entry.id }, data: { message: scrub(entry.message), texts: entry.texts === null ? null : scrub(entry.texts) } });
  }
  return entries.length;
}
