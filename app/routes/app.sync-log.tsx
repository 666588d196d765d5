import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Select, Text } from "@shopify/polaris";
import { SkuSearch } from "../components/SkuSearch";
import { SyncLogActionBadge } from "../components/sync-log";
import { useT } from "../i18n/react";
import { SYNC_LOG_ACTIONS } from "../models/syncLogActions";
import { querySyncLog, syncLogFiltersSchema } from "../services/sync-log.server";
import { connectionsOf } from "../services/network.server";
import { authenticate } from "../shopify.server";

/** The sync log (seed 003), newest first, filtered and paginated; a store sees only its network's entries. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = syncLogFiltersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => i.message).join("; "), { status: 400 });
  const { store, action, sku, job, cursor, direction, pageSize } = parsed.data;
  const page = await querySyncLog({ shop: session.shop, dependentShop: store, actions: action, sku, jobId: job, cursor, direction, pageSize });
  const stores = [...new Set((await connectionsOf(session.shop)).map((c) => c.dependentShop))].sort();
  return {
    entries: page.entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    stores,
  };
};

/** IndexTable keeps each cell on one line: long titles and messages wrap in their column instead of running past the table's edge. */
const WRAPPED = { whiteSpace: "normal", overflowWrap: "anywhere", minWidth: 120 } as const;

export default function SyncLogPage() {
  const { entries, nextCursor, previousCursor, stores } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [exporting, setExporting] = useState<"idle" | "busy" | "failed">("idle");
  const t = useT();

  /** Changes one filter and goes back to the newest page. */
  const filter = (name: "store" | "action" | "sku" | "job", value: string) => {
    const next = new URLSearchParams(params);
    for (const key of ["cursor", "direction"]) next.delete(key);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const page = (cursor: string, direction: "next" | "previous") => {
    const next = new URLSearchParams(params);
    next.set("cursor", cursor);
    next.set("direction", direction);
    setParams(next);
  };

  // The download goes through fetch, which App Bridge signs with the session token (a plain link would not be).
  const exportCsv = async () => {
    setExporting("busy");
    try {
      const filters = new URLSearchParams(params);
      for (const key of ["cursor", "direction", "pageSize"]) filters.delete(key);
      filters.set("locale", t.locale);
      const response = await fetch(`/app/sync-log.csv?${filters}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = "tandem-sync-log.csv";
      link.click();
      URL.revokeObjectURL(url);
      setExporting("idle");
    } catch {
      setExporting("failed");
    }
  };

  const filtered = ["store", "action", "sku", "job"].some((key) => params.get(key));
  // Opened from a task's menu: an empty log means the task changed nothing, not that a filter is wrong.
  const ofOneTask = Boolean(params.get("job")) && !["store", "action", "sku"].some((key) => params.get(key));
  return (
    <Page
      title={t("log.title")}
      subtitle={t("log.subtitle")}
      backAction={{ content: t("nav.dashboard"), url: "/app" }}
      secondaryActions={[{ content: exporting === "busy" ? t("log.exporting") : t("log.export"), onAction: exportCsv, disabled: exporting === "busy" }]}
    >
      <BlockStack gap="300">
        {exporting === "failed" ? <Text as="p" tone="critical">{t("log.exportFailed")}</Text> : null}
        <Card>
          <InlineStack gap="300" blockAlign="end" wrap>
            {stores.length > 0 ? (
              <Select
                label={t("log.store")}
                options={[{ label: t("log.allStores"), value: "" }, ...stores.map((store) => ({ label: store, value: store }))]}
                value={params.get("store") ?? ""}
                onChange={(value) => filter("store", value)}
              />
            ) : null}
            <Select
              label={t("log.kind")}
              options={[{ label: t("log.allKinds"), value: "" }, ...SYNC_LOG_ACTIONS.map((action) => ({ label: t(`log.action.${action}`), value: action }))]}
              value={params.get("action") ?? ""}
              onChange={(value) => filter("action", value)}
            />
            <SkuSearch initial={params.get("sku") ?? ""} onSearch={(sku) => filter("sku", sku)} />
            {params.get("job") ? <Button onClick={() => filter("job", "")}>{t("log.everyTask")}</Button> : null}
          </InlineStack>
        </Card>
        <Card padding="0">
          {entries.length === 0 ? (
            <EmptyState heading={ofOneTask ? t("log.noEntryOfTask") : filtered ? t("log.noMatch") : t("log.empty")} image="">
              <p>{ofOneTask ? t("log.noEntryOfTaskBody") : filtered ? t("log.noMatchBody") : t("log.emptyBody")}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: t("log.entry"), plural: t("log.entries") }}
              itemCount={entries.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[{ title: t("log.date") }, { title: t("log.store") }, { title: t("log.product") }, { title: t("common.sku") }, { title: t("log.kind") }, { title: t("log.what") }]}
              pagination={{
                hasPrevious: previousCursor !== null,
                onPrevious: () => previousCursor && page(previousCursor, "previous"),
                hasNext: nextCursor !== null,
                onNext: () => nextCursor && page(nextCursor, "next"),
              }}
            >
              {entries.map((entry, index) => (
                <IndexTable.Row id={entry.id} key={entry.id} position={index} onClick={() => navigate(`/app/sync-log/${entry.id}`)}>
                  <IndexTable.Cell><div style={WRAPPED}>{t.dateTime(entry.createdAt)}</div></IndexTable.Cell>
                  <IndexTable.Cell>{entry.dependentShop}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={WRAPPED}>
                      <Text as="span" fontWeight="semibold">{entry.productTitle ?? t("common.none")}</Text>
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{entry.skus.length > 2 ? `${entry.skus.slice(0, 2).join(", ")} +${entry.skus.length - 2}` : entry.skus.join(", ") || t("common.none")}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <SyncLogActionBadge action={entry.action} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ ...WRAPPED, minWidth: 240 }}>
                      <Text as="span">{t.text(entry.texts?.message, entry.message)}</Text>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
