import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { z } from "zod";
import { changePlan, planUsageOf, refreshPlanFromShopify } from "../billing/billing.server";
import { PLANS, type PlanId, isPlanId, planById } from "../billing/plans";
import { ShopifyUserErrors } from "../shopify/errors";
import { openStore } from "../services/sync.server";
import { text } from "../i18n";
import { useT } from "../i18n/react";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  // Back from Shopify's approval page: the webhook may not have arrived yet, so ask Shopify.
  const chargeId = new URL(request.url).searchParams.get("charge_id");
  if (chargeId) await refreshPlanFromShopify(session.shop);
  const { plan, subscriptionId, used } = await planUsageOf(session.shop, store.role);
  return {
    returning: chargeId === null ? null : { approved: subscriptionId?.endsWith(`/AppSubscription/${chargeId}`) ?? false },
    current: plan,
    used,
    role: store.role,
    plans: PLANS,
  };
};

const actionSchema = z.object({ intent: z.literal("choose"), plan: z.string().refine(isPlanId), confirmed: z.literal("yes").optional() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The store's row exists before its charge does: Shopify's confirmation applies only to a known store.
  const store = await openStore(session.shop);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, message: text("plan.chooseListed"), confirmationUrl: null };
  const target = planById(parsed.data.plan as PlanId);
  // A paid plan ends at once when Free is chosen (a paid change goes through Shopify's approval
  // page instead): asked first, with what the smaller limit does to this store.
  const { plan: current, used } = await planUsageOf(session.shop, store.role);
  if (target.monthlyPrice === 0 && current.monthlyPrice > 0 && !parsed.data.confirmed) {
    return { ok: false as const, message: text("plan.confirmFree", { name: target.name, current: current.name, limit: target.productLimit ?? 0, used }), confirmationUrl: null, confirm: target.id };
  }
  try {
    const change = await changePlan(session.shop, parsed.data.plan as (typeof PLANS)[number]["id"]);
    if (change.kind === "confirm") return { ok: true as const, message: text("plan.approve"), confirmationUrl: change.confirmationUrl };
    return { ok: true as const, message: text("plan.changed", { name: change.plan.name }), confirmationUrl: null };
  } catch (error) {
    if (error instanceof ShopifyUserErrors) return { ok: false as const, message: text("plan.refused", { reason: error.userErrors.map((e) => e.message).join("; ") }), confirmationUrl: null };
    throw error;
  }
};

export default function PlanPage() {
  const { current, used, plans, returning, role } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const t = useT();
  const price = (monthlyPrice: number) => (monthlyPrice === 0 ? t("plan.free") : t("plan.perMonth", { price: monthlyPrice }));
  useEffect(() => {
    // Shopify's approval page must replace the whole admin, not load inside the app's iframe.
    if (fetcher.data?.confirmationUrl) window.open(fetcher.data.confirmationUrl, "_top");
  }, [fetcher.data]);
  const limit = current.productLimit;
  // A new answer (another plan asked for) shows its confirmation again.
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => setDismissed(false), [fetcher.data]);
  const planName = (id: string) => plans.find((plan) => plan.id === id)?.name ?? id;
  return (
    <Page title={t("plan.title")} backAction={{ content: t("nav.dashboard"), url: "/app" }}>
      <Layout>
        {returning ? (
          <Layout.Section>
            <Banner tone={returning.approved ? "success" : "info"} title={t("plan.youAreOn", { name: current.name })}>
              <p>{returning.approved ? t("plan.thanks") : t("plan.notApproved")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {fetcher.data && "confirm" in fetcher.data && fetcher.data.confirm && !dismissed ? (
          <Layout.Section>
            <Banner tone="warning" onDismiss={() => setDismissed(true)}>
              <BlockStack gap="200">
                <p>{t.text(fetcher.data.message)}</p>
                <InlineStack gap="200">
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="choose" />
                    <input type="hidden" name="plan" value={fetcher.data.confirm} />
                    <input type="hidden" name="confirmed" value="yes" />
                    <Button submit tone="critical" loading={busy} disabled={busy}>{t("plan.confirmSwitch", { name: planName(fetcher.data.confirm) })}</Button>
                  </fetcher.Form>
                  <Button onClick={() => setDismissed(true)} disabled={busy}>{t("plan.keep", { name: current.name })}</Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {fetcher.data && !fetcher.data.confirmationUrl && !("confirm" in fetcher.data && fetcher.data.confirm) ? (
          <Layout.Section>
            <Banner tone={fetcher.data.ok ? "success" : "critical"}>{t.text(fetcher.data.message)}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">{t("plan.current", { name: current.name })}</Text>
                <Badge tone="info">{price(current.monthlyPrice)}</Badge>
              </InlineStack>
              <Text as="p">
                {limit === null ? t("plan.usedUnlimited", { used }) : t("plan.used", { used, limit })}
                {role === "primary" ? (current.dependentLimit === null ? t("plan.connectsAny") : t("plan.connectsUpTo", { limit: current.dependentLimit })) : ""}
              </Text>
              {limit !== null ? <ProgressBar progress={Math.min(100, Math.round((used / limit) * 100))} tone={used >= limit ? "critical" : "primary"} size="small" /> : null}
              <Text as="p" tone="subdued">{t("plan.eachStore")}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            {plans.map((plan) => (
              <Card key={plan.id}>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingMd">{plan.name}</Text>
                  <Text as="p" variant="headingLg">{price(plan.monthlyPrice)}</Text>
                  <Text as="p">{plan.productLimit === null ? t("plan.unlimitedProducts") : t("plan.products", { limit: plan.productLimit })}</Text>
                  <Text as="p">{plan.dependentLimit === null ? t("plan.unlimitedDependents") : t("plan.dependents", { limit: plan.dependentLimit })}</Text>
                  <Box>
                    {plan.id === current.id ? (
                      <Badge tone="success">{t("plan.currentBadge")}</Badge>
                    ) : (
                      <fetcher.Form method="post">
                        <input type="hidden" name="intent" value="choose" />
                        <input type="hidden" name="plan" value={plan.id} />
                        <Button submit loading={busy && fetcher.formData?.get("plan") === plan.id} disabled={busy} variant={plan.monthlyPrice > current.monthlyPrice ? "primary" : "secondary"}>
                          {plan.monthlyPrice > current.monthlyPrice ? t("plan.upgradeTo", { name: plan.name }) : t("plan.switchTo", { name: plan.name })}
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

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
