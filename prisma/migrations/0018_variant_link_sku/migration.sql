-- A sale on a dependent finds its variant link by SKU: without this index each sale read every
-- variant link of its dependent (300,000 for a catalogue of 100,000 products of 3 variants).
CREATE INDEX "VariantLink_dependentShop_sku_idx" ON "VariantLink"("dependentShop", "sku");
