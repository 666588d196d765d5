import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleOrderWebhook } from "../webhooks/orders.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload, eventId, webhookId } = await authenticate.webhook(request);
  const outcome = await handleOrderWebhook({ shop, topic: String(topic).toLowerCase().replace("_", "/"), eventId: eventId ?? webhookId, payload });
  return new Response(null, { status: outcome === "invalid" ? 400 : 200 });
};
