import { z } from "zod";
import { text } from "../../i18n";
import { disconnectStores } from "../../services/network.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("disconnect"), connectionId: z.string().min(1).max(64), products: z.enum(["keep", "delete"]).default("keep") });

/** Either side ends a connection; the dependent chooses whether Tandem's products stay (seed 003). */
export async function handle(shop: string, { connectionId, products }: z.infer<typeof schema>): Promise<SettingsResult> {
  const { removalJob } = await disconnectStores(shop, connectionId, products);
  return { ok: true, message: text(removalJob ? "settings.disconnectedDeleting" : "settings.disconnectedKept") };
}
