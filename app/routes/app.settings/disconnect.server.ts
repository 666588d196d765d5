import { z } from "zod";
import { text } from "../../i18n";
import { disconnectStores } from "../../services/network.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("disconnect"), connectionId: z.string().min(1).max(64), products: z.enum(["keep", "zero", "delete"]).default("keep") });

/** Either side ends a connection; the dependent chooses whether Tandem's products stay (seed 003), and with what stock. */
export async function handle(shop: string, { connectionId, products }: z.infer<typeof schema>): Promise<SettingsResult> {
  const { productsJob } = await disconnectStores(shop, connectionId, products);
  if (!productsJob) return { ok: true, message: text("settings.disconnectedKept") };
  return { ok: true, message: text(productsJob.kind === "zero-kept-stock" ? "settings.disconnectedZeroing" : "settings.disconnectedDeleting") };
}
