import type { z } from "zod";
import { text } from "../../i18n";
import { preferencesSchema } from "../../network/sync-preferences";
import { savePreferencesAndSync } from "../../services/sync.server";
import type { SettingsResult } from "./intent";

export const schema = preferencesSchema;

/** A dependent's preferences, applied by a Sync all that starts now (or says why it cannot). */
export async function handle(shop: string, { intent: _intent, ...preferences }: z.infer<typeof schema>): Promise<SettingsResult> {
  const sync = await savePreferencesAndSync(shop, preferences);
  return {
    ok: true,
    message: sync.jobs.length > 0 ? text("settings.preferencesSyncing") : text("settings.preferencesLater", { reason: sync.skipped[0]?.reason ?? text("settings.noSyncNow") }),
  };
}
