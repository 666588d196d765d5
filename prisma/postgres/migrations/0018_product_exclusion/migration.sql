-- Products taken out of the sync one by one (issue 36, item 3): by the primary for its whole
-- network (`shop` = the primary), or by one dependent for its copy (`shop` = that dependent).
-- `outcome`: what became of the copies ("keep", "archive" or "delete").
CREATE TABLE "ProductExclusion" (
    "shop" TEXT NOT NULL,
    "primaryShop" TEXT NOT NULL,
    "primaryProductId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "dependentProductId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("shop", "primaryProductId")
);
CREATE INDEX "ProductExclusion_primaryShop_idx" ON "ProductExclusion"("primaryShop");
