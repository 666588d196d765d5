import { getConfig } from "../config.server";
import { offlineAccessToken } from "../models/session.server";
import { ShopifyUnauthorizedError } from "./errors";
import { AdminGateway } from "./gateway.server";

const gateways = new Map<string, { token: string; gateway: AdminGateway }>();

/**
 * The Admin API gateway of a shop, with its offline token. One per shop and process, so every job
 * of this process talking to that shop shares one view of its rate-limit bucket.
 */
export async function gatewayFor(shop: string): Promise<AdminGateway> {
  const token = await offlineAccessToken(shop);
  if (!token) throw new ShopifyUnauthorizedError(shop, 401);
  const cached = gateways.get(shop);
  if (cached && cached.token === token) return cached.gateway;
  const config = getConfig();
  const gateway = new AdminGateway({ shop, accessToken: token, apiVersion: config.SHOPIFY_API_VERSION, adminOrigin: config.SHOPIFY_ADMIN_API_ORIGIN });
  gateways.set(shop, { token, gateway });
  return gateway;
}
