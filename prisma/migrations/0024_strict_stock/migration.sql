-- Strict stock mode (ADR 0033): the primary chooses it for its network ("shared" or "strict").
ALTER TABLE "Store" ADD COLUMN "stockMode" TEXT NOT NULL DEFAULT 'shared';

-- The books of one pool: an item at a primary location whose dependents' units the primary holds
-- in its reserve. `allocated`: JSON, dependent shop → units of the escrow it holds.
CREATE TABLE "StockPool" (
    "primaryShop" TEXT NOT NULL,
    "primaryInventoryItemId" TEXT NOT NULL,
    "primaryLocationId" TEXT NOT NULL,
    "escrow" INTEGER NOT NULL DEFAULT 0,
    "allocated" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("primaryShop", "primaryInventoryItemId", "primaryLocationId")
);

-- A strict-mode write decided (the books count it) and not yet settled: sent again under its
-- idempotency key after a crash or a lost answer.
CREATE TABLE "EscrowMove" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "primaryInventoryItemId" TEXT NOT NULL,
    "primaryLocationId" TEXT NOT NULL,
    "move" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "base" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "EscrowMove_primaryShop_idx" ON "EscrowMove"("primaryShop");

-- Primary items whose pools a "rebalance-stock" job must look at (bumped, never lost, while one runs).
CREATE TABLE "StockRebalance" (
    "primaryShop" TEXT NOT NULL,
    "primaryInventoryItemId" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("primaryShop", "primaryInventoryItemId")
);
