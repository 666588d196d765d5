import { z } from "zod";
import { text, type Text } from "../i18n";
import { fieldErrorsOf, fieldIssue } from "../validation";
import { type FieldRules, PRODUCT_FIELDS, fieldRulesFrom } from "../sync/fields";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/** A decimal typed by a merchant ("0.92", "12,5"), or empty for none. */
const optionalDecimal = (field: string, { min, max }: { min: number; max: number }) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if ((value ?? "").length > 20) {
        fieldIssue(ctx, text("form.tooLong", { max: 20, length: value!.length }));
        return z.NEVER;
      }
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
    .optional()
    .transform((value, ctx) => {
      if ((value ?? "").length > 20) {
        fieldIssue(ctx, text("form.tooLong", { max: 20, length: value!.length }));
        return z.NEVER;
      }
      const typed = (value ?? "").trim();
      if (typed === "") return empty;
      if (!/^\d+$/.test(typed) || Number(typed) < min || Number(typed) > max) {
        fieldIssue(ctx, text("prefs.errorWhole", { field, min, max }));
        return z.NEVER;
      }
      return Number(typed);
    });

/**
 * The field rules as the form posts them (JSON in one hidden field): every field named must be one
 * Tandem knows, with a choice it allows; absent, the saved rules stay.
 */
const fieldRulesInput = z
  .string()
  .max(2_000)
  .optional()
  .transform((value, ctx): FieldRules | undefined => {
    if (value === undefined || value === "") return undefined;
    let posted: unknown;
    try {
      posted = JSON.parse(value);
    } catch {
      posted = null;
    }
    const rules = fieldRulesFrom(posted);
    const allowed = rules !== null && Object.entries(posted as Record<string, unknown>).every(([name, choice]) =>
      Object.hasOwn(PRODUCT_FIELDS, name) && (PRODUCT_FIELDS[name as keyof typeof PRODUCT_FIELDS].choices as readonly unknown[]).includes(choice));
    if (!allowed) {
      fieldIssue(ctx, text("prefs.errorFields"));
      return z.NEVER;
    }
    return rules;
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
  fieldRules: fieldRulesInput,
});

/** Inline messages for a preferences form the schema rejected (by field name); null for any other form. */
export function preferencesFieldErrors(form: Record<string, FormDataEntryValue>): Record<string, Text> | null {
  if (form.intent !== "save-preferences") return null;
  const parsed = preferencesSchema.safeParse(form);
  // Only the fields a merchant types get inline messages; anything else was not sent by our form.
  return parsed.success ? null : fieldErrorsOf(parsed.error);
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
