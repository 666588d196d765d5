import fs from "node:fs";
import path from "node:path";
import {
  buildSchema, Kind, parse, print, type DefinitionNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema,
} from "graphql";

export const ADMIN_SDL_FILE = path.join(import.meta.dirname, "admin-2025-01.graphql");

/** The Admin API versions the simulator serves: the 2025-01 subset, and 2026-10 as a delta over it. */
export const SIMULATED_API_VERSIONS = ["2025-01", "2026-10"] as const;
export type SimulatedApiVersion = (typeof SIMULATED_API_VERSIONS)[number];

const DELTA_FILES: Partial<Record<SimulatedApiVersion, string>> = {
  "2026-10": path.join(import.meta.dirname, "admin-2026-10.delta.graphql"),
};

export function isSimulatedApiVersion(version: string): version is SimulatedApiVersion {
  return (SIMULATED_API_VERSIONS as readonly string[]).includes(version);
}

export function readDeltaSdl(version: SimulatedApiVersion): string | null {
  const file = DELTA_FILES[version];
  return file ? fs.readFileSync(file, "utf8") : null;
}

/** The simulator's SDL for a version: the 2025-01 subset, with that version's delta applied. */
export function readAdminSdl(version: SimulatedApiVersion = "2025-01"): string {
  const base = fs.readFileSync(ADMIN_SDL_FILE, "utf8");
  const delta = readDeltaSdl(version);
  return delta ? applyDelta(base, delta) : base;
}

const schemas = new Map<SimulatedApiVersion, GraphQLSchema>();

/** The simulator's Admin API schema: a strict subset of Shopify's (checked by subset.test.ts). */
export function buildAdminSchema(version: SimulatedApiVersion = "2025-01"): GraphQLSchema {
  let schema = schemas.get(version);
  if (!schema) schemas.set(version, (schema = buildSchema(readAdminSdl(version))));
  return schema;
}

function nameOf(definition: DefinitionNode): string | null {
  return "name" in definition && definition.name ? definition.name.value : null;
}

/**
 * Applies a version delta to an SDL: directives, inputs, enums and scalars of the delta replace
 * the base ones of the same name (or are added); object types change field by field, so a delta
 * names only the fields that changed.
 */
export function applyDelta(baseSdl: string, deltaSdl: string): string {
  const base = parse(baseSdl, { noLocation: true });
  const delta = parse(deltaSdl, { noLocation: true });
  const definitions = [...base.definitions];
  for (const change of delta.definitions) {
    const name = nameOf(change);
    const index = definitions.findIndex((d) => d.kind === change.kind && nameOf(d) === name);
    if (index === -1) {
      definitions.push(change);
    } else if (change.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const current = definitions[index] as typeof change;
      const fields: FieldDefinitionNode[] = [...(current.fields ?? [])];
      for (const field of change.fields ?? []) {
        const at = fields.findIndex((f) => f.name.value === field.name.value);
        if (at === -1) fields.push(field);
        else fields[at] = field;
      }
      definitions[index] = { ...current, fields };
    } else {
      definitions[index] = change;
    }
  }
  return `${print({ ...base, definitions } satisfies DocumentNode)}\n`;
}
