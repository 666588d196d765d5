import type { ActionFunctionArgs } from "@remix-run/node";
import { handleComplianceWebhook } from "../webhooks/compliance.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticateWebhook(request);
  await handleComplianceWebhook({ shop, topic, payload });
  return new Response();
};
