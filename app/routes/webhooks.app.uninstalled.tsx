import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAppUninstalled } from "../webhooks/app-uninstalled.server";
import { authenticateWebhook } from "../webhooks/authenticate.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateWebhook(request);
  await handleAppUninstalled({ shop });
  return new Response();
};
