-- The order a sale belongs to: an online order names no location (location_id is null), so the
-- stock job reads where Shopify routed its lines (the order's fulfillment orders).
ALTER TABLE "StockMovement" ADD COLUMN "orderId" TEXT;
