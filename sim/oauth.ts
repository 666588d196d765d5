import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppRegistration } from "./admin-frame";
import { readBody, sendJson } from "./http";
import { verifySessionToken } from "./session-token";
import type { SimWorld } from "./world";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE_TOKEN_SECONDS = 86_399;

/**
 * Token exchange (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange):
 * the app trades a session token for an offline token (the store's install token) or an online,
 * user-scoped token. Shopify-managed installation means the app is installed when first opened.
 */
export async function handleTokenExchange(request: IncomingMessage, response: ServerResponse, { world, app, shop }: { world: SimWorld; app: AppRegistration; shop: string }) {
  const raw = (await readBody(request)).toString("utf8");
  let body: Record<string, string>;
  try {
    body = request.headers["content-type"]?.includes("json") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return sendJson(response, 400, { error: "invalid_request", error_description: "Body is not valid JSON" });
  }
  if (body.client_id !== app.apiKey || body.client_secret !== app.apiSecret) {
    return sendJson(response, 401, { error: "invalid_client", error_description: "Client credentials are invalid" });
  }
  if (body.grant_type !== TOKEN_EXCHANGE || body.subject_token_type !== ID_TOKEN || ![ONLINE, OFFLINE].includes(body.requested_token_type)) {
    return sendJson(response, 400, { error: "invalid_request", error_description: "Unsupported grant or token type" });
  }
  const store = world.stores.get(shop);
  const check = verifySessionToken(String(body.subject_token ?? ""), { apiKey: app.apiKey, apiSecret: app.apiSecret, now: world.now().getTime() });
  if (!store || !check.ok || check.claims.dest !== `https://${shop}`) {
    return sendJson(response, 400, { error: "invalid_subject_token", error_description: check.ok ? "Token is for another shop" : check.reason });
  }
  if (!store.installation) world.install(store);
  const installation = store.installation!;
  const scope = installation.scopes.join(",");
  if (body.requested_token_type === OFFLINE) return sendJson(response, 200, { access_token: installation.accessToken, scope });

  const userId = Number(check.claims.sub);
  const accessToken = `shpua_${crypto.randomBytes(16).toString("hex")}`;
  installation.onlineTokens.push({ accessToken, userId, expiresAt: world.now().getTime() + ONLINE_TOKEN_SECONDS * 1000 });
  return sendJson(response, 200, {
    access_token: accessToken,
    scope,
    expires_in: ONLINE_TOKEN_SECONDS,
    associated_user_scope: scope,
    associated_user: {
      id: userId,
      first_name: "Store",
      last_name: "Owner",
      email: `owner@${shop}`,
      account_owner: true,
      locale: "en",
      collaborator: false,
      email_verified: true,
    },
  });
}
