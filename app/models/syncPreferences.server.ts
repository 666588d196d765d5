import prisma, { query, sql } from "../db.server";
import { DEFAULT_FIELD_RULES, type FieldRules, parseFieldRules } from "../sync/fields";
import type { PriceRounding } from "../sync/pricing";

/** A dependent's sync preferences (seed 004), as the settings form sends them. */
export type SyncPreferencesInput = {
  scope: "all" | "matching";
  syncDetails: boolean;
  syncPrice: boolean;
  syncQuantity: boolean;
  publishNewProducts?: boolean;
  onPrimaryDelete?: "archive" | "delete";
  countUnpaidOrders?: boolean;
  mirrorOrders?: boolean;
  stockBuffer?: number;
  stockAllocationPercent?: number;
  priceExchangeRate?: string | null;
  priceMarkupPercent?: string | null;
  priceRounding?: PriceRounding;
  fieldRules?: FieldRules;
};
export type SyncPreferences = Required<SyncPreferencesInput>;

export const DEFAULT_SYNC_PREFERENCES: SyncPreferences = {
  scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, publishNewProducts: false, onPrimaryDelete: "archive", countUnpaidOrders: false, mirrorOrders: true,
  stockBuffer: 0, stockAllocationPercent: 100, priceExchangeRate: null, priceMarkupPercent: null, priceRounding: "none", fieldRules: DEFAULT_FIELD_RULES,
};

/** A dependent's preferences, or the defaults before it saved any. */
export async function syncPreferencesOf(dependentShop: string): Promise<SyncPreferences> {
  // Plain SQL: asked by webhooks of dependents and by every job (ADR 0017).
  const [saved] = await query<Omit<SyncPreferences, "fieldRules"> & { fieldRules: string }>(sql`
    SELECT "scope", "syncDetails", "syncPrice", "syncQuantity", "publishNewProducts", "onPrimaryDelete", "countUnpaidOrders", "mirrorOrders",
      "stockBuffer", "stockAllocationPercent", "priceExchangeRate", "priceMarkupPercent", "priceRounding", "fieldRules"
    FROM "SyncPreferences" WHERE "dependentShop" = ${dependentShop}`);
  if (!saved) return DEFAULT_SYNC_PREFERENCES;
  return {
    scope: saved.scope as SyncPreferences["scope"],
    syncDetails: saved.syncDetails,
    syncPrice: saved.syncPrice,
    syncQuantity: saved.syncQuantity,
    publishNewProducts: saved.publishNewProducts,
    onPrimaryDelete: saved.onPrimaryDelete as SyncPreferences["onPrimaryDelete"],
    countUnpaidOrders: saved.countUnpaidOrders,
    mirrorOrders: saved.mirrorOrders,
    stockBuffer: saved.stockBuffer,
    stockAllocationPercent: saved.stockAllocationPercent,
    priceExchangeRate: saved.priceExchangeRate,
    priceMarkupPercent: saved.priceMarkupPercent,
    priceRounding: saved.priceRounding as PriceRounding,
    fieldRules: parseFieldRules(saved.fieldRules),
  };
}

/** Saves the preferences and marks the dependent's setup complete, together. */
export async function saveSyncPreferences(dependentShop: string, { fieldRules, ...rest }: SyncPreferencesInput, at = new Date()): Promise<void> {
  const preferences = { ...rest, ...(fieldRules ? { fieldRules: JSON.stringify(fieldRules) } : {}) };
  await prisma.$transaction([
    prisma.syncPreferences.upsert({ where: { dependentShop }, update: preferences, create: { dependentShop, ...preferences } }),
    prisma.store.update({ where: { shop: dependentShop }, data: { setupCompletedAt: at } }),
  ]);
}
