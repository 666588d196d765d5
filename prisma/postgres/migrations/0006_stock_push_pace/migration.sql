-- When each dependent's last stock push started, so pushes are paced (TANDEM_STOCK_PUSH_INTERVAL_MS).
CREATE TABLE "StockPushPace" (
    "dependentShop" TEXT NOT NULL PRIMARY KEY,
    "lastStartedAt" TIMESTAMP(3) NOT NULL
);
