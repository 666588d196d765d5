import { useCallback, useEffect, useState } from "react";
import { AdminBlock, Badge, BlockStack, Button, InlineStack, ProgressIndicator, Text, reactExtension, useApi } from "@shopify/ui-extensions-react/admin";

// The admin adds the extension's ID token to fetches of the app's own URL (relative URLs resolve to
// the app's application_url); /api/product-sync checks it with authenticate.admin. The block's own
// strings come from locales/*.json; the endpoint writes its messages in the locale the block asks for.
const TARGET = "admin.product-details.block.render";

type StoreState = { shop: string; state: "linked" | "problem" | "not-linked"; variants?: number; problem?: { message: string; fix: string | null } | null };
type Status = { synced: false; message: string } | { synced: true; primaryShop: string; stores: StoreState[] };

export default reactExtension(TARGET, () => <ProductSyncBlock />);

function ProductSyncBlock() {
  const { data, i18n } = useApi(TARGET);
  const t = (key: string, replacements?: Record<string, string | number>) => String(i18n.translate(key, replacements));
  // The admin API does not expose the locale; the locale file the admin picked names it.
  const locale = t("locale");
  const productId = data.selected[0]?.id;
  const [status, setStatus] = useState<Status | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const response = await fetch(`/api/product-sync?productId=${encodeURIComponent(productId)}&locale=${encodeURIComponent(locale)}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      setStatus((await response.json()) as Status);
    } catch {
      setStatus({ synced: false, message: t("unavailable") });
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
      setMessage(t("noAnswer"));
    }
    setBusy(false);
    await load();
  };

  if (!status) {
    return (
      <AdminBlock title={t("title")}>
        <ProgressIndicator size="small-200" />
      </AdminBlock>
    );
  }
  return (
    <AdminBlock title={t("title")}>
      <BlockStack gap>
        {status.synced ? (
          status.stores.map((store) => (
            <BlockStack key={store.shop} gap="small">
              <InlineStack gap inlineAlignment="space-between">
                <Text fontWeight="bold">{store.shop}</Text>
                <Badge tone={store.state === "linked" ? (store.problem ? "warning" : "success") : store.state === "problem" ? "critical" : "info"}>
                  {store.state === "linked" ? t("linked", { count: store.variants ?? 0 }) : store.state === "problem" ? t("notSynced") : t("notLinked")}
                </Badge>
              </InlineStack>
              {store.problem ? <Text>{store.problem.fix ? t("problemWithFix", { problem: store.problem.message, fix: store.problem.fix }) : store.problem.message}</Text> : null}
            </BlockStack>
          ))
        ) : (
          <Text>{status.message}</Text>
        )}
        {message ? <Text>{message}</Text> : null}
        {status.synced ? <Button onPress={syncNow} disabled={busy}>{t("syncNow")}</Button> : null}
      </BlockStack>
    </AdminBlock>
  );
}
