// npm run sim:extract-schema: writes sim/schema/admin-<version>.graphql for every version Tandem
// speaks, from Shopify's real schema of that version and the selection in subset.ts.
import fs from "node:fs";
import path from "node:path";
import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLScalarType,
  GraphQLUnionType, getNamedType, isNonNullType, print, astFromValue, type GraphQLArgument, type GraphQLField,
  type GraphQLInputField, type GraphQLNamedType, type GraphQLSchema,
} from "graphql";
import { adminSdlFile, SIMULATED_API_VERSIONS, type SimulatedApiVersion } from "./admin-schema";
import { loadShopifySchema } from "./shopify-schema";
import { schemaDirectives, schemaSubset } from "./subset";

const BUILT_IN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "ID"]);

function describe(description: string | null | undefined, indent = "") {
  if (!description) return "";
  const firstLine = description.split("\n")[0].replace(/"""/g, "'''");
  return `${indent}"""${firstLine}"""\n`;
}

function defaultValue(item: GraphQLArgument | GraphQLInputField) {
  if (item.defaultValue === undefined) return "";
  const ast = astFromValue(item.defaultValue, item.type);
  return ast ? ` = ${print(ast)}` : "";
}

export function extractSubset(full: GraphQLSchema, subset: Record<string, string[]>, version: SimulatedApiVersion, directives: readonly string[] = schemaDirectives): string {
  const pending: string[] = ["QueryRoot", "Mutation", ...Object.keys(subset)];
  const done = new Set<string>();
  const blocks: string[] = [];

  const want = (type: GraphQLNamedType) => {
    if (!done.has(type.name) && !BUILT_IN_SCALARS.has(type.name)) pending.push(type.name);
  };

  const argumentList = (args: readonly GraphQLArgument[]) => {
    if (args.length === 0) return "";
    args.forEach((arg) => want(getNamedType(arg.type)));
    return `(${args.map((arg) => `${arg.name}: ${arg.type}${defaultValue(arg)}`).join(", ")})`;
  };

  while (pending.length > 0) {
    const name = pending.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    const type = full.getType(name);
    if (!type) throw new Error(`${name} is not in Shopify's ${version} schema`);

    if (type instanceof GraphQLScalarType) {
      blocks.push(`${describe(type.description)}scalar ${name}`);
    } else if (type instanceof GraphQLEnumType) {
      blocks.push(`${describe(type.description)}enum ${name} {\n${type.getValues().map((v) => `  ${v.name}`).join("\n")}\n}`);
    } else if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
      const selection = subset[name];
      if (!selection) throw new Error(`${name} is used by a kept field: list its fields in sim/schema/subset.ts`);
      const fields = type.getFields();
      const lines = selection.map((fieldName) => {
        const field: GraphQLField<unknown, unknown> | undefined = fields[fieldName];
        if (!field) throw new Error(`${name}.${fieldName} is not in Shopify's ${version} schema`);
        want(getNamedType(field.type));
        return `${describe(field.description, "  ")}  ${fieldName}${argumentList(field.args)}: ${field.type}`;
      });
      const interfaces = type.getInterfaces().filter((iface) => subset[iface.name]);
      interfaces.forEach(want);
      const implementsClause = interfaces.length ? ` implements ${interfaces.map((i) => i.name).join(" & ")}` : "";
      const keyword = type instanceof GraphQLObjectType ? "type" : "interface";
      blocks.push(`${describe(type.description)}${keyword} ${name}${implementsClause} {\n${lines.join("\n")}\n}`);
    } else if (type instanceof GraphQLUnionType) {
      const members = type.getTypes().filter((member) => subset[member.name]);
      members.forEach(want);
      blocks.push(`union ${name} = ${members.map((m) => m.name).join(" | ")}`);
    } else if (type instanceof GraphQLInputObjectType) {
      const listed = new Set(subset[name] ?? []);
      const chosen = Object.values(type.getFields()).filter(
        (field) => listed.has(field.name) || (isNonNullType(field.type) && field.defaultValue === undefined),
      );
      // An input type must have a field: one with no required field and none listed keeps them all.
      const fields = chosen.length > 0 ? chosen : Object.values(type.getFields());
      for (const fieldName of listed) {
        if (!type.getFields()[fieldName]) throw new Error(`${name}.${fieldName} is not in Shopify's ${version} schema`);
      }
      const lines = fields.map((field) => {
        want(getNamedType(field.type));
        return `  ${field.name}: ${field.type}${defaultValue(field)}`;
      });
      blocks.push(`${describe(type.description)}input ${name} {\n${lines.join("\n")}\n}`);
    }
  }

  const directiveBlocks = directives.map((name) => {
    const directive = full.getDirective(name);
    if (!directive) throw new Error(`@${name} is not in Shopify's ${version} schema`);
    const args = directive.args.map((arg) => `${arg.name}: ${arg.type}${defaultValue(arg)}`).join(", ");
    return `${describe(directive.description)}directive @${name}${args ? `(${args})` : ""}${directive.isRepeatable ? " repeatable" : ""} on ${directive.locations.join(" | ")}`;
  });

  const header = [
    `# Generated by \`npm run sim:extract-schema\` from ../shared/shopify/admin_schema_${version}.json.gz`,
    "# and sim/schema/subset.ts. Do not edit by hand.",
    "schema {\n  query: QueryRoot\n  mutation: Mutation\n}",
  ];
  return [...header, ...directiveBlocks, ...blocks.sort((a, b) => typeName(a).localeCompare(typeName(b)))].join("\n\n") + "\n";
}

function typeName(block: string) {
  return block.replace(/^"""[^\n]*\n/, "").split(/\s+/)[1] ?? "";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const version of SIMULATED_API_VERSIONS) {
    const sdl = extractSubset(loadShopifySchema(version), schemaSubset, version);
    fs.writeFileSync(adminSdlFile(version), sdl);
    console.log(`${path.relative(process.cwd(), adminSdlFile(version))}: ${sdl.split("\n").length} lines`);
  }
}
