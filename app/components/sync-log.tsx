import { Badge } from "@shopify/polaris";
import type { SyncLogAction } from "../models/syncLog.server";

export const SYNC_LOG_ACTION_LABELS: Record<SyncLogAction, string> = {
  created: "Created", updated: "Updated", skipped: "Skipped", error: "Error", archived: "Archived", deleted: "Deleted", stock: "Stock", order: "Order",
};

const TONES: Partial<Record<SyncLogAction, "success" | "info" | "warning" | "critical">> = {
  created: "success", updated: "info", skipped: "warning", error: "critical",
};

export function SyncLogActionBadge({ action }: { action: string }) {
  const known = action as SyncLogAction;
  return <Badge tone={TONES[known]}>{SYNC_LOG_ACTION_LABELS[known] ?? action}</Badge>;
}
