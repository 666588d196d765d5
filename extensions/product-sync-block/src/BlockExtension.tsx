/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";

// Admin UI extensions from 2025-10 on render Polaris web components (s-*) with Preact; the admin
// sets the `shopify` global (this target's API, typed in ../shopify.d.ts). It adds the extension's
// ID token to fetches of the app's own URL (relative URLs resolve to the app's application_url);
// /api/product-sync checks it with authenticate.admin. The block's own strings come from
// locales/*.json; the endpoint writes its messages in the locale the block asks for.

type StoreState = {
  shop: string;
  state: "linked" | "problem" | "not-linked" | "excluded";
  variants?: number;
  problem?: { message: string; fix: string | null } | null;
  /** Who took an excluded product out of the sync: the primary, or this store. */
  by?: "primary" | "store";
};
type Status = { synced: false; message: string } | { synced: true; primaryShop: string; stores: StoreState[] };

export default async () => {
  render(<ProductSyncBlock />, document.body);
};

function translate(key: string, replacements?: Record<string, string | number>) {
  return String(shopify.i18n.translate(key, replacements));
}

function badgeOf(store: StoreState) {
  if (store.state === "linked") return { tone: store.problem ? "warning" : "success", label: translate("linked", { count: store.variants ?? 0 }) } as const;
  if (store.state === "problem") return { tone: "critical", label: translate("notSynced") } as const;
  if (store.state === "excluded") return { tone: "warning", label: translate(store.by === "primary" ? "excludedByPrimary" : "unlinkedHere") } as const;
  return { tone: "info", label: translate("notLinked") } as const;
}

function ProductSyncBlock() {
  // The admin API does not expose the locale; the locale file the admin picked names it.
  const locale = translate("locale");
  const productId = shopify.data.selected[0]?.id ?? "";
  const [status, setStatus] = useState<Status | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const response = await fetch(`/api/product-sync?productId=${encodeURIComponent(productId)}&locale=${encodeURIComponent(locale)}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      setStatus((await response.json()) as Status);
    } catch {
      setStatus({ synced: false, message: translate("unavailable") });
    }
  }, [productId, locale]);

  useEffect(() => {
    void load();
  }, [load]);

  const syncNow = async () => {
    setBusy(true);
    const body = new FormData();
    body.append("intent", "sync-now");
    body.append("productId", productId);
    body.append("locale", locale);
    try {
      const response = await fetch("/api/product-sync", { method: "POST", body });
      setMessage(((await response.json()) as { message: string }).message);
    } catch {
      setMessage(translate("noAnswer"));
    }
    setBusy(false);
    await load();
  };

  if (!status) {
    return (
      <s-admin-block heading={translate("title")}>
        <s-spinner accessibilityLabel={translate("loading")} />
      </s-admin-block>
    );
  }
  return (
    <s-admin-block heading={translate("title")}>
      <s-stack direction="block" gap="base">
        {status.synced ? (
          status.stores.map((store) => {
            const badge = badgeOf(store);
            return (
              <s-stack key={store.shop} direction="block" gap="small">
                <s-stack direction="inline" gap="base" justifyContent="space-between">
                  <s-text type="strong">{store.shop}</s-text>
                  <s-badge tone={badge.tone}>{badge.label}</s-badge>
                </s-stack>
                {store.problem ? <s-text>{store.problem.fix ? translate("problemWithFix", { problem: store.problem.message, fix: store.problem.fix }) : store.problem.message}</s-text> : null}
              </s-stack>
            );
          })
        ) : (
          <s-text>{status.message}</s-text>
        )}
        {message ? <s-text>{message}</s-text> : null}
        {status.synced && status.stores.every((store) => store.state === "excluded") ? (
          <s-text>{translate("outOfSync")}</s-text>
        ) : status.synced ? (
          <s-button onClick={syncNow} disabled={busy} loading={busy}>
            {translate("syncNow")}
          </s-button>
        ) : null}
      </s-stack>
    </s-admin-block>
  );
}
