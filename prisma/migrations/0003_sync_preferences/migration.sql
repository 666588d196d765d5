CREATE TABLE "SyncPreferences" (
    "dependentShop" TEXT NOT NULL PRIMARY KEY,
    "scope" TEXT NOT NULL DEFAULT 'all',
    "syncDetails" BOOLEAN NOT NULL DEFAULT true,
    "syncPrice" BOOLEAN NOT NULL DEFAULT true,
    "syncQuantity" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,
    CHECK ("scope" IN ('all', 'matching'))
);
