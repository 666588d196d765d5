import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildClientSchema, type GraphQLSchema } from "graphql";
import type { SimulatedApiVersion } from "./admin-schema";

/** Shopify's published Admin API schema of a version, from ../shared/shopify/ beside the project. */
export function shopifySchemaFile(version: SimulatedApiVersion): string {
  return path.resolve(import.meta.dirname, `../../../shared/shopify/admin_schema_${version}.json.gz`);
}

const cached = new Map<SimulatedApiVersion, GraphQLSchema>();

/** Shopify's real Admin API schema at `version` (the full introspection result). */
export function loadShopifySchema(version: SimulatedApiVersion): GraphQLSchema {
  let schema = cached.get(version);
  if (!schema) {
    schema = buildClientSchema(JSON.parse(zlib.gunzipSync(fs.readFileSync(shopifySchemaFile(version))).toString("utf8")).data);
    cached.set(version, schema);
  }
  return schema;
}
