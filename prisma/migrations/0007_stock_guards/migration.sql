-- Stock guards and repairs (issue 7): a buffer and an allocation per dependent, the levels Tandem
-- last wrote to each dependent (so its own writes are told apart from manual edits there), and how
-- far each connection's orders have been reconciled.
ALTER TABLE "SyncPreferences" ADD COLUMN "stockBuffer" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "SyncPreferences" ADD COLUMN "stockAllocationPercent" INTEGER NOT NULL DEFAULT 100;

CREATE TABLE "WrittenLevel" (
    "dependentShop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "writtenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("dependentShop", "inventoryItemId", "locationId")
);

ALTER TABLE "Connection" ADD COLUMN "ordersReconciledAt" DATETIME;

CREATE INDEX "VariantLink_dependentShop_dependentInventoryItemId_idx" ON "VariantLink"("dependentShop", "dependentInventoryItemId");

-- The dependent location of a movement, kept with it: a restock that waits for its sale (webhooks
-- out of order) is placed later, from the ledger alone.
ALTER TABLE "StockMovement" ADD COLUMN "dependentLocationId" TEXT;
