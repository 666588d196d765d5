import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Prisma } from "@prisma/client";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { MigrationError, migrate } from "./migrate.server";
import { openSqlite } from "./sqlite.server";

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-migrate-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeMigration(dir: string, name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

describe("migrate", () => {
  test("applies each migration once, in name order, and records it", () => {
    const dir = tempDir();
    writeMigration(dir, "0002_b", `ALTER TABLE "T" ADD COLUMN "b" TEXT;`);
    writeMigration(dir, "0001_a", `CREATE TABLE "T" ("a" TEXT);`);
    const db = new Database(":memory:");
    expect(migrate(db, dir)).toEqual({ applied: ["0001_a", "0002_b"], alreadyApplied: [] });
    expect(migrate(db, dir)).toEqual({ applied: [], alreadyApplied: ["0001_a", "0002_b"] });
    const columns = db.prepare(`PRAGMA table_info("T")`).all().map((column) => (column as { name: string }).name);
    expect(columns).toEqual(["a", "b"]);
  });

  test("rolls a failing migration back entirely and leaves it unrecorded", () => {
    const dir = tempDir();
    writeMigration(dir, "0001_a", `CREATE TABLE "T" ("a" TEXT); INSERT INTO "Missing" VALUES (1);`);
    const db = new Database(":memory:");
    expect(() => migrate(db, dir)).toThrow(MigrationError);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'T'`).all()).toEqual([]);
    expect(db.prepare(`SELECT name FROM "_tandem_migrations"`).all()).toEqual([]);
  });

  test("refuses a migration edited after it was applied", () => {
    const dir = tempDir();
    writeMigration(dir, "0001_a", `CREATE TABLE "T" ("a" TEXT);`);
    const db = new Database(":memory:");
    migrate(db, dir);
    writeMigration(dir, "0001_a", `CREATE TABLE "T" ("a" TEXT, "z" TEXT);`);
    expect(() => migrate(db, dir)).toThrow("Migration 0001_a failed: its file changed after it was applied");
  });

  test("opens the database in WAL mode", () => {
    const db = openSqlite(path.join(tempDir(), "nested", "wal.sqlite"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});

describe("the project's migrations", () => {
  test("create every model and field of prisma/schema.prisma", () => {
    const db = new Database(":memory:");
    migrate(db);
    for (const model of Prisma.dmmf.datamodel.models) {
      const columns = db
        .prepare(`PRAGMA table_info("${model.dbName ?? model.name}")`)
        .all()
        .map((column) => (column as { name: string }).name)
        .sort();
      const fields = model.fields
        .filter((field) => field.kind !== "object")
        .map((field) => field.dbName ?? field.name)
        .sort();
      expect(columns, `table ${model.name}`).toEqual(fields);
    }
  });
});
