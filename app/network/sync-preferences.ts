import { z } from "zod";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/** The sync preferences form (components/SyncPreferencesForm.tsx) as posted by onboarding and settings. */
export const preferencesSchema = z.object({
  intent: z.literal("save-preferences"),
  scope: z.enum(["all", "matching"]),
  syncDetails: flag,
  syncPrice: flag,
  syncQuantity: flag,
});
