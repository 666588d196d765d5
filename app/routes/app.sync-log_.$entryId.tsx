import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, DescriptionList, Layout, Page, Text } from "@shopify/polaris";
import { SyncLogActionBadge } from "../components/sync-log";
import { syncLogEntryOf } from "../models/syncLog.server";
import { authenticate } from "../shopify.server";

/** One sync log entry in full: what happened, to which product and SKUs, and the suggested fix. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const entry = await syncLogEntryOf(session.shop, params.entryId ?? "");
  // Another network's entry is as absent as one that never existed.
  if (!entry) throw new Response("This sync log entry does not exist", { status: 404 });
  return { entry: { ...entry, createdAt: entry.createdAt.toISOString() } };
};

export default function SyncLogEntryPage() {
  const { entry } = useLoaderData<typeof loader>();
  const items = [
    { term: "Date", description: new Date(entry.createdAt).toUTCString() },
    { term: "Store", description: entry.dependentShop },
    { term: "Primary store", description: entry.primaryShop },
    { term: "Product", description: entry.productTitle ?? "—" },
    { term: "SKUs", description: entry.skus.join(", ") || "—" },
    { term: "Fields", description: entry.fields.join(", ") || "—" },
    { term: "Primary product", description: entry.primaryProductId ?? "—" },
    { term: "Product in this store", description: entry.dependentProductId ?? "—" },
    { term: "Task", description: entry.jobId ?? "—" },
  ];
  return (
    <Page title={entry.productTitle ?? "Sync log entry"} titleMetadata={<SyncLogActionBadge action={entry.action} />} backAction={{ content: "Sync log", url: "/app/sync-log" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {entry.fix ? (
              <Banner tone={entry.action === "error" ? "critical" : "warning"} title="How to fix it">
                <p>{entry.fix}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">What happened</Text>
                <Text as="p">{entry.message}</Text>
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
