import { z } from "zod";
import { text } from "../../i18n";
import { chooseStockMode } from "../../services/network.server";
import type { SettingsResult } from "./intent";

export const schema = z.object({ intent: z.literal("stock-mode"), mode: z.enum(["shared", "strict"]) });

/** The primary's stock mode for its network (ADR 0033), applied at once by a rebalance. */
export async function handle(shop: string, { mode }: z.infer<typeof schema>): Promise<SettingsResult> {
  const { changed } = await chooseStockMode(shop, mode);
  if (!changed) return { ok: true, message: text("settings.stockModeUnchanged") };
  return { ok: true, message: text(mode === "strict" ? "settings.stockModeStrictOn" : "settings.stockModeSharedOn") };
}
