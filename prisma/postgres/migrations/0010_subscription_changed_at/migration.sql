-- Shopify's time of the last subscription change applied to the store's plan: app_subscriptions/update
-- webhooks come in any order, and an older one must not undo a later change.
ALTER TABLE "Store" ADD COLUMN "subscriptionChangedAt" TIMESTAMP(3);
