import type { ActionFunctionArgs } from "@remix-run/node";
import { productGidFromDeleteBody } from "../webhooks/bodies";
import { handleProductWebhook } from "../webhooks/catalogue.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload, eventId, webhookId, rawBody: raw } = await authenticateWebhook(request);
  const productId = topic === "PRODUCTS_DELETE" ? productGidFromDeleteBody(raw) : (payload as { admin_graphql_api_id?: string }).admin_graphql_api_id;
  if (!productId) return new Response("Missing product id", { status: 400 });
  await handleProductWebhook({ shop, topic, eventId: eventId ?? webhookId, productId });
  return new Response();
};
