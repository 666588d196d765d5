import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

// The layer rules of eslint.config.js (README "Architecture"), each shown catching a violation in a
// file where it applies and letting the same code pass where it is allowed. `npm run lint` applies
// them to the whole project.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const databaseAccess = `import prisma from "../db.server";\nexport const stores = () => prisma.store.count();\n`;

describe("layer rules", () => {
  test("database access outside app/models fails; inside, it passes", async () => {
    expect(await restrictedImports(databaseAccess, "app/jobs/example.server.ts")).toEqual([expect.stringContaining("Database access lives in app/models")]);
    expect(await restrictedImports(databaseAccess.replace("../db.server", "../../db.server"), "app/routes/example/route.tsx")).toHaveLength(1);
    expect(await restrictedImports(`import { PrismaClient } from "@prisma/client";\nexport const client = new PrismaClient();\n`, "app/services/example.server.ts")).toHaveLength(1);
    expect(await restrictedImports(`import pg from "pg";\nexport const pool = new pg.Pool();\n`, "app/webhooks/example.server.ts")).toHaveLength(1);
    expect(await restrictedImports(databaseAccess, "app/models/example.server.ts")).toEqual([]);
    // A Prisma type is no database access.
    expect(await restrictedImports(`import type { Store } from "@prisma/client";\nexport type Row = Store;\n`, "app/jobs/example.server.ts")).toEqual([]);
  });

  test("routes reach models and jobs through services", async () => {
    expect(await restrictedImports(`import { storeOf } from "../models/stores.server";\nexport const loader = storeOf;\n`, "app/routes/app.example.tsx")).toEqual([expect.stringContaining("Routes call app/services")]);
    expect(await restrictedImports(`import { enqueueJob } from "../jobs/kinds.server";\nexport const action = enqueueJob;\n`, "app/routes/app.example.tsx")).toHaveLength(1);
    expect(await restrictedImports(databaseAccess, "app/routes/app.example.tsx")).toHaveLength(1);
    expect(await restrictedImports(`import { requestSyncAll } from "../services/sync.server";\nimport { storeOfLane } from "../jobs/queue";\nexport const action = [requestSyncAll, storeOfLane];\n`, "app/routes/app.example.tsx")).toEqual([]);
  });

  test("app/sync imports nothing with I/O", async () => {
    expect(await restrictedImports(`import { storeOf } from "../models/stores.server";\nexport const read = storeOf;\n`, "app/sync/example.ts")).toHaveLength(1);
    expect(await restrictedImports(`import fs from "node:fs";\nexport const read = fs.readFileSync;\n`, "app/sync/example.ts")).toHaveLength(1);
    expect(await restrictedImports(`import { text } from "../i18n";\nimport { z } from "zod";\nexport const rule = [text, z];\n`, "app/sync/example.ts")).toEqual([]);
  });

  test("models do not import the layers above them, except the queue's types", async () => {
    expect(await restrictedImports(`import { jobQueue } from "../jobs/enqueue.server";\nexport const queue = jobQueue;\n`, "app/models/example.server.ts")).toHaveLength(1);
    expect(await restrictedImports(`import { chooseRole } from "../network/network.server";\nexport const role = chooseRole;\n`, "app/models/example.server.ts")).toHaveLength(1);
    expect(await restrictedImports(`import type { JobRecord } from "../jobs/queue";\nexport type Row = JobRecord;\n`, "app/models/example.server.ts")).toEqual([]);
  });
});
