-- The primary's inventory levels as Tandem last learned them, so stock pushes need not read them (ADR 0014).
CREATE TABLE "PrimaryLevel" (
    "primaryShop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "changedAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "conflict" BOOLEAN NOT NULL DEFAULT false,
    "echoes" TEXT NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("primaryShop", "inventoryItemId", "locationId")
);
CREATE TABLE "PrimaryItem" (
    "primaryShop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "tracked" BOOLEAN NOT NULL,
    "readAt" DATETIME NOT NULL,
    PRIMARY KEY ("primaryShop", "inventoryItemId")
);
