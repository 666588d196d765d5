-- The sync log gains the "unlinked" action (a product that left the primary's selection stopped syncing).
ALTER TABLE "SyncLog" DROP CONSTRAINT "SyncLog_action_check";
ALTER TABLE "SyncLog" ADD CONSTRAINT "SyncLog_action_check"
    CHECK ("action" IN ('created', 'updated', 'skipped', 'error', 'archived', 'deleted', 'stock', 'order', 'unlinked'));
