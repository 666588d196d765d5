import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Prisma } from "@prisma/client";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { postgresDatabaseUrl, testPostgresServerUrl } from "../../tests/setup/test-app";
import { migratePostgres, pgConnectionString, poolSizeOf, redactedUrl } from "./postgres.server";

// PostgreSQL is there in npm test's PostgreSQL pass (scripts/test-postgres.ts).
const server = testPostgresServerUrl();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** "Model.field" for every optional (`Type?`) field of a Prisma schema: the client's own model data does not say. */
function optionalFieldsOfSchema(schema: string): Set<string> {
  const optional = new Set<string>();
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const [, field] of body.matchAll(/^\s+(\w+)\s+\w+\?/gm)) optional.add(`${model}.${field}`);
  }
  return optional;
}

async function query<R extends pg.QueryResultRow>(databaseUrl: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: pgConnectionString(databaseUrl) });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL URLs", () => {
  test("Prisma's parameters are kept from pg, the pool size is read from them, and the password never shows", () => {
    const url = "postgres://tandem:s3cret@db.internal:5432/tandem?connection_limit=4&sslmode=require";
    expect(pgConnectionString(url)).toBe("postgres://tandem:s3cret@db.internal:5432/tandem?sslmode=require");
    expect(poolSizeOf(url)).toBe(4);
    expect(poolSizeOf("postgres://db/tandem")).toBe(10);
    expect(redactedUrl(url)).not.toContain("s3cret");
    expect(redactedUrl(url)).toContain("db.internal:5432/tandem");
    expect(pgConnectionString("postgres://db/tandem?schema=public")).toBe("postgres://db/tandem");
    expect(() => pgConnectionString("postgres://db/tandem?schema=shop_a")).toThrow('DATABASE_URL asks for schema "shop_a"');
  });
});

// Runs in npm test's PostgreSQL pass only: outside it there is no server to migrate.
describe.runIf(server)("migratePostgres", () => {
  test("creates the database, applies each migration once in name order, and records it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-pg-migrations-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "0002_b"));
    fs.writeFileSync(path.join(dir, "0002_b", "migration.sql"), `ALTER TABLE "T" ADD COLUMN "b" TEXT;`);
    fs.mkdirSync(path.join(dir, "0001_a"));
    fs.writeFileSync(path.join(dir, "0001_a", "migration.sql"), `CREATE TABLE "T" ("a" TEXT);`);
    const url = postgresDatabaseUrl(server!);

    expect(await migratePostgres(url, dir)).toEqual({ applied: ["0001_a", "0002_b"], alreadyApplied: [] });
    expect(await migratePostgres(url, dir)).toEqual({ applied: [], alreadyApplied: ["0001_a", "0002_b"] });
    const columns = await query<{ name: string }>(url, `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'T' ORDER BY ordinal_position`);
    expect(columns.map((c) => c.name)).toEqual(["a", "b"]);

    fs.writeFileSync(path.join(dir, "0001_a", "migration.sql"), `CREATE TABLE "T" ("a" TEXT, "z" TEXT);`);
    await expect(migratePostgres(url, dir)).rejects.toThrow("Migration 0001_a failed: its file changed after it was applied");
  });

  test("rolls a failing migration back entirely and leaves it unrecorded", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-pg-migrations-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "0001_a"));
    fs.writeFileSync(path.join(dir, "0001_a", "migration.sql"), `CREATE TABLE "T" ("a" TEXT); INSERT INTO "Missing" VALUES (1);`);
    const url = postgresDatabaseUrl(server!);
    await expect(migratePostgres(url, dir)).rejects.toThrow(/Migration 0001_a failed: .*Missing/);
    expect(await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'T'`)).toEqual([]);
    expect(await query(url, `SELECT name FROM "_tandem_migrations"`)).toEqual([]);
  });

  test("processes starting together (the app and several workers) migrate once, without errors", async () => {
    const url = postgresDatabaseUrl(server!);
    const results = await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, fs.readdirSync("prisma/postgres/migrations").length]);
    const recorded = await query<{ name: string }>(url, `SELECT name FROM "_tandem_migrations" ORDER BY name`);
    expect(recorded.map((r) => r.name)).toEqual(fs.readdirSync("prisma/postgres/migrations").sort());
  });

  test("the project's migrations create every model and field of prisma/schema.prisma, with PostgreSQL types Prisma reads", async () => {
    const url = postgresDatabaseUrl(server!);
    await migratePostgres(url);
    const optional = optionalFieldsOfSchema(fs.readFileSync("prisma/schema.prisma", "utf8"));
    expect(optional).toContain("Job.dedupeKey");
    const expectedType: Record<string, string> = { String: "text", Int: "integer", BigInt: "bigint", Boolean: "boolean", DateTime: "timestamp without time zone" };
    for (const model of Prisma.dmmf.datamodel.models) {
      const columns = await query<{ name: string; type: string; nullable: string }>(url,
        `SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [model.dbName ?? model.name]);
      const byName = new Map(columns.map((c) => [c.name, c]));
      const fields = model.fields.filter((field) => field.kind !== "object");
      expect([...byName.keys()].sort(), `table ${model.name}`).toEqual(fields.map((f) => f.dbName ?? f.name).sort());
      for (const field of fields) {
        const column = byName.get(field.dbName ?? field.name)!;
        expect(column.type, `${model.name}.${field.name}`).toBe(expectedType[field.type]);
        expect(column.nullable === "YES", `${model.name}.${field.name} optional`).toBe(optional.has(`${model.name}.${field.name}`));
      }
    }
    // graphile-worker's own schema is installed by the same step, so the app can queue before any worker starts.
    const graphile = await query<{ name: string }>(url, `SELECT proname::text AS name FROM pg_proc WHERE proname = 'add_job'`);
    expect(graphile.length).toBeGreaterThan(0);
  });
});
