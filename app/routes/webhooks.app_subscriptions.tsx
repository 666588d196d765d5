import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSubscriptionUpdate } from "../billing/billing.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticateWebhook(request);
  await handleSubscriptionUpdate(shop, payload);
  return new Response();
};
