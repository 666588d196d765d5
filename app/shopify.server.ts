import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { getConfig } from "./config.server";
import { appSessionStorage } from "./models/session.server";
import { storeAuthenticated } from "./services/sync.server";
import { routeShopifyCallsToSimulator } from "./shopify/simulator-routing.server";

const config = getConfig();
if (config.SHOPIFY_ADMIN_API_ORIGIN) routeShopifyCallsToSimulator(config.SHOPIFY_ADMIN_API_ORIGIN);

function toApiVersion(version: string): ApiVersion {
  const known = Object.values(ApiVersion) as string[];
  if (!known.includes(version)) {
    throw new Error(`SHOPIFY_API_VERSION ${version} is not known to @shopify/shopify-api`);
  }
  return version as ApiVersion;
}

export const apiVersion = toApiVersion(config.SHOPIFY_API_VERSION);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: appSessionStorage(),
  distribution: AppDistribution.AppStore,
  // Token exchange: the admin hands us a session token, exchanged for an online (user) token for
  // requests from the admin and an offline token, stored per shop, which background jobs use.
  // Webhook subscriptions are declared in shopify.app.toml.
  useOnlineTokens: true,
  // After an install or a reinstall (a returning store's connections catch up here, not on a page load).
  hooks: { afterAuth: async ({ session }) => storeAuthenticated(session.shop) },
  future: { unstable_newEmbeddedAuthStrategy: true },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
