-- Idempotent stock adjustments (issue 11): the key an adjustment of the primary was sent with,
-- recorded before sending, so that after a crash the same change is sent again under the same key
-- and Shopify (API 2026-04+) applies it once.
ALTER TABLE "StockMovement" ADD COLUMN "adjustmentKey" TEXT;
CREATE INDEX "StockMovement_primaryShop_adjustmentKey_idx" ON "StockMovement"("primaryShop", "adjustmentKey");
