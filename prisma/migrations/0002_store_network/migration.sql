CREATE TABLE "Store" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "role" TEXT,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "keyLookupHash" TEXT,
    "keySealed" TEXT,
    "keyCreatedAt" DATETIME,
    "setupCompletedAt" DATETIME,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CHECK ("role" IS NULL OR "role" IN ('primary', 'dependent'))
);
CREATE UNIQUE INDEX "Store_shop_key" ON "Store"("shop");
CREATE UNIQUE INDEX "Store_keyLookupHash_key" ON "Store"("keyLookupHash");

CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnectedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CHECK ("status" IN ('connected', 'paused', 'needs_attention', 'disconnected')),
    CHECK ("via" IN ('key', 'invite')),
    CHECK ("primaryShop" <> "dependentShop")
);
CREATE INDEX "Connection_primaryShop_idx" ON "Connection"("primaryShop");
CREATE INDEX "Connection_dependentShop_idx" ON "Connection"("dependentShop");
-- A dependent has exactly one primary: at most one live connection per dependent.
CREATE UNIQUE INDEX "Connection_one_live_per_dependent" ON "Connection"("dependentShop") WHERE "status" <> 'disconnected';

CREATE TABLE "Invite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "respondedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ("status" IN ('pending', 'accepted', 'declined', 'revoked')),
    CHECK ("primaryShop" <> "dependentShop")
);
CREATE INDEX "Invite_dependentShop_status_idx" ON "Invite"("dependentShop", "status");
CREATE INDEX "Invite_primaryShop_idx" ON "Invite"("primaryShop");
-- One pending invite per primary and store address.
CREATE UNIQUE INDEX "Invite_one_pending" ON "Invite"("primaryShop", "dependentShop") WHERE "status" = 'pending';

CREATE TABLE "KeyAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "KeyAttempt_shop_createdAt_idx" ON "KeyAttempt"("shop", "createdAt");
