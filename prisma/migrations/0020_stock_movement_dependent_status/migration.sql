-- A dependent's held sales (pending) are read by every stock push and product sync to it: without
-- this index the read went through the dependent's whole ledger history.
CREATE INDEX "StockMovement_dependentShop_status_idx" ON "StockMovement"("dependentShop", "status");
