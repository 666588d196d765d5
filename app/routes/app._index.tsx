import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, Banner, BlockStack, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { connectionsOf, ensureStore } from "../network/network.server";
import { type ConnectionStatus, ConnectionStatusBadge } from "../components/network";
import { authenticate } from "../shopify.server";


export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await ensureStore(session.shop);
  // A first visit goes to onboarding. Client-side, because a document redirect inside the admin
  // iframe would drop the session token the admin put in the URL.
  if (!store.role) return { shop: session.shop, role: null, setupIncomplete: false, stores: [] };
  const connections = await connectionsOf(session.shop);
  return {
    shop: session.shop,
    role: store.role,
    setupIncomplete: store.role === "dependent" && !store.setupCompletedAt,
    stores: connections.map((c) => ({
      id: c.id,
      shop: store.role === "primary" ? c.dependentShop : c.primaryShop,
      role: store.role === "primary" ? "Dependent" : "Primary",
      status: c.status as ConnectionStatus,
    })),
  };
};

export default function Dashboard() {
  const { shop, role, setupIncomplete, stores } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  useEffect(() => {
    if (role === null) navigate("/app/onboarding", { replace: true });
  }, [role, navigate]);
  if (role === null) {
    return (
      <Page title="Welcome to Tandem">
        <Text as="p">
          <Link to="/app/onboarding">Set up Tandem</Link> to choose this store&apos;s role.
        </Text>
      </Page>
    );
  }
  return (
    <Page title="Dashboard" subtitle={`${shop} · ${role === "primary" ? "Primary store" : "Dependent store"}`}>
      <Layout>
        {setupIncomplete ? (
          <Layout.Section>
            <Banner tone="warning" title="Setup incomplete" action={{ content: "Finish setup", url: "/app/onboarding" }}>
              <p>Choose what to sync from the primary store and where stock goes. Until then nothing is synced to this store.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Connected stores</Text>
              {stores.length === 0 ? (
                <EmptyState
                  heading={role === "primary" ? "No store is connected yet" : "Not connected to a primary store"}
                  action={{ content: role === "primary" ? "Share your key or invite a store" : "Connect to a primary store", url: "/app/onboarding" }}
                  image=""
                >
                  <p>{role === "primary" ? "Dependent stores connect with your connection key or accept your invitation." : "Paste the primary store's key or accept its invitation."}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {stores.map((store) => (
                    <InlineStack key={store.id} gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">{store.shop}</Text>
                      <Badge>{store.role}</Badge>
                      <ConnectionStatusBadge status={store.status} />
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
