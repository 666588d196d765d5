-- The primary's images a dependent's copies were last made from (a fingerprint): each store serves
-- its own copies from its own CDN URLs, so URLs cannot be compared between stores.
ALTER TABLE "ProductLink" ADD COLUMN "lastPrimaryImages" TEXT;
