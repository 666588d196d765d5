import type { ActionFunctionArgs } from "@remix-run/node";
import { inventoryItemGidFromLevel, locationGidFromLevel } from "../webhooks/bodies";
import { handleInventoryWebhook } from "../webhooks/catalogue.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, eventId, webhookId, rawBody: raw } = await authenticateWebhook(request);
  const inventoryItemId = inventoryItemGidFromLevel(payload as Record<string, unknown>, raw);
  if (!inventoryItemId) return new Response("Missing inventory item", { status: 400 });
  const { available, updated_at: updatedAt } = payload as { available?: unknown; updated_at?: unknown };
  await handleInventoryWebhook({
    shop, eventId: eventId ?? webhookId, inventoryItemId, locationId: locationGidFromLevel(raw), available: typeof available === "number" ? available : null,
    updatedAt: typeof updatedAt === "string" ? updatedAt : null,
  });
  return new Response();
};
