import { z } from "zod";
import { text } from "../../i18n";
import { regenerateConnectionKey } from "../../services/network.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("regenerate-key") });

/** A primary's new key; the old one stops working at once. */
export async function handle(shop: string): Promise<SettingsResult> {
  await regenerateConnectionKey(shop);
  return { ok: true, message: text("settings.keyRegenerated") };
}
