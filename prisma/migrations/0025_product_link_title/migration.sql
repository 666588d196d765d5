-- The primary product's title at its last sync: the sync log names the product on stock and order
-- entries, whose jobs read levels and orders only, never the product.
ALTER TABLE "ProductLink" ADD COLUMN "lastPrimaryTitle" TEXT;
