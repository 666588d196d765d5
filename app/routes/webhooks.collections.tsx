import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCollectionWebhook } from "../webhooks/catalogue.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, eventId, webhookId } = await authenticateWebhook(request);
  await handleCollectionWebhook({ shop, topic, eventId: eventId ?? webhookId });
  return new Response();
};
