import { useEffect, useRef } from "react";
import type { Text } from "../i18n";
import { useT } from "../i18n/react";

/** What an action answers: `partial` when part of it was not done (a store skipped), which a toast would hide. */
export type ActionNotice = { ok: boolean; message: Text; partial?: boolean };

/**
 * A change made is confirmed with an App Bridge toast, once per answer (Shopify's admin
 * convention). Returns whether `result` is such a change: what went wrong, or was only partly
 * done, stays on the page as a banner instead.
 */
export function useSuccessToast(result: ActionNotice | undefined): boolean {
  const t = useT();
  const toastable = Boolean(result?.ok && !result.partial);
  const toasted = useRef<ActionNotice | undefined>(undefined);
  useEffect(() => {
    if (!result || !toastable || toasted.current === result) return;
    toasted.current = result;
    window.shopify?.toast.show(t.text(result.message));
  }, [result, toastable, t]);
  return toastable;
}
