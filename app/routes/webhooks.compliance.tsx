import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleComplianceWebhook } from "../webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticate.webhook(request);
  await handleComplianceWebhook({ shop, topic, payload });
  return new Response();
};
