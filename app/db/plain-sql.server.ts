import type { Prisma, PrismaClient } from "@prisma/client";
import { type CachingConnection, prismaNamespaceOf, sqliteConnectionOf } from "./prisma-client.server";

/**
 * Plain SQL outside transactions (ADR 0019). On PostgreSQL it is Prisma's `$queryRaw` and
 * `$executeRaw`. On SQLite the statement runs on Prisma's own connection directly: a raw query
 * through Prisma's client took about 0.16 ms of CPU where the same statement on the connection
 * takes 0.025 ms, and the webhook intake and the stock jobs send thousands a second. The rows come
 * back as `$queryRaw` gives them (the test beside this file compares both): dates as Date,
 * booleans as boolean, INTEGER columns as number, computed integers (COUNT) as bigint.
 *
 * Statements inside a transaction still go through the transaction's client (`tx.$queryRaw`).
 */
export type PlainSql = {
  /** Fragments for this client's statements, as `Prisma.sql` and `Prisma.join` of its engine. */
  sql: typeof Prisma.sql;
  join: typeof Prisma.join;
  query<T>(statement: Prisma.Sql): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  execute(statement: Prisma.Sql): Promise<number>;
  /** Runs statements in one transaction, all or none. */
  transaction(statements: Prisma.Sql[]): Promise<void>;
};

export function plainSqlOf(prisma: PrismaClient): PlainSql {
  const { sql, join } = prismaNamespaceOf(prisma);
  return {
    sql,
    join,
    query: <T>(statement: Prisma.Sql) => {
      const connection = sqliteConnectionOf(prisma);
      if (!connection) return prisma.$queryRaw<T[]>(statement);
      try {
        return Promise.resolve(readRows(connection, statement) as T[]);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    execute: (statement: Prisma.Sql) => {
      const connection = sqliteConnectionOf(prisma);
      if (!connection) return prisma.$executeRaw(statement);
      try {
        const prepared = connection.prepare(statement.sql).bind(statement.values.map(sqliteArgument));
        return Promise.resolve(Number(prepared.run().changes));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    transaction: async (statements: Prisma.Sql[]) => {
      if (statements.length === 0) return;
      const connection = sqliteConnectionOf(prisma);
      // Another flow's transaction open on the connection (Prisma's interactive ones wait on
      // each other): go through Prisma, which waits for it. Otherwise the whole transaction runs
      // now, with no await in between, so nothing else of this process can interleave.
      if (!connection || connection.inTransaction) {
        await prisma.$transaction(statements.map((statement) => prisma.$executeRaw(statement)));
        return;
      }
      connection.prepare("BEGIN IMMEDIATE").run();
      try {
        for (const statement of statements) connection.prepare(statement.sql).bind(statement.values.map(sqliteArgument)).run();
        connection.prepare("COMMIT").run();
      } catch (error) {
        if (connection.inTransaction) connection.prepare("ROLLBACK").run();
        throw error;
      }
    },
  };
}

/** What Prisma's SQLite adapter binds for a value (`mapArg`): booleans as 1/0, dates as ISO text in UTC. */
function sqliteArgument(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  return value;
}

type ColumnKind = "int" | "bigint" | "float" | "datetime" | "boolean" | "text" | "bytes" | "unknown";

/** A declared column type as Prisma's adapter reads it (`mapDeclType`); null for an expression. */
function kindOfDeclared(declared: string | null): ColumnKind | null {
  switch (declared?.toUpperCase()) {
    case undefined:
    case "":
      return null;
    case "TINYINT": case "SMALLINT": case "MEDIUMINT": case "INT": case "INTEGER": case "SERIAL": case "INT2":
      return "int";
    case "BIGINT": case "UNSIGNED BIG INT": case "INT8":
      return "bigint";
    case "DECIMAL": case "FLOAT": case "DOUBLE": case "DOUBLE PRECISION": case "NUMERIC": case "REAL":
      return "float";
    case "DATETIME": case "TIMESTAMP": case "DATE":
      return "datetime";
    case "BOOLEAN":
      return "boolean";
    case "BLOB":
      return "bytes";
    default:
      return "text";
  }
}

/** An expression's type from its first value, as the adapter infers it: integers come back as bigint. */
function kindOfValue(value: unknown): ColumnKind {
  if (typeof value === "bigint") return "bigint";
  if (typeof value === "number") return "unknown";
  if (value instanceof Uint8Array) return "bytes";
  return "text";
}

function converted(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "int":
      return typeof value === "bigint" ? Number(value) : typeof value === "number" ? Math.trunc(value) : value;
    case "bigint":
      return typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)));
    case "float":
    case "unknown":
      return typeof value === "bigint" ? Number(value) : value;
    case "datetime":
      return new Date(typeof value === "string" ? value : Number(value));
    case "boolean":
      return typeof value === "string" ? value === "true" || value === "1" : Number(value) === 1;
    case "bytes":
      return new Uint8Array(value as Uint8Array);
    case "text":
      return typeof value === "bigint" ? value.toString() : value;
  }
}

function readRows(connection: CachingConnection, statement: Prisma.Sql): Record<string, unknown>[] {
  const prepared = connection.prepare(statement.sql).bind(statement.values.map(sqliteArgument));
  if (!prepared.reader) {
    prepared.run();
    return [];
  }
  const columns = prepared.columns();
  const rows = prepared.raw().all() as unknown[][];
  const kinds = columns.map((column, index) => kindOfDeclared(column.type) ?? kindOfValue(rows.find((row) => row[index] !== null)?.[index] ?? null));
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index++) record[columns[index].name] = converted(kinds[index], row[index]);
    return record;
  });
}
