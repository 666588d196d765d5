-- The catalogue sync engine (issue 6): durable jobs, product/variant links, the sync log,
-- webhook de-duplication, location mapping, and the preferences the engine honours.

CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "lane" TEXT NOT NULL,
    "primaryShop" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER,
    "checkpoint" TEXT,
    "result" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'))
);
-- One waiting job per dedupe key: later requests fold into it (debounce).
CREATE UNIQUE INDEX "Job_waiting_dedupeKey" ON "Job"("dedupeKey") WHERE "status" = 'queued';
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_lane_status_idx" ON "Job"("lane", "status");
CREATE INDEX "Job_primaryShop_createdAt_idx" ON "Job"("primaryShop", "createdAt");
CREATE INDEX "Job_dedupeKey_idx" ON "Job"("dedupeKey");

CREATE TABLE "ProductLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "primaryProductId" TEXT NOT NULL,
    "dependentProductId" TEXT NOT NULL,
    "createdByTandem" BOOLEAN NOT NULL DEFAULT false,
    "lastPrimaryStatus" TEXT,
    "lastSyncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "ProductLink_dependentShop_primaryProductId_key" ON "ProductLink"("dependentShop", "primaryProductId");
CREATE UNIQUE INDEX "ProductLink_dependentShop_dependentProductId_key" ON "ProductLink"("dependentShop", "dependentProductId");
CREATE INDEX "ProductLink_primaryShop_primaryProductId_idx" ON "ProductLink"("primaryShop", "primaryProductId");

CREATE TABLE "VariantLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "primaryProductId" TEXT NOT NULL,
    "primaryVariantId" TEXT NOT NULL,
    "primaryInventoryItemId" TEXT NOT NULL,
    "dependentProductId" TEXT NOT NULL,
    "dependentVariantId" TEXT NOT NULL,
    "dependentInventoryItemId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "VariantLink_dependentShop_primaryVariantId_key" ON "VariantLink"("dependentShop", "primaryVariantId");
CREATE UNIQUE INDEX "VariantLink_dependentShop_dependentVariantId_key" ON "VariantLink"("dependentShop", "dependentVariantId");
CREATE INDEX "VariantLink_primaryShop_primaryInventoryItemId_idx" ON "VariantLink"("primaryShop", "primaryInventoryItemId");
CREATE INDEX "VariantLink_dependentShop_primaryProductId_idx" ON "VariantLink"("dependentShop", "primaryProductId");

CREATE TABLE "SyncLog" (
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
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted'))
);
CREATE INDEX "SyncLog_dependentShop_createdAt_idx" ON "SyncLog"("dependentShop", "createdAt");
CREATE INDEX "SyncLog_primaryShop_createdAt_idx" ON "SyncLog"("primaryShop", "createdAt");
CREATE INDEX "SyncLog_createdAt_idx" ON "SyncLog"("createdAt");

CREATE TABLE "WebhookEvent" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL
);
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

CREATE TABLE "LocationMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dependentShop" TEXT NOT NULL,
    "primaryLocationId" TEXT NOT NULL,
    "dependentLocationId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "LocationMapping_dependentShop_primaryLocationId_key" ON "LocationMapping"("dependentShop", "primaryLocationId");

ALTER TABLE "SyncPreferences" ADD COLUMN "publishNewProducts" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "SyncPreferences" ADD COLUMN "onPrimaryDelete" TEXT NOT NULL DEFAULT 'archive';
ALTER TABLE "SyncPreferences" ADD COLUMN "priceExchangeRate" TEXT;
ALTER TABLE "SyncPreferences" ADD COLUMN "priceMarkupPercent" TEXT;
ALTER TABLE "SyncPreferences" ADD COLUMN "priceRounding" TEXT NOT NULL DEFAULT 'none';

-- The primary's optional selection (seed 003): only products with this tag or in this collection.
ALTER TABLE "Store" ADD COLUMN "selectionTag" TEXT;
ALTER TABLE "Store" ADD COLUMN "selectionCollectionId" TEXT;

-- Lines of a bulk export staged on disk during Sync all, grouped by product, so a catalogue of any
-- size is processed one product at a time and a resumed job does not export again.
CREATE TABLE "BulkRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT,
    "line" TEXT NOT NULL
);
CREATE INDEX "BulkRow_runId_productId_idx" ON "BulkRow"("runId", "productId");
CREATE INDEX "BulkRow_runId_sku_idx" ON "BulkRow"("runId", "sku");
