/** Errors from the Admin API, with what a job should do about them. */
export class ShopifyApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bucket stayed empty through every retry; try the job again later. */
export class ShopifyThrottledError extends ShopifyApiError {
  constructor(shop: string, retryAfterMs: number) {
    super(`${shop} is rate-limiting Tandem (THROTTLED); will retry in ${Math.ceil(retryAfterMs / 1000)} s`, true, retryAfterMs);
  }
}

/** 5xx or a network failure that outlasted the in-request retries. */
export class ShopifyUnavailableError extends ShopifyApiError {
  constructor(shop: string, detail: string) {
    super(`${shop} did not answer (${detail})`, true, 5_000);
  }
}

/**
 * HTTP 429: a resource-based limit of the store, not the query-cost bucket (which answers
 * THROTTLED), such as a development store's 5 orderCreate a minute. The call did not run; it can
 * be made again after Retry-After.
 */
export class ShopifyResourceLimitError extends ShopifyApiError {
  constructor(
    readonly shop: string,
    retryAfterMs: number,
    readonly detail: string,
  ) {
    super(`${shop} ${ShopifyResourceLimitError.WORDS} (${detail}); it can be made again in ${Math.ceil(retryAfterMs / 1000)} s`, true, retryAfterMs);
  }

  private static readonly WORDS = "refused the call for now";

  /** Whether a job's last error was such a wait (its next attempt is the same wait going on). */
  static described(lastError: string | null): boolean {
    return lastError?.includes(ShopifyResourceLimitError.WORDS) ?? false;
  }
}

/** 401/403: the app was uninstalled or its token revoked. Retrying cannot help. */
export class ShopifyUnauthorizedError extends ShopifyApiError {
  constructor(
    readonly shop: string,
    status: number,
  ) {
    super(`${shop} refused Tandem's access token (HTTP ${status}): the app may have been uninstalled there`, false);
  }
}

/** A GraphQL error other than throttling: a bug in our document or an input Shopify rejects outright. */
export class ShopifyGraphqlError extends ShopifyApiError {
  constructor(shop: string, messages: string[]) {
    super(`${shop}: ${messages.join("; ")}`, false);
  }
}

/**
 * Every error of the answer is ACCESS_DENIED: fields the app may not read in this store, such as
 * protected customer data (names, e-mails, addresses) without Shopify's approval. Retrying cannot help.
 */
export class ShopifyAccessDeniedError extends ShopifyGraphqlError {}

/**
 * Shopify refused to run a query that asks for more than its single-query limit
 * (MAX_COST_EXCEEDED): sent as is it never runs, but a smaller page of the same query can.
 */
export class ShopifyQueryTooCostlyError extends ShopifyGraphqlError {
  constructor(
    shop: string,
    readonly requestedCost: number,
    readonly maxCost: number,
  ) {
    super(shop, [`the query asks for ${requestedCost} points, over Shopify's limit of ${maxCost} (MAX_COST_EXCEEDED)`]);
  }
}

export type UserError = { field: string[] | null; message: string; code?: string | null };

/** A mutation answered with userErrors: Shopify refused the change and said why. */
export class ShopifyUserErrors extends ShopifyApiError {
  constructor(
    readonly mutation: string,
    readonly userErrors: UserError[],
  ) {
    super(`${mutation}: ${userErrors.map((e) => `${e.message}${e.field ? ` (${e.field.join(".")})` : ""}`).join("; ")}`, false);
  }

  hasCode(code: string): boolean {
    return this.userErrors.some((e) => e.code === code);
  }
}
