import { z } from "zod";
import { text } from "../../i18n";
import { pauseOrResume } from "../../services/sync.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.enum(["pause", "resume"]), connectionId: z.string().min(1).max(64) });

/** The primary pauses a dependent, or resumes it (it then catches up). */
export async function handle(shop: string, { intent, connectionId }: z.infer<typeof schema>): Promise<SettingsResult> {
  await pauseOrResume(shop, connectionId, intent === "pause");
  return { ok: true, message: text(intent === "pause" ? "settings.paused" : "settings.resumed") };
}
