import type { Prisma } from "@prisma/client";

/**
 * Every table that holds rows of a shop, with the columns naming it: what shop/redact erases. A
 * table added to the schema must be listed here or in SHOP_DATA_EXEMPT (shopTables.test.ts
 * fails otherwise), so no table keeps a store's data after its erasure by oversight.
 */
export const SHOP_OWNED_TABLES = {
  Session: ["shop"],
  Connection: ["primaryShop", "dependentShop"],
  Invite: ["primaryShop", "dependentShop"],
  KeyAttempt: ["shop"],
  SyncPreferences: ["dependentShop"],
  MirroredOrder: ["primaryShop", "dependentShop"],
  // Jobs also run in side lanes of a store (shop#orders) and name a dependent in their payload.
  Job: ["lane", "primaryShop"],
  ProductLink: ["primaryShop", "dependentShop"],
  VariantLink: ["primaryShop", "dependentShop"],
  WrittenLevel: ["dependentShop"],
  StockPush: ["primaryShop", "dependentShop"],
  StockPushPace: ["dependentShop"],
  PrimaryLevel: ["primaryShop"],
  PrimaryItem: ["primaryShop"],
  SyncLog: ["primaryShop", "dependentShop"],
  WebhookEvent: ["shop"],
  LocationMapping: ["dependentShop"],
  CollectionLink: ["primaryShop", "dependentShop"],
  ProductExclusion: ["shop", "primaryShop"],
  MetafieldChoice: ["primaryShop"],
  StockMovement: ["primaryShop", "dependentShop"],
  // Strict mode's books and writes are the primary's: a dependent appears only inside a pool's
  // allocations, which its disconnection returns to the primary.
  StockPool: ["primaryShop"],
  EscrowMove: ["primaryShop"],
  StockRebalance: ["primaryShop"],
  // Last: the row that says whether the store is installed.
  Store: ["shop"],
} as const satisfies Partial<Record<Prisma.ModelName, readonly string[]>>;

/** Tables with no column naming a shop, and why their rows need no erasure. */
export const SHOP_DATA_EXEMPT: Partial<Record<Prisma.ModelName, string>> = {
  BulkRow: "rows staged by one Sync all run, keyed by the run's id; deleted when its job is no longer waiting or running (pruneFinishedBulkRuns)",
};
