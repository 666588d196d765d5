/**
 * The Admin API versions Tandem speaks, oldest first: the ones Shopify supports today for which
 * ../shared/shopify/ holds the real schema. The last is the default (SHOPIFY_API_VERSION overrides
 * it). Adding a version is one line here plus its schema file and `npm run sim:extract-schema`
 * (docs/decisions/0021-supported-api-versions.md). Every document the app sends is the same at
 * every version listed: a version that needs another form goes in the gateway, nowhere else.
 */
export const SUPPORTED_API_VERSIONS = ["2026-01", "2026-10"] as const;

export type SupportedApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

export const OLDEST_API_VERSION: SupportedApiVersion = SUPPORTED_API_VERSIONS[0];
export const DEFAULT_API_VERSION: SupportedApiVersion = SUPPORTED_API_VERSIONS[SUPPORTED_API_VERSIONS.length - 1];

export function isSupportedApiVersion(version: string): version is SupportedApiVersion {
  return (SUPPORTED_API_VERSIONS as readonly string[]).includes(version);
}

/** userError code meaning "the quantity changed since you read it" (changeFromQuantity, every supported version). */
export const STALE_QUANTITY_CODE = "CHANGE_FROM_QUANTITY_STALE";

/** userError code of a request resent under an idempotency key whose first attempt was refused. */
export const PREVIOUS_ATTEMPT_FAILED_CODE = "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED";
