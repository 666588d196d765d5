import { Badge } from "@shopify/polaris";
import { useT } from "../i18n/react";
import { SYNC_LOG_ACTIONS, type SyncLogAction } from "../models/syncLogActions";

const TONES: Partial<Record<SyncLogAction, "success" | "info" | "warning" | "critical">> = {
  created: "success", updated: "info", skipped: "warning", error: "critical",
};

export function SyncLogActionBadge({ action }: { action: string }) {
  const t = useT();
  const known = SYNC_LOG_ACTIONS.includes(action as SyncLogAction) ? (action as SyncLogAction) : null;
  return <Badge tone={known ? TONES[known] : undefined}>{known ? t(`log.action.${known}`) : action}</Badge>;
}
