import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, DescriptionList, Layout, Page, Text } from "@shopify/polaris";
import { SyncLogActionBadge } from "../components/sync-log";
import { useT } from "../i18n/react";
import { syncLogEntryOf } from "../services/sync-log.server";
import { english } from "../i18n";
import { authenticate } from "../shopify.server";

/** One sync log entry in full: what happened, to which product and SKUs, and the suggested fix. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const entry = await syncLogEntryOf(session.shop, params.entryId ?? "");
  // Another network's entry is as absent as one that never existed.
  if (!entry) throw new Response(english("log.notFound"), { status: 404 });
  return { entry: { ...entry, createdAt: entry.createdAt.toISOString() } };
};

export default function SyncLogEntryPage() {
  const { entry } = useLoaderData<typeof loader>();
  const t = useT();
  const none = t("common.none");
  const items = [
    { term: t("log.dateTerm"), description: t.dateTime(entry.createdAt) },
    { term: t("log.store"), description: entry.dependentShop },
    { term: t("log.primaryStore"), description: entry.primaryShop },
    { term: t("log.product"), description: entry.productTitle ?? none },
    { term: t("log.skus"), description: entry.skus.join(", ") || none },
    { term: t("log.fields"), description: entry.fields.length > 0 ? t("log.fieldList", { fields: entry.fields.join(", ") }) : none },
    { term: t("log.primaryProduct"), description: entry.primaryProductId ?? none },
    { term: t("log.dependentProduct"), description: entry.dependentProductId ?? none },
    { term: t("log.task"), description: entry.jobId ?? none },
  ];
  const fix = t.text(entry.texts?.fix, entry.fix ?? "");
  return (
    <Page title={entry.productTitle ?? t("log.entryTitle")} titleMetadata={<SyncLogActionBadge action={entry.action} />} backAction={{ content: t("log.title"), url: "/app/sync-log" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {fix ? (
              <Banner tone={entry.action === "error" ? "critical" : "warning"} title={t("log.howToFix")}>
                <p>{fix}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t("log.what")}</Text>
                <Text as="p">{t.text(entry.texts?.message, entry.message)}</Text>
              </BlockStack>
            </Card>
            <Card>
              <DescriptionList items={items} />
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
