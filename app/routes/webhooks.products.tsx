import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleProductWebhook, productGidFromDeleteBody } from "../webhooks/catalogue.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const raw = await request.clone().text();
  const { shop, topic, payload, eventId, webhookId } = await authenticate.webhook(request);
  const productId = topic === "PRODUCTS_DELETE" ? productGidFromDeleteBody(raw) : (payload as { admin_graphql_api_id?: string }).admin_graphql_api_id;
  if (!productId) return new Response("Missing product id", { status: 400 });
  await handleProductWebhook({ shop, topic, eventId: eventId ?? webhookId, productId });
  return new Response();
};
