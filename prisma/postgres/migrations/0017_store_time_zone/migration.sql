-- The store's time zone as Shopify names it (Shop.ianaTimezone), and when it was last read: the
-- admin shows times in it.
ALTER TABLE "Store" ADD COLUMN "timeZone" TEXT;
ALTER TABLE "Store" ADD COLUMN "timeZoneReadAt" TIMESTAMP(3);
