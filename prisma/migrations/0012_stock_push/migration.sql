-- Primary inventory items whose level a dependent still has to receive (the "push-stock" job).
CREATE TABLE "StockPush" (
    "dependentShop" TEXT NOT NULL,
    "primaryInventoryItemId" TEXT NOT NULL,
    "primaryShop" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "markedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("dependentShop", "primaryInventoryItemId")
);
CREATE INDEX "StockPush_dependentShop_dueAt_idx" ON "StockPush"("dependentShop", "dueAt");
