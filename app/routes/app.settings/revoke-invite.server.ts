import { z } from "zod";
import { text } from "../../i18n";
import { revokeInvite } from "../../services/network.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("revoke-invite"), inviteId: z.string().min(1).max(64) });

export async function handle(shop: string, { inviteId }: z.infer<typeof schema>): Promise<SettingsResult> {
  await revokeInvite(shop, inviteId);
  return { ok: true, message: text("settings.inviteRevoked") };
}
