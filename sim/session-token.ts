import crypto from "node:crypto";

/**
 * Shopify's session token (App Bridge `idToken()`): an HS256 JWT signed with the app's client
 * secret. https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
 */
export type SessionTokenClaims = {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
};

const base64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

export function signSessionToken(
  { shop, apiKey, apiSecret, userId = "1", now = Date.now() }: {
    shop: string;
    apiKey: string;
    apiSecret: string;
    userId?: string;
    now?: number;
  },
  overrides: Partial<SessionTokenClaims> = {},
): string {
  const seconds = Math.floor(now / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: userId,
    exp: seconds + 60,
    nbf: seconds,
    iat: seconds,
    jti: crypto.randomUUID(),
    sid: crypto.createHash("sha256").update(`${shop}:${userId}`).digest("hex").slice(0, 32),
    ...overrides,
  };
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = crypto.createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The `host` query parameter the admin passes to embedded apps: base64 of admin.shopify.com/store/{name}. */
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

/** Verifies a session token the way Shopify's token exchange does; returns its claims or a reason. */
export function verifySessionToken(token: string, { apiKey, apiSecret, now = Date.now() }: { apiKey: string; apiSecret: string; now?: number }):
  | { ok: true; claims: SessionTokenClaims }
  | { ok: false; reason: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const expected = crypto.createHmac("sha256", apiSecret).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2], "base64url");
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return { ok: false, reason: "bad signature" };
  let claims: SessionTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  const seconds = Math.floor(now / 1000);
  if (claims.aud !== apiKey) return { ok: false, reason: "wrong audience" };
  if (claims.exp < seconds - 10 || claims.nbf > seconds + 10) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
