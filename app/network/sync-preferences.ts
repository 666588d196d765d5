import { z } from "zod";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/** A decimal typed by a merchant ("0.92", "12,5"), or empty for none. */
const optionalDecimal = (label: string, { min, max }: { min: number; max: number }) =>
  z
    .string()
    .max(20)
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").trim().replace(",", ".");
      if (text === "") return null;
      const number = Number(text);
      if (!/^-?\d+(\.\d+)?$/.test(text) || number < min || number > max) {
        ctx.addIssue({ code: "custom", message: `${label} must be a number between ${min} and ${max}` });
        return z.NEVER;
      }
      return text;
    });

/** A whole number typed by a merchant, or empty for the default. */
const wholeNumber = (label: string, { min, max, empty }: { min: number; max: number; empty: number }) =>
  z
    .string()
    .max(20)
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").trim();
      if (text === "") return empty;
      if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
        ctx.addIssue({ code: "custom", message: `${label} must be a whole number between ${min} and ${max}` });
        return z.NEVER;
      }
      return Number(text);
    });

/** The sync preferences form (components/SyncPreferencesForm.tsx) as posted by onboarding and settings. */
export const preferencesSchema = z.object({
  intent: z.literal("save-preferences"),
  scope: z.enum(["all", "matching"]),
  syncDetails: flag,
  syncPrice: flag,
  syncQuantity: flag,
  publishNewProducts: flag.default("false"),
  onPrimaryDelete: z.enum(["archive", "delete"]).default("archive"),
  countUnpaidOrders: flag.default("false"),
  mirrorOrders: flag.default("true"),
  stockBuffer: wholeNumber("The stock buffer", { min: 0, max: 100_000, empty: 0 }),
  stockAllocationPercent: wholeNumber("The share of stock", { min: 1, max: 100, empty: 100 }),
  priceExchangeRate: optionalDecimal("The exchange rate", { min: 0.000001, max: 1_000_000 }),
  priceMarkupPercent: optionalDecimal("The markup", { min: -90, max: 1000 }),
  priceRounding: z.enum(["none", "whole", "99", "95"]).default("none"),
});

/** Inline messages for a preferences form the schema rejected (by field name); null for any other form. */
export function preferencesFieldErrors(form: Record<string, FormDataEntryValue>): Record<string, string> | null {
  if (form.intent !== "save-preferences") return null;
  const parsed = preferencesSchema.safeParse(form);
  // Only the fields a merchant types get inline messages; anything else was not sent by our form.
  if (parsed.success || parsed.error.issues.some((issue) => issue.code !== "custom")) return null;
  return Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]));
}

/** Location mapping: one field per primary location, `location:<primary location id>` = dependent location id or "" (default). */
export function parseLocationMapping(form: Record<string, FormDataEntryValue>): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (!name.startsWith("location:") || typeof value !== "string" || value === "") continue;
    mapping[name.slice("location:".length)] = value;
  }
  return mapping;
}
