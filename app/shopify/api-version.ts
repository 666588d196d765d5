import {
  BULK_RUN_QUERY, BULK_RUN_QUERY_GROUPED, INVENTORY_ADJUST_QUANTITIES, INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT,
  INVENTORY_SET_QUANTITIES, INVENTORY_SET_QUANTITIES_IDEMPOTENT,
} from "./documents";

/**
 * The Admin API version production speaks (SHOPIFY_API_VERSION overrides it). Shopify serves a
 * version for about a year: moving on is one value here plus whatever the new version's release
 * notes change in this file (docs/decisions/0008-api-versions.md).
 */
export const DEFAULT_API_VERSION = "2026-10";

/** Every version-specific detail of the documents the gateway sends, decided from the version alone. */
export type ApiDialect = {
  version: string;
  /**
   * 2026-04+: inventory writes name the quantity they expect as changeFromQuantity (null opts out)
   * instead of compareQuantity, and carry an @idempotent key, both mandatory.
   */
  idempotentInventory: boolean;
  /** 2025-07+: bulkOperationRunQuery takes groupObjects (false by default from 2026-01). */
  bulkGroupObjectsArgument: boolean;
  setQuantitiesDocument: string;
  adjustQuantitiesDocument: string;
  bulkRunQueryDocument: string;
};

export function dialectOf(version: string): ApiDialect {
  const idempotentInventory = version >= "2026-04";
  const bulkGroupObjectsArgument = version >= "2025-07";
  return {
    version,
    idempotentInventory,
    bulkGroupObjectsArgument,
    setQuantitiesDocument: idempotentInventory ? INVENTORY_SET_QUANTITIES_IDEMPOTENT : INVENTORY_SET_QUANTITIES,
    adjustQuantitiesDocument: idempotentInventory ? INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT : INVENTORY_ADJUST_QUANTITIES,
    // Our bulk readers stream lines in order and expect a parent before its children.
    bulkRunQueryDocument: bulkGroupObjectsArgument ? BULK_RUN_QUERY_GROUPED : BULK_RUN_QUERY,
  };
}

/** userError codes meaning "the quantity changed since you read it" at any version. */
export const STALE_QUANTITY_CODES = ["COMPARE_QUANTITY_STALE", "CHANGE_FROM_QUANTITY_STALE"];
