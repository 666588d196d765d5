import fs from "node:fs";
import path from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";

export const ADMIN_SDL_FILE = path.join(import.meta.dirname, "admin-2025-01.graphql");

export function readAdminSdl(): string {
  return fs.readFileSync(ADMIN_SDL_FILE, "utf8");
}

/** The simulator's Admin API schema: a strict subset of Shopify's (checked by subset.test.ts). */
export function buildAdminSchema(): GraphQLSchema {
  return buildSchema(readAdminSdl());
}
