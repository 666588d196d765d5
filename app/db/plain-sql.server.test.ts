import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { isUniqueViolation } from "./engine";
import { migrateDatabase } from "./migrate.server";
import { plainSqlOf } from "./plain-sql.server";
import { createPrismaClient, sqliteConnectionOf } from "./prisma-client.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-plain-sql-"));
const url = `file:${path.join(dir, "plain.sqlite")}`;
let prisma: ReturnType<typeof createPrismaClient>;
let sql: ReturnType<typeof plainSqlOf>["sql"];

beforeAll(async () => {
  await migrateDatabase(url);
  prisma = createPrismaClient(url);
  sql = plainSqlOf(prisma).sql;
});
afterAll(async () => {
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("runs on Prisma's own SQLite connection once it is open, and gives rows as $queryRaw does", async () => {
  const plain = plainSqlOf(prisma);
  const expires = new Date("2026-12-02T10:11:12.345Z");
  // Before Prisma connected there is no connection to use: the statement goes through Prisma.
  expect(sqliteConnectionOf(prisma)).toBeUndefined();
  await plain.execute(sql`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "expires", "accessToken", "userId", "collaborator")
    VALUES (${"s1"}, ${"a.myshopify.com"}, ${"st"}, ${true}, ${expires}, ${"token"}, ${BigInt("9007199254740993")}, ${null})`);
  expect(sqliteConnectionOf(prisma)).toBeDefined();
  await plain.execute(sql`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "accessToken") VALUES (${"s2"}, ${"a.myshopify.com"}, ${"st"}, ${false}, ${"other"})`);
  // A row written directly reads back through Prisma's model API as written.
  const viaModel = await prisma.session.findUnique({ where: { id: "s1" } });
  expect(viaModel).toMatchObject({ isOnline: true, expires, userId: BigInt("9007199254740993"), collaborator: null });

  const statements = [
    sql`SELECT * FROM "Session" ORDER BY "id"`,
    sql`SELECT "id", "isOnline", "expires" FROM "Session" WHERE "expires" <= ${new Date("2026-12-03T00:00:00Z")}`,
    sql`SELECT COUNT(*) AS "count", MAX("id") AS "last", SUM(1.5) AS "half" FROM "Session" WHERE "isOnline" = ${false}`,
    sql`SELECT "id" FROM "Session" WHERE "id" = ${"nobody"}`,
  ];
  for (const statement of statements) {
    expect(await plain.query(statement)).toEqual(await prisma.$queryRaw(statement));
  }
  const [counts] = await plain.query<{ count: bigint }>(statements[2]);
  expect(counts.count).toBe(1n);
});

test("resolves to the rows changed, and a unique index violated is recognised as such", async () => {
  const plain = plainSqlOf(prisma);
  await prisma.$connect();
  expect(await plain.execute(sql`UPDATE "Session" SET "state" = ${"changed"} WHERE "shop" = ${"a.myshopify.com"}`)).toBe(2);
  expect(await plain.execute(sql`UPDATE "Session" SET "state" = ${"changed"} WHERE "shop" = ${"nobody.myshopify.com"}`)).toBe(0);
  const duplicate = await plain.execute(sql`INSERT INTO "Session" ("id", "shop", "state", "accessToken") VALUES (${"s1"}, ${"b"}, ${"st"}, ${"t"})`).catch((error: unknown) => error);
  expect(isUniqueViolation(duplicate)).toBe(true);
  const invalid = await plain.query(sql`SELECT "nope" FROM "Session"`).catch((error: unknown) => error);
  expect(invalid).toBeInstanceOf(Error);
  expect(isUniqueViolation(invalid)).toBe(false);
});
