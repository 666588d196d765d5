import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { z } from "zod";
import { changePlan, refreshPlanFromShopify } from "../billing/billing.server";
import { PLANS, isPlanId } from "../billing/plans";
import { planOfStore, productsUsed } from "../models/stores.server";
import { ShopifyUserErrors } from "../shopify/errors";
import { openStore } from "../jobs/enqueue.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  // Back from Shopify's approval page: the webhook may not have arrived yet, so ask Shopify.
  const chargeId = new URL(request.url).searchParams.get("charge_id");
  if (chargeId) await refreshPlanFromShopify(session.shop);
  const { plan, subscriptionId } = await planOfStore(session.shop);
  return {
    returning: chargeId === null ? null : { approved: subscriptionId?.endsWith(`/AppSubscription/${chargeId}`) ?? false },
    current: plan,
    used: await productsUsed(session.shop, store.role),
    role: store.role,
    plans: PLANS,
  };
};

const actionSchema = z.object({ intent: z.literal("choose"), plan: z.string().refine(isPlanId, "Unknown plan") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, message: "Choose one of the plans listed.", confirmationUrl: null };
  try {
    const change = await changePlan(session.shop, parsed.data.plan as (typeof PLANS)[number]["id"]);
    if (change.kind === "confirm") return { ok: true as const, message: "Approve the charge on Shopify's page.", confirmationUrl: change.confirmationUrl };
    return { ok: true as const, message: `You are now on the ${change.plan.name} plan.`, confirmationUrl: null };
  } catch (error) {
    if (error instanceof ShopifyUserErrors) return { ok: false as const, message: `Shopify refused the change: ${error.userErrors.map((e) => e.message).join("; ")}`, confirmationUrl: null };
    throw error;
  }
};

const limitText = (limit: number | null, noun: string) => (limit === null ? `Unlimited ${noun}` : `${limit.toLocaleString("en-US")} ${noun}`);

export default function PlanPage() {
  const { current, used, plans, returning, role } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  useEffect(() => {
    // Shopify's approval page must replace the whole admin, not load inside the app's iframe.
    if (fetcher.data?.confirmationUrl) window.open(fetcher.data.confirmationUrl, "_top");
  }, [fetcher.data]);
  const limit = current.productLimit;
  return (
    <Page title="Plan" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        {returning ? (
          <Layout.Section>
            <Banner tone={returning.approved ? "success" : "info"} title={`You are on the ${current.name} plan`}>
              <p>{returning.approved ? "Thank you. The new limits apply from the next sync." : "The charge was not approved, so your plan did not change."}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {fetcher.data && !fetcher.data.confirmationUrl ? (
          <Layout.Section>
            <Banner tone={fetcher.data.ok ? "success" : "critical"}>{fetcher.data.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">Current plan: {current.name}</Text>
                <Badge tone="info">{current.monthlyPrice === 0 ? "Free" : `$${current.monthlyPrice}/month`}</Badge>
              </InlineStack>
              <Text as="p">
                {limit === null ? `${used.toLocaleString("en-US")} products synced, no limit.` : `${used.toLocaleString("en-US")} of ${limit.toLocaleString("en-US")} products used.`}
                {role === "primary" ? ` Connects ${current.dependentLimit === null ? "any number of" : `up to ${current.dependentLimit}`} dependent store(s).` : ""}
              </Text>
              {limit !== null ? <ProgressBar progress={Math.min(100, Math.round((used / limit) * 100))} tone={used >= limit ? "critical" : "primary"} size="small" /> : null}
              <Text as="p" tone="subdued">Each connected store has its own plan. A product syncs when both stores&apos; plans have room for it; products over the limit are listed in the sync log.</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            {plans.map((plan) => (
              <Card key={plan.id}>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingMd">{plan.name}</Text>
                  <Text as="p" variant="headingLg">{plan.monthlyPrice === 0 ? "Free" : `$${plan.monthlyPrice}/month`}</Text>
                  <Text as="p">{limitText(plan.productLimit, "products")}</Text>
                  <Text as="p">{limitText(plan.dependentLimit, "dependent stores")}</Text>
                  <Box>
                    {plan.id === current.id ? (
                      <Badge tone="success">Current plan</Badge>
                    ) : (
                      <fetcher.Form method="post">
                        <input type="hidden" name="intent" value="choose" />
                        <input type="hidden" name="plan" value={plan.id} />
                        <Button submit loading={busy && fetcher.formData?.get("plan") === plan.id} disabled={busy} variant={plan.monthlyPrice > current.monthlyPrice ? "primary" : "secondary"}>
                          {plan.monthlyPrice > current.monthlyPrice ? `Upgrade to ${plan.name}` : `Switch to ${plan.name}`}
                        </Button>
                      </fetcher.Form>
                    )}
                  </Box>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
