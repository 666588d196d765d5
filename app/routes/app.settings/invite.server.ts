import { z } from "zod";
import { text } from "../../i18n";
import { inviteStores } from "../../services/network.server";
import { typedText } from "../../validation";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("invite"), addresses: typedText(5000) });

/** Invites the addresses typed (one per line, or separated by commas or semicolons). */
export async function handle(shop: string, { addresses }: z.infer<typeof schema>): Promise<SettingsResult> {
  const results = await inviteStores(shop, addresses.split(/[\n,;]+/).map((a) => a.trim()).filter(Boolean));
  if (results.length === 0) return { ok: false, message: text("settings.enterAddress") };
  // One failed address is reported at a time; the others were invited.
  const firstFailure = results.find((r) => !r.ok);
  return firstFailure && !firstFailure.ok
    ? { ok: false, message: text("settings.inviteFailed", { input: firstFailure.input, error: firstFailure.error }) }
    : { ok: true, message: text("settings.invited", { shops: results.map((r) => (r.ok ? r.invite.dependentShop : "")).join(", ") }) };
}
