import { z } from "zod";
import { text } from "../../i18n";
import { isCollectionOf, saveSelection, TAGGED_COUNT_CAP, taggedProductCount } from "../../services/network.server";
import { requestSyncAll } from "../../services/sync.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({
  intent: z.literal("save-selection"), tag: z.string().max(300).default(""), collectionId: z.string().max(100).default(""),
  // Sent by "Save anyway" after the merchant saw that no product has the tag.
  confirmed: z.literal("yes").optional(),
});

/**
 * A primary's selection by tag and/or collection (seed 003), applied at once by a Sync all. A tag
 * no product carries would stop every product syncing: it is saved only once the merchant confirms.
 */
export async function handle(shop: string, { tag, collectionId, confirmed }: z.infer<typeof schema>): Promise<SettingsResult> {
  const collection = collectionId.trim();
  if (/^gid:\/\/shopify\/Collection\/\d+$/.test(collection) && !(await isCollectionOf(shop, collection))) {
    return { ok: false, message: text("network.COLLECTION_NOT_HERE"), fieldErrors: { collectionId: text("network.COLLECTION_NOT_HERE") } };
  }
  const named = tag.trim();
  // Counted only for a tag Tandem can save (saveSelection refuses the others with their own error).
  const tagged = named && named.length <= 255 && !named.includes(",") ? await taggedProductCount(shop, named) : null;
  if (tagged === 0 && confirmed !== "yes") {
    return {
      ok: false,
      message: text("settings.selectionMatchesNothing", { tag: named }),
      fieldErrors: { tag: text("settings.selectionNoProduct", { tag: named }) },
      confirm: { intent: "save-selection", fields: { tag, collectionId, confirmed: "yes" }, label: text("settings.selectionSaveAnyway") },
    };
  }
  await saveSelection(shop, { tag, collectionId });
  const described = named
    ? text(collectionId ? "settings.selectionTaggedInCollection" : "settings.selectionTagged", { tag: named })
    : text(collectionId ? "settings.selectionCollectionOnly" : "settings.selectionEvery");
  const selection = tagged === null ? described : text("settings.selectionWithCount", { selection: described, count: tagged, capped: tagged >= TAGGED_COUNT_CAP ? 1 : 0 });
  // Applied at once: products that joined arrive, those that left stop syncing.
  const sync = await requestSyncAll(shop);
  return { ok: true, message: sync.jobs.length > 0 ? text("settings.selectionApplying", { selection }) : selection };
}
