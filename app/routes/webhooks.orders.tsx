import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOrderWebhook } from "../webhooks/orders.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload, eventId, webhookId } = await authenticateWebhook(request);
  // Every outcome is acknowledged, an unreadable body too (it is logged): only a failure answers 500.
  await handleOrderWebhook({ shop, topic: String(topic).toLowerCase().replace("_", "/"), eventId: eventId ?? webhookId, payload });
  return new Response();
};
