import { z } from "zod";
import { english, text, type Text } from "../i18n";

/** A field's inline error: the message to show (in the admin's language) rides in the issue's params. */
function fieldIssue(ctx: z.RefinementCtx, message: Text) {
  ctx.addIssue({ code: "custom", message: english.text(message), params: { text: message } });
}

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/** A decimal typed by a merchant ("0.92", "12,5"), or empty for none. */
const optionalDecimal = (field: string, { min, max }: { min: number; max: number }) =>
  z
    .string()
    .max(20)
    .optional()
    .transform((value, ctx) => {
      const typed = (value ?? "").trim().replace(",", ".");
      if (typed === "") return null;
      const number = Number(typed);
      if (!/^-?\d+(\.\d+)?$/.test(typed) || number < min || number > max) {
        fieldIssue(ctx, text("prefs.errorNumber", { field, min, max }));
        return z.NEVER;
      }
      return typed;
    });

/** A whole number typed by a merchant, or empty for the default. */
const wholeNumber = (field: string, { min, max, empty }: { min: number; max: number; empty: number }) =>
  z
    .string()
    .max(20)
    .optional()
    .transform((value, ctx) => {
      const typed = (value ?? "").trim();
      if (typed === "") return empty;
      if (!/^\d+$/.test(typed) || Number(typed) < min || Number(typed) > max) {
        fieldIssue(ctx, text("prefs.errorWhole", { field, min, max }));
        return z.NEVER;
      }
      return Number(typed);
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
  stockBuffer: wholeNumber("stockBuffer", { min: 0, max: 100_000, empty: 0 }),
  stockAllocationPercent: wholeNumber("stockAllocationPercent", { min: 1, max: 100, empty: 100 }),
  priceExchangeRate: optionalDecimal("priceExchangeRate", { min: 0.000001, max: 1_000_000 }),
  priceMarkupPercent: optionalDecimal("priceMarkupPercent", { min: -90, max: 1000 }),
  priceRounding: z.enum(["none", "whole", "99", "95"]).default("none"),
});

/** Inline messages for a preferences form the schema rejected (by field name); null for any other form. */
export function preferencesFieldErrors(form: Record<string, FormDataEntryValue>): Record<string, Text> | null {
  if (form.intent !== "save-preferences") return null;
  const parsed = preferencesSchema.safeParse(form);
  // Only the fields a merchant types get inline messages; anything else was not sent by our form.
  if (parsed.success || parsed.error.issues.some((issue) => issue.code !== "custom")) return null;
  return Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), (issue as { params?: { text?: Text } }).params?.text ?? { key: "common.notUnderstood" }]));
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
