import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { handleAppUninstalled } from "../webhooks/app-uninstalled.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await handleAppUninstalled({ shop });
  return new Response();
};
