-- Stock across the network (issue 7): a ledger of stock movements, each applied exactly once,
-- and the dependent's choice to count unpaid orders (seed 002).
CREATE TABLE "StockMovement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "lineItemId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "primaryInventoryItemId" TEXT,
    "primaryLocationId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME
);
CREATE UNIQUE INDEX "StockMovement_key_key" ON "StockMovement"("key");
CREATE INDEX "StockMovement_dependentShop_lineItemId_idx" ON "StockMovement"("dependentShop", "lineItemId");
CREATE INDEX "StockMovement_primaryShop_status_idx" ON "StockMovement"("primaryShop", "status");

ALTER TABLE "SyncPreferences" ADD COLUMN "countUnpaidOrders" BOOLEAN NOT NULL DEFAULT false;

-- The sync log gains the "stock" action. SQLite cannot alter a CHECK constraint: rebuild the table.
CREATE TABLE "SyncLog_new" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "jobId" TEXT,
    "action" TEXT NOT NULL,
    "productTitle" TEXT,
    "primaryProductId" TEXT,
    "dependentProductId" TEXT,
    "skus" TEXT NOT NULL DEFAULT '[]',
    "fields" TEXT NOT NULL DEFAULT '[]',
    "message" TEXT NOT NULL,
    "fix" TEXT,
    "createdAt" DATETIME NOT NULL,
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted', 'stock'))
);
INSERT INTO "SyncLog_new" SELECT "id", "primaryShop", "dependentShop", "jobId", "action", "productTitle", "primaryProductId", "dependentProductId", "skus", "fields", "message", "fix", "createdAt" FROM "SyncLog";
DROP TABLE "SyncLog";
ALTER TABLE "SyncLog_new" RENAME TO "SyncLog";
CREATE INDEX "SyncLog_dependentShop_createdAt_idx" ON "SyncLog"("dependentShop", "createdAt");
CREATE INDEX "SyncLog_primaryShop_createdAt_idx" ON "SyncLog"("primaryShop", "createdAt");
CREATE INDEX "SyncLog_createdAt_idx" ON "SyncLog"("createdAt");
