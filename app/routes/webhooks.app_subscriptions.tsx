import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSubscriptionUpdate } from "../billing/billing.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, eventId, webhookId } = await authenticateWebhook(request);
  await handleSubscriptionUpdate({ shop, eventId: eventId ?? webhookId, payload });
  return new Response();
};
