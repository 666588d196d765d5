import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildClientSchema, type GraphQLSchema } from "graphql";

export const SHOPIFY_SCHEMA_FILE = path.resolve(import.meta.dirname, "../../../shared/shopify/admin_schema_2025-01.json.gz");

let cached: GraphQLSchema | undefined;

/** Shopify's published Admin API schema (2025-01), from ../shared beside the project. */
export function loadShopifySchema(): GraphQLSchema {
  cached ??= buildClientSchema(JSON.parse(zlib.gunzipSync(fs.readFileSync(SHOPIFY_SCHEMA_FILE)).toString("utf8")).data);
  return cached;
}
