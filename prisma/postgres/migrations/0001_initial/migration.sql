-- The whole schema of prisma/schema.prisma as of SQLite migration 0011, for PostgreSQL. From here on a
-- change to the data model adds a migration to both folders (docs/decisions/0011-postgres-and-graphile-worker.md).

CREATE TABLE "BulkRow" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT,
    "line" TEXT NOT NULL
);
CREATE INDEX "BulkRow_runId_productId_idx" ON "BulkRow"("runId", "productId");
CREATE INDEX "BulkRow_runId_sku_idx" ON "BulkRow"("runId", "sku");
CREATE TABLE "CollectionLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "primaryCollectionId" TEXT NOT NULL,
    "dependentCollectionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "CollectionLink_dependentShop_primaryCollectionId_key" ON "CollectionLink"("dependentShop", "primaryCollectionId");
CREATE INDEX "CollectionLink_primaryShop_idx" ON "CollectionLink"("primaryShop");
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL, "ordersReconciledAt" TIMESTAMP(3),
    CHECK ("status" IN ('connected', 'paused', 'needs_attention', 'disconnected')),
    CHECK ("via" IN ('key', 'invite')),
    CHECK ("primaryShop" <> "dependentShop")
);
CREATE INDEX "Connection_primaryShop_idx" ON "Connection"("primaryShop");
CREATE INDEX "Connection_dependentShop_idx" ON "Connection"("dependentShop");
CREATE UNIQUE INDEX "Connection_one_live_per_dependent" ON "Connection"("dependentShop") WHERE "status" <> 'disconnected';
CREATE TABLE "Invite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "respondedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ("status" IN ('pending', 'accepted', 'declined', 'revoked')),
    CHECK ("primaryShop" <> "dependentShop")
);
CREATE INDEX "Invite_dependentShop_status_idx" ON "Invite"("dependentShop", "status");
CREATE INDEX "Invite_primaryShop_idx" ON "Invite"("primaryShop");
CREATE UNIQUE INDEX "Invite_one_pending" ON "Invite"("primaryShop", "dependentShop") WHERE "status" = 'pending';
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "lane" TEXT NOT NULL,
    "primaryShop" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER,
    "checkpoint" TEXT,
    "result" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'))
);
CREATE UNIQUE INDEX "Job_waiting_dedupeKey" ON "Job"("dedupeKey") WHERE "status" = 'queued';
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_lane_status_idx" ON "Job"("lane", "status");
CREATE INDEX "Job_primaryShop_createdAt_idx" ON "Job"("primaryShop", "createdAt");
CREATE INDEX "Job_dedupeKey_idx" ON "Job"("dedupeKey");
CREATE TABLE "KeyAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "KeyAttempt_shop_createdAt_idx" ON "KeyAttempt"("shop", "createdAt");
CREATE TABLE "LocationMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dependentShop" TEXT NOT NULL,
    "primaryLocationId" TEXT NOT NULL,
    "dependentLocationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "LocationMapping_dependentShop_primaryLocationId_key" ON "LocationMapping"("dependentShop", "primaryLocationId");
CREATE TABLE "MirroredOrder" (
    "dependentShop" TEXT NOT NULL,
    "dependentOrderId" TEXT NOT NULL,
    "primaryShop" TEXT NOT NULL,
    "primaryOrderId" TEXT NOT NULL,
    "primaryOrderName" TEXT NOT NULL,
    "customerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("dependentShop", "dependentOrderId")
);
CREATE INDEX "MirroredOrder_primaryShop_createdAt_idx" ON "MirroredOrder"("primaryShop", "createdAt");
CREATE TABLE "ProductLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "primaryProductId" TEXT NOT NULL,
    "dependentProductId" TEXT NOT NULL,
    "createdByTandem" BOOLEAN NOT NULL DEFAULT false,
    "lastPrimaryStatus" TEXT,
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "ProductLink_dependentShop_primaryProductId_key" ON "ProductLink"("dependentShop", "primaryProductId");
CREATE UNIQUE INDEX "ProductLink_dependentShop_dependentProductId_key" ON "ProductLink"("dependentShop", "dependentProductId");
CREATE INDEX "ProductLink_primaryShop_primaryProductId_idx" ON "ProductLink"("primaryShop", "primaryProductId");
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3)
);
CREATE INDEX "Session_shop_idx" ON "Session"("shop");
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3)
    , "dependentLocationId" TEXT, "adjustmentKey" TEXT);
CREATE UNIQUE INDEX "StockMovement_key_key" ON "StockMovement"("key");
CREATE INDEX "StockMovement_dependentShop_lineItemId_idx" ON "StockMovement"("dependentShop", "lineItemId");
CREATE INDEX "StockMovement_primaryShop_status_idx" ON "StockMovement"("primaryShop", "status");
CREATE INDEX "StockMovement_primaryShop_adjustmentKey_idx" ON "StockMovement"("primaryShop", "adjustmentKey");
CREATE TABLE "Store" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "role" TEXT,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "keyLookupHash" TEXT,
    "keySealed" TEXT,
    "keyCreatedAt" TIMESTAMP(3),
    "setupCompletedAt" TIMESTAMP(3),
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL, "selectionTag" TEXT, "selectionCollectionId" TEXT, "subscriptionId" TEXT,
    CHECK ("role" IS NULL OR "role" IN ('primary', 'dependent'))
);
CREATE UNIQUE INDEX "Store_shop_key" ON "Store"("shop");
CREATE UNIQUE INDEX "Store_keyLookupHash_key" ON "Store"("keyLookupHash");
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
    "createdAt" TIMESTAMP(3) NOT NULL, "texts" TEXT,
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted', 'stock', 'order'))
);
CREATE INDEX "SyncLog_dependentShop_createdAt_idx" ON "SyncLog"("dependentShop", "createdAt");
CREATE INDEX "SyncLog_primaryShop_createdAt_idx" ON "SyncLog"("primaryShop", "createdAt");
CREATE INDEX "SyncLog_createdAt_idx" ON "SyncLog"("createdAt");
CREATE INDEX "SyncLog_primaryProductId_createdAt_idx" ON "SyncLog"("primaryProductId", "createdAt");
CREATE TABLE "SyncPreferences" (
    "dependentShop" TEXT NOT NULL PRIMARY KEY,
    "scope" TEXT NOT NULL DEFAULT 'all',
    "syncDetails" BOOLEAN NOT NULL DEFAULT true,
    "syncPrice" BOOLEAN NOT NULL DEFAULT true,
    "syncQuantity" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL, "publishNewProducts" BOOLEAN NOT NULL DEFAULT false, "onPrimaryDelete" TEXT NOT NULL DEFAULT 'archive', "priceExchangeRate" TEXT, "priceMarkupPercent" TEXT, "priceRounding" TEXT NOT NULL DEFAULT 'none', "countUnpaidOrders" BOOLEAN NOT NULL DEFAULT false, "stockBuffer" INTEGER NOT NULL DEFAULT 0, "stockAllocationPercent" INTEGER NOT NULL DEFAULT 100, "mirrorOrders" BOOLEAN NOT NULL DEFAULT true,
    CHECK ("scope" IN ('all', 'matching'))
);
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "VariantLink_dependentShop_primaryVariantId_key" ON "VariantLink"("dependentShop", "primaryVariantId");
CREATE UNIQUE INDEX "VariantLink_dependentShop_dependentVariantId_key" ON "VariantLink"("dependentShop", "dependentVariantId");
CREATE INDEX "VariantLink_primaryShop_primaryInventoryItemId_idx" ON "VariantLink"("primaryShop", "primaryInventoryItemId");
CREATE INDEX "VariantLink_dependentShop_primaryProductId_idx" ON "VariantLink"("dependentShop", "primaryProductId");
CREATE INDEX "VariantLink_dependentShop_dependentInventoryItemId_idx" ON "VariantLink"("dependentShop", "dependentInventoryItemId");
CREATE TABLE "WebhookEvent" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");
CREATE TABLE "WrittenLevel" (
    "dependentShop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "writtenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("dependentShop", "inventoryItemId", "locationId")
);
