-- The primary's product metafield definitions that travel to its dependents (issue 36, item 2),
-- with the name and type they have on the primary: a dependent missing one gets it so.
CREATE TABLE "MetafieldChoice" (
    "primaryShop" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("primaryShop", "namespace", "key")
);
