-- Plans and billing (issue 5): the Shopify subscription behind a paid plan.
ALTER TABLE "Store" ADD COLUMN "subscriptionId" TEXT;

-- Collections copied from a primary to a dependent (seed 001).
CREATE TABLE "CollectionLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "primaryShop" TEXT NOT NULL,
    "dependentShop" TEXT NOT NULL,
    "primaryCollectionId" TEXT NOT NULL,
    "dependentCollectionId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "CollectionLink_dependentShop_primaryCollectionId_key" ON "CollectionLink"("dependentShop", "primaryCollectionId");
CREATE INDEX "CollectionLink_primaryShop_idx" ON "CollectionLink"("primaryShop");
