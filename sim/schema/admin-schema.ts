import fs from "node:fs";
import path from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";
import { SUPPORTED_API_VERSIONS } from "../../app/shopify/api-version";

/**
 * The Admin API versions the simulator serves: the ones Tandem speaks (app/shopify/api-version.ts),
 * each cut from Shopify's real schema of that version by `npm run sim:extract-schema`.
 */
export const SIMULATED_API_VERSIONS = SUPPORTED_API_VERSIONS;
export type SimulatedApiVersion = (typeof SIMULATED_API_VERSIONS)[number];

export function isSimulatedApiVersion(version: string): version is SimulatedApiVersion {
  return (SIMULATED_API_VERSIONS as readonly string[]).includes(version);
}

/**
 * The version Shopify answers a request for `requested` with: a supported version as asked; an
 * older one, out of support, falls forward to the oldest supported stable version, and the
 * X-Shopify-API-Version header says which (https://shopify.dev/docs/api/usage/versioning); anything
 * else is not served here (null).
 */
export function servedApiVersion(requested: string): SimulatedApiVersion | null {
  if (isSimulatedApiVersion(requested)) return requested;
  if (/^\d{4}-(01|04|07|10)$/.test(requested) && requested < SIMULATED_API_VERSIONS[0]) return SIMULATED_API_VERSIONS[0];
  return null;
}

export function adminSdlFile(version: SimulatedApiVersion): string {
  return path.join(import.meta.dirname, `admin-${version}.graphql`);
}

/** The simulator's SDL for a version (generated, checked in). */
export function readAdminSdl(version: SimulatedApiVersion): string {
  return fs.readFileSync(adminSdlFile(version), "utf8");
}

const schemas = new Map<SimulatedApiVersion, GraphQLSchema>();

/** The simulator's Admin API schema at a version: a strict subset of Shopify's (checked by subset.test.ts). */
export function buildAdminSchema(version: SimulatedApiVersion): GraphQLSchema {
  let schema = schemas.get(version);
  if (!schema) schemas.set(version, (schema = buildSchema(readAdminSdl(version))));
  return schema;
}
