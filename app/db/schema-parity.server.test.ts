import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, test } from "vitest";
import { postgresDatabaseUrl, sqliteTestDatabaseUrl, testPostgresServerUrl } from "../../tests/setup/test-app";
import { migrateDatabase } from "./migrate.server";
import { pgConnectionString } from "./postgres.server";
import { sqliteFileFromUrl } from "./sqlite.server";

// The two migration sets (prisma/migrations for SQLite, prisma/postgres/migrations) are written by
// hand, side by side: after both ran, the schemas must say the same thing (tables, columns, type
// classes, nullability, defaults, primary keys, and indexes with their uniqueness and predicate,
// the partial unique ones the queue's dedupe and the connection rules rely on included). Each
// difference the engines need is listed with its reason; an unlisted one, or a listed one that
// went away, fails.
const KNOWN_DIFFERENCES: Record<string, string> = {
  "table _tandem_workers: postgres only": "graphile-worker's liveness records (app/models/jobs.postgres.server.ts); the SQLite engine's leases live in Job rows",
  "table sqlite_sequence: sqlite only": "SQLite's own table behind AUTOINCREMENT (BulkRow.id)",
  "index _tandem_workers(processId): postgres only": "with its table",
  "index _tandem_workers(graphileWorkerId) unique: postgres only": "with its table",
};

type Column = { type: string; nullable: boolean; defaultValue: string | null; primaryKey: boolean };
type Schema = { columns: Map<string, Column>; indexes: Set<string>; tables: Set<string> };

/** The class of a declared type, as both engines store it (Prisma's DateTime is DATETIME on SQLite, a timestamp on PostgreSQL). */
function typeClass(declared: string): string {
  const type = declared.toLowerCase();
  if (type.startsWith("timestamp") || type === "datetime") return "datetime";
  if (type === "character varying" || type === "text") return "text";
  if (type === "double precision" || type === "real") return "real";
  if (type === "numeric" || type.startsWith("decimal")) return "decimal";
  return type;
}

/** A default or predicate without quoting, casts and brackets that differ between the engines only in form. */
function normalised(sql: string): string {
  return sql.replace(/::[a-z ]+(\[\])?/gi, "").replace(/["()]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
}

function indexSignature(table: string, columns: string[], unique: boolean, predicate: string | null): string {
  return `${table}(${columns.join(", ")})${unique ? " unique" : ""}${predicate ? ` where ${normalised(predicate)}` : ""}`;
}

function sqliteSchema(file: string): Schema {
  const db = new Database(file, { readonly: true });
  try {
    const schema: Schema = { columns: new Map(), indexes: new Set(), tables: new Set() };
    const tables = db.prepare(`SELECT "name" FROM sqlite_master WHERE "type" = 'table'`).all() as { name: string }[];
    for (const { name: table } of tables) {
      schema.tables.add(table);
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const rowid = columns.filter((c) => c.pk > 0).length === 1 && columns.some((c) => c.pk > 0 && c.type === "INTEGER");
      for (const column of columns) {
        schema.columns.set(`${table}.${column.name}`, {
          type: typeClass(column.type),
          nullable: column.notnull === 0 && column.pk === 0,
          // An INTEGER PRIMARY KEY counts up by itself: PostgreSQL says so with a sequence default.
          defaultValue: rowid && column.pk > 0 ? "autoincrement" : column.dflt_value === null ? null : normalised(column.dflt_value),
          primaryKey: column.pk > 0,
        });
      }
      const indexes = db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string; partial: number }[];
      for (const index of indexes) {
        const columnsOf = (db.prepare(`PRAGMA index_info("${index.name}")`).all() as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
        const created = db.prepare(`SELECT "sql" FROM sqlite_master WHERE "type" = 'index' AND "name" = ?`).get(index.name) as { sql: string | null } | undefined;
        const predicate = index.partial ? (created?.sql?.match(/\bWHERE\b(.*)$/is)?.[1] ?? null) : null;
        schema.indexes.add(indexSignature(table, columnsOf, index.unique === 1, predicate));
      }
      // The rowid primary key has no index of its own in SQLite; PostgreSQL builds one.
      if (rowid) schema.indexes.add(indexSignature(table, columns.filter((c) => c.pk > 0).map((c) => c.name), true, null));
    }
    return schema;
  } finally {
    db.close();
  }
}

async function postgresSchema(databaseUrl: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: pgConnectionString(databaseUrl) });
  await client.connect();
  try {
    const schema: Schema = { columns: new Map(), indexes: new Set(), tables: new Set() };
    const { rows: tables } = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    for (const { name } of tables) schema.tables.add(name);
    const { rows: keys } = await client.query<{ table: string; column: string }>(`
      SELECT k.table_name AS "table", k.column_name AS "column" FROM information_schema.table_constraints c
      JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
      WHERE c.table_schema = 'public' AND c.constraint_type = 'PRIMARY KEY'`);
    const primaryKeys = new Set(keys.map((k) => `${k.table}.${k.column}`));
    const { rows: columns } = await client.query<{ table: string; column: string; type: string; nullable: string; default: string | null }>(`
      SELECT table_name AS "table", column_name AS "column", data_type AS "type", is_nullable AS "nullable", column_default AS "default"
      FROM information_schema.columns WHERE table_schema = 'public'`);
    for (const column of columns) {
      const key = `${column.table}.${column.column}`;
      schema.columns.set(key, {
        type: typeClass(column.type),
        nullable: column.nullable === "YES",
        defaultValue: column.default === null ? null : column.default.startsWith("nextval(") ? "autoincrement" : normalised(column.default),
        primaryKey: primaryKeys.has(key),
      });
    }
    const { rows: indexes } = await client.query<{ table: string; unique: boolean; columns: string[]; predicate: string | null }>(`
      SELECT t.relname AS "table", ix.indisunique AS "unique", pg_get_expr(ix.indpred, ix.indrelid) AS "predicate",
        ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS "columns"
      FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE ns.nspname = 'public'`);
    for (const index of indexes) schema.indexes.add(indexSignature(index.table, index.columns, index.unique, index.predicate));
    return schema;
  } finally {
    await client.end();
  }
}

/** Every way the two schemas differ, one line each. */
function differences(sqlite: Schema, postgres: Schema): string[] {
  const found: string[] = [];
  const onlyIn = (engine: string, kind: string, mine: Set<string>, theirs: Set<string>) => {
    for (const name of mine) if (!theirs.has(name)) found.push(`${kind} ${name}: ${engine} only`);
  };
  onlyIn("sqlite", "table", sqlite.tables, postgres.tables);
  onlyIn("postgres", "table", postgres.tables, sqlite.tables);
  const shared = (column: string) => sqlite.tables.has(column.split(".")[0]) && postgres.tables.has(column.split(".")[0]);
  onlyIn("sqlite", "column", new Set([...sqlite.columns.keys()].filter(shared)), new Set(postgres.columns.keys()));
  onlyIn("postgres", "column", new Set([...postgres.columns.keys()].filter(shared)), new Set(sqlite.columns.keys()));
  for (const [name, mine] of sqlite.columns) {
    const theirs = postgres.columns.get(name);
    if (!theirs) continue;
    for (const field of ["type", "nullable", "defaultValue", "primaryKey"] as const) {
      if (mine[field] !== theirs[field]) found.push(`column ${name} ${field}: sqlite ${String(mine[field])}, postgres ${String(theirs[field])}`);
    }
  }
  onlyIn("sqlite", "index", sqlite.indexes, postgres.indexes);
  onlyIn("postgres", "index", postgres.indexes, sqlite.indexes);
  return found.sort();
}

const server = testPostgresServerUrl();

// Needs both engines: it runs in npm test's PostgreSQL pass (scripts/test-postgres.ts), skipped
// as one named test in the SQLite pass, where no PostgreSQL server is given.
if (!server) test.skip("the SQLite and PostgreSQL schemas are compared in npm test's PostgreSQL pass", () => {});
else describe("one schema, two engines", () => {
  let sqlite: Schema;
  let postgres: Schema;
  beforeAll(async () => {
    const sqliteUrl = sqliteTestDatabaseUrl();
    const postgresUrl = postgresDatabaseUrl(server);
    await migrateDatabase(sqliteUrl);
    await migrateDatabase(postgresUrl);
    sqlite = sqliteSchema(sqliteFileFromUrl(sqliteUrl));
    postgres = await postgresSchema(postgresUrl);
  });

  test("after every migration, the schemas differ only where listed, each with its reason", () => {
    // The comparison sees what matters: the queue's partial unique index, on both sides.
    expect(sqlite.indexes).toContain(`Job(dedupeKey) unique where status = 'queued'`);
    expect(postgres.indexes).toContain(`Job(dedupeKey) unique where status = 'queued'`);
    expect(sqlite.columns.get("SyncPreferences.stockAllocationPercent")).toEqual({ type: "integer", nullable: false, defaultValue: "100", primaryKey: false });
    expect(differences(sqlite, postgres)).toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
  });

  test("the comparison fails on an index, a default or a column that one engine lacks", () => {
    const changed = (schema: Schema, change: (copy: Schema) => void) => {
      const copy = { tables: new Set(schema.tables), columns: new Map(schema.columns), indexes: new Set(schema.indexes) };
      change(copy);
      return copy;
    };
    const withoutPartialIndex = changed(postgres, (copy) => copy.indexes.delete(`Job(dedupeKey) unique where status = 'queued'`));
    expect(differences(sqlite, withoutPartialIndex)).toContain(`index Job(dedupeKey) unique where status = 'queued': sqlite only`);
    const otherDefault = changed(postgres, (copy) => copy.columns.set("Store.plan", { ...copy.columns.get("Store.plan")!, defaultValue: "'basic'" }));
    expect(differences(sqlite, otherDefault)).toContain(`column Store.plan defaultValue: sqlite 'free', postgres 'basic'`);
    const missingColumn = changed(sqlite, (copy) => copy.columns.delete("Store.subscriptionChangedAt"));
    expect(differences(missingColumn, postgres)).toContain("column Store.subscriptionChangedAt: postgres only");
  });
});
