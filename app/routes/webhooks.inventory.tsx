import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleInventoryWebhook, inventoryItemGidFromLevel, locationGidFromLevel } from "../webhooks/catalogue.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const raw = await request.clone().text();
  const { shop, payload, eventId, webhookId } = await authenticate.webhook(request);
  const inventoryItemId = inventoryItemGidFromLevel(payload as Record<string, unknown>, raw);
  if (!inventoryItemId) return new Response("Missing inventory item", { status: 400 });
  const { available, updated_at: updatedAt } = payload as { available?: unknown; updated_at?: unknown };
  await handleInventoryWebhook({
    shop, eventId: eventId ?? webhookId, inventoryItemId, locationId: locationGidFromLevel(raw), available: typeof available === "number" ? available : null,
    updatedAt: typeof updatedAt === "string" ? updatedAt : null,
  });
  return new Response();
};
