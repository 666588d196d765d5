import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleCollectionWebhook } from "../webhooks/catalogue.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, eventId, webhookId } = await authenticate.webhook(request);
  await handleCollectionWebhook({ shop, topic, eventId: eventId ?? webhookId });
  return new Response();
};
