-- Shopify's time of Tandem's last write of each dependent level: late echoes of earlier writes are recognised.
ALTER TABLE "WrittenLevel" ADD COLUMN "changedAt" DATETIME;
