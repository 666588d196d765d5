/** What a sync log entry records; shared by the model and the pages that label and filter entries. */
export const SYNC_LOG_ACTIONS = ["created", "updated", "skipped", "error", "archived", "deleted", "stock", "order", "unlinked"] as const;
export type SyncLogAction = (typeof SYNC_LOG_ACTIONS)[number];
