// The sync log as the admin's pages read it (seed 003: what happened, why, and how to fix it):
// every query is scoped to the asking store in app/models/syncLog.server.ts.
import { primaryProductTitles } from "../models/links.server";
import { querySyncLog as querySyncLogRows, syncLogEntryOf as syncLogEntryRow } from "../models/syncLog.server";

export { syncActivityOf, syncLogCsv, syncLogFiltersSchema } from "../models/syncLog.server";

type Entry = { primaryShop: string; productTitle: string | null; primaryProductId: string | null; skus: string[] };

/**
 * Names the product of entries written without it: stock and order jobs read levels and orders,
 * never the product, so their entries take the title the product had at its last sync (by its id,
 * else by the entry's SKUs; an order of several products names the first and counts the rest).
 */
async function withProductTitles<E extends Entry>(entries: E[]): Promise<E[]> {
  const untitled = entries.filter((entry) => entry.productTitle === null);
  const named = new Map<E, string>();
  for (const primaryShop of new Set(untitled.map((entry) => entry.primaryShop))) {
    const ofShop = untitled.filter((entry) => entry.primaryShop === primaryShop);
    const { titles, productOfSku } = await primaryProductTitles(primaryShop, {
      primaryProductIds: ofShop.flatMap((entry) => entry.primaryProductId ?? []),
      skus: ofShop.filter((entry) => !entry.primaryProductId).flatMap((entry) => entry.skus),
    });
    for (const entry of ofShop) {
      const products = entry.primaryProductId ? [entry.primaryProductId] : [...new Set(entry.skus.flatMap((sku) => productOfSku.get(sku) ?? []))];
      const found = products.flatMap((id) => titles.get(id) ?? []);
      if (found.length > 0) named.set(entry, found.length === 1 ? found[0] : `${found[0]} +${found.length - 1}`);
    }
  }
  return entries.map((entry) => (named.has(entry) ? { ...entry, productTitle: named.get(entry)! } : entry));
}

export async function querySyncLog(...query: Parameters<typeof querySyncLogRows>) {
  const page = await querySyncLogRows(...query);
  return { ...page, entries: await withProductTitles(page.entries) };
}

export async function syncLogEntryOf(...query: Parameters<typeof syncLogEntryRow>) {
  const entry = await syncLogEntryRow(...query);
  return entry ? (await withProductTitles([entry]))[0] : null;
}
