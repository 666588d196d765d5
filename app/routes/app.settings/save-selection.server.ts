import { z } from "zod";
import { text } from "../../i18n";
import { isCollectionOf, saveSelection } from "../../services/network.server";
import { requestSyncAll } from "../../services/sync.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("save-selection"), tag: z.string().max(300).default(""), collectionId: z.string().max(100).default("") });

/** A primary's selection by tag and/or collection (seed 003), applied at once by a Sync all. */
export async function handle(shop: string, { tag, collectionId }: z.infer<typeof schema>): Promise<SettingsResult> {
  const collection = collectionId.trim();
  if (/^gid:\/\/shopify\/Collection\/\d+$/.test(collection) && !(await isCollectionOf(shop, collection))) {
    return { ok: false, message: text("network.COLLECTION_NOT_HERE"), fieldErrors: { collectionId: text("network.COLLECTION_NOT_HERE") } };
  }
  await saveSelection(shop, { tag, collectionId });
  const named = tag.trim();
  const selection = named
    ? text(collectionId ? "settings.selectionTaggedInCollection" : "settings.selectionTagged", { tag: named })
    : text(collectionId ? "settings.selectionCollectionOnly" : "settings.selectionEvery");
  // Applied at once: products that joined arrive, those that left stop syncing.
  const sync = await requestSyncAll(shop);
  return { ok: true, message: sync.jobs.length > 0 ? text("settings.selectionApplying", { selection }) : selection };
}
