-- Order mirroring (issue 7, seed 002): a dependent's paid orders recorded on the primary, on by
-- default as in the seed; one row per mirrored order so each is recorded once.
ALTER TABLE "SyncPreferences" ADD COLUMN "mirrorOrders" BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE "MirroredOrder" (
    "dependentShop" TEXT NOT NULL,
    "dependentOrderId" TEXT NOT NULL,
    "primaryShop" TEXT NOT NULL,
    "primaryOrderId" TEXT NOT NULL,
    "primaryOrderName" TEXT NOT NULL,
    "customerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("dependentShop", "dependentOrderId")
);
CREATE INDEX "MirroredOrder_primaryShop_createdAt_idx" ON "MirroredOrder"("primaryShop", "createdAt");

-- The sync log gains the "order" action. SQLite cannot alter a CHECK constraint: rebuild the table.
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
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted', 'stock', 'order'))
);
INSERT INTO "SyncLog_new" SELECT "id", "primaryShop", "dependentShop", "jobId", "action", "productTitle", "primaryProductId", "dependentProductId", "skus", "fields", "message", "fix", "createdAt" FROM "SyncLog";
DROP TABLE "SyncLog";
ALTER TABLE "SyncLog_new" RENAME TO "SyncLog";
CREATE INDEX "SyncLog_dependentShop_createdAt_idx" ON "SyncLog"("dependentShop", "createdAt");
CREATE INDEX "SyncLog_primaryShop_createdAt_idx" ON "SyncLog"("primaryShop", "createdAt");
CREATE INDEX "SyncLog_createdAt_idx" ON "SyncLog"("createdAt");
