import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSubscriptionUpdate } from "../billing/billing.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  await handleSubscriptionUpdate(shop, payload);
  return new Response();
};
