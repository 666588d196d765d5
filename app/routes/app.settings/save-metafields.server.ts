import { z } from "zod";
import { saveMetafieldChoices } from "../../services/metafield-choices.server";
import type { SettingsResult } from "./intent";

/** The form sends the ticked definitions as one JSON list of `namespace.key`. */
export const schema = z.object({
  intent: z.literal("save-metafields"),
  metafields: z.string().max(100_000).transform((json, ctx) => {
    try {
      return z.array(z.string().min(3).max(300)).max(250).parse(JSON.parse(json));
    } catch {
      ctx.addIssue({ code: "custom", message: "not a list of metafields" });
      return z.NEVER;
    }
  }),
});

/** Which of the primary's product metafield definitions travel to its dependents (issue 36, item 2). */
export async function handle(shop: string, { metafields }: z.infer<typeof schema>): Promise<SettingsResult> {
  return saveMetafieldChoices(shop, metafields);
}
