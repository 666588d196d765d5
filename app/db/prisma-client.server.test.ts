import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { migrateDatabase } from "./migrate.server";
import { createPrismaClient } from "./prisma-client.server";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Another process (as the worker is to the app) that writes a store row as soon as it starts. */
function writeFromAnotherProcess(file: string, shop: string) {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1], { timeout: 5000 });
    console.log("writing");
    db.prepare("INSERT INTO Store (id, shop, plan, installedAt, createdAt, updatedAt) VALUES (?, ?, 'free', 0, 0, 0)").run(process.argv[2], process.argv[2]);
    console.log("written");
  `;
  const child = spawn(process.execPath, ["-e", script, file, shop], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  const started = new Promise<void>((resolve) => {
    const check = () => (output.includes("writing") ? resolve() : setTimeout(check, 10));
    check();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { started, exited, output: () => output };
}

test("a transaction that reads, then writes after another process wrote, waits for it instead of failing", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-tx-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const url = `file:${path.join(dir, "tx.sqlite")}`;
  await migrateDatabase(url);
  const prisma = createPrismaClient(url);
  cleanups.push(() => prisma.$disconnect());

  let other: ReturnType<typeof writeFromAnotherProcess> | undefined;
  await prisma.$transaction(async (tx) => {
    expect(await tx.store.count()).toBe(0);
    other = writeFromAnotherProcess(path.join(dir, "tx.sqlite"), "other.myshopify.com");
    await other.started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The other process waits for this transaction's lock: it has not written yet.
    expect(other.output()).not.toContain("written");
    await tx.store.create({ data: { shop: "mine.myshopify.com" } });
  });
  expect(await other!.exited).toBe(0);
  expect((await prisma.store.findMany({ orderBy: { shop: "asc" } })).map((s) => s.shop)).toEqual(["mine.myshopify.com", "other.myshopify.com"]);
});
