-- The sync log gains the "unlinked" action (a product that left the primary's selection stopped
-- syncing). SQLite cannot alter a CHECK constraint: rebuild the table.
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
    "texts" TEXT,
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted', 'stock', 'order', 'unlinked'))
);
INSERT INTO "SyncLog_new" SELECT "id", "primaryShop", "dependentShop", "jobId", "action", "productTitle", "primaryProductId", "dependentProductId", "skus", "fields", "message", "fix", "createdAt", "texts" FROM "SyncLog";
DROP TABLE "SyncLog";
ALTER TABLE "SyncLog_new" RENAME TO "SyncLog";
CREATE INDEX "SyncLog_dependentShop_createdAt_idx" ON "SyncLog"("dependentShop", "createdAt");
CREATE INDEX "SyncLog_primaryShop_createdAt_idx" ON "SyncLog"("primaryShop", "createdAt");
CREATE INDEX "SyncLog_createdAt_idx" ON "SyncLog"("createdAt");
CREATE INDEX "SyncLog_primaryProductId_createdAt_idx" ON "SyncLog"("primaryProductId", "createdAt");
