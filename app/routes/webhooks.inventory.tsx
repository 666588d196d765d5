import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleInventoryWebhook, inventoryItemGidFromLevel } from "../webhooks/catalogue.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const raw = await request.clone().text();
  const { shop, payload, eventId, webhookId } = await authenticate.webhook(request);
  const inventoryItemId = inventoryItemGidFromLevel(payload as Record<string, unknown>, raw);
  if (!inventoryItemId) return new Response("Missing inventory item", { status: 400 });
  await handleInventoryWebhook({ shop, eventId: eventId ?? webhookId, inventoryItemId });
  return new Response();
};
