import { z } from "zod";
import { text } from "../../i18n";
import { parseLocationMapping } from "../../network/sync-preferences";
import { updateLocationMapping } from "../../services/locations.server";
import { requestSyncAll } from "../../services/sync.server";
import type { SettingsForm, SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("save-location-mapping") }).passthrough();

/** A dependent's location mapping (one field per primary location), applied by a Sync all. */
export async function handle(shop: string, _input: z.infer<typeof schema>, form: SettingsForm): Promise<SettingsResult> {
  await updateLocationMapping(shop, parseLocationMapping(form));
  const sync = await requestSyncAll(shop);
  return { ok: true, message: text(sync.jobs.length ? "settings.locationsSavedSyncing" : "settings.locationsSaved") };
}
