import { z } from "zod";
import { billingTestMode, getConfig } from "../config.server";
import { logger } from "../logger.server";
import { applySubscriptionChange, endSubscription, planOfStore, productsUsed, setStorePlan, type StorePlan, type SubscriptionChange } from "../models/stores.server";
import { onceForEvent } from "../webhooks/once.server";
import { adminAppUrl } from "../shopify/admin-origin.server";
import { ACTIVE_SUBSCRIPTIONS, APP_SUBSCRIPTION_CANCEL, APP_SUBSCRIPTION_CREATE } from "../shopify/documents";
import { gatewayFor } from "../shopify/gateways.server";
import { FREE_PLAN, type Plan, type PlanId, planById, planBySubscriptionName, subscriptionName } from "./plans";

/** A store's plan, its current subscription, and how many products the plan counts as used. */
export async function planUsageOf(shop: string, role: string | null): Promise<StorePlan & { used: number }> {
  return { ...(await planOfStore(shop)), used: await productsUsed(shop, role) };
}

export type PlanChange = { kind: "confirm"; confirmationUrl: string } | { kind: "changed"; plan: Plan };

/**
 * The merchant picks a plan. A paid plan creates a recurring charge that the merchant approves on
 * Shopify's page (the plan changes when Shopify confirms it); Free cancels the current charge.
 */
export async function changePlan(shop: string, planId: PlanId): Promise<PlanChange> {
  const plan = planById(planId);
  const current = await planOfStore(shop);
  const gateway = await gatewayFor(shop);
  if (plan.monthlyPrice === 0) {
    if (current.subscriptionId) {
      await gateway.mutate(APP_SUBSCRIPTION_CANCEL, { id: current.subscriptionId }, "appSubscriptionCancel");
      await endSubscription(shop, current.subscriptionId);
    }
    await setStorePlan(shop, FREE_PLAN, null);
    logger.info({ shop }, "plan changed to Free");
    return { kind: "changed", plan: FREE_PLAN };
  }
  const config = getConfig();
  const returnUrl = adminAppUrl(shop, "/app/plan", { origin: config.SHOPIFY_ADMIN_API_ORIGIN, handle: config.SHOPIFY_APP_HANDLE });
  const payload = await gateway.mutate<{ confirmationUrl: string; userErrors: [] }>(APP_SUBSCRIPTION_CREATE, {
    name: subscriptionName(plan), price: plan.monthlyPrice.toFixed(2), returnUrl, test: billingTestMode(config),
  }, "appSubscriptionCreate");
  logger.info({ shop, plan: plan.id }, "subscription created, waiting for the merchant's approval");
  return { kind: "confirm", confirmationUrl: payload.confirmationUrl };
}

/**
 * Reads the shop's active subscription from Shopify and sets the plan from it (when the merchant
 * returns from the approval page, before the webhook may have arrived).
 */
export async function refreshPlanFromShopify(shop: string): Promise<Plan> {
  const gateway = await gatewayFor(shop);
  const data = await gateway.request<{ currentAppInstallation: { activeSubscriptions: { id: string; name: string; status: string; createdAt: string }[] } }>(ACTIVE_SUBSCRIPTIONS);
  const active = data.currentAppInstallation.activeSubscriptions
    .filter((s) => s.status === "ACTIVE" && planBySubscriptionName(s.name))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const plan = active ? planBySubscriptionName(active.name)! : FREE_PLAN;
  await setStorePlan(shop, plan, active?.id ?? null);
  return plan;
}

const subscriptionWebhook = z.object({
  app_subscription: z.object({ admin_graphql_api_id: z.string(), name: z.string(), status: z.string(), updated_at: z.string().datetime({ offset: true }).optional() }),
});

/**
 * app_subscriptions/update: ACTIVE switches the plan; an ended current subscription returns to
 * Free. Each event once (Shopify repeats them), in the order of Shopify's updated_at (it reorders
 * them), and only for a store that installed Tandem.
 */
export async function handleSubscriptionUpdate({ shop, eventId, payload }: { shop: string; eventId: string; payload: unknown }): Promise<"applied" | "ignored" | "duplicate"> {
  const parsed = subscriptionWebhook.safeParse(payload);
  if (!parsed.success) {
    logger.warn({ shop }, "app_subscriptions/update without a subscription: ignored");
    return "ignored";
  }
  const { admin_graphql_api_id: id, name, status, updated_at: updatedAt } = parsed.data.app_subscription;
  const plan = planBySubscriptionName(name);
  const change: SubscriptionChange | null = status === "ACTIVE" && plan ? { kind: "activate", plan, subscriptionId: id }
    : ["CANCELLED", "DECLINED", "EXPIRED", "FROZEN"].includes(status) ? { kind: "end", subscriptionId: id } : null;
  if (!change) return "ignored";
  return onceForEvent({ eventId, shop, topic: "app_subscriptions/update" }, async () => {
    const applied = await applySubscriptionChange(shop, change, updatedAt ? new Date(updatedAt) : null);
    logger.info({ shop, status, plan: plan?.id, applied }, applied ? "subscription change applied" : "subscription change ignored: an unknown store, another subscription, or older than the plan's last change");
    return applied ? "applied" : "ignored";
  });
}
