import prisma from "../db.server";
import { getConfig } from "../config.server";
import { databaseEngine } from "../db/engine";
import type { ClaimingJobQueue, JobQueue } from "../jobs/queue";
import { type GraphileJobRows, createGraphileJobQueue, graphileJobRows } from "./jobs.postgres.server";
import { createSqliteJobQueue } from "./jobs.server";

let queue: JobQueue | undefined;

/** The process's job queue: the embedded engine on SQLite, graphile-worker on PostgreSQL. */
export function jobQueue(): JobQueue {
  queue ??= databaseEngine(getConfig().DATABASE_URL) === "postgres" ? createGraphileJobQueue(prisma) : createSqliteJobQueue(prisma);
  return queue;
}

/** What a worker process runs jobs from: rows it claims itself (SQLite), or rows graphile-worker hands it (PostgreSQL). */
export function workerJobRows(): { engine: "sqlite"; queue: ClaimingJobQueue } | { engine: "postgres"; rows: GraphileJobRows } {
  return databaseEngine(getConfig().DATABASE_URL) === "postgres"
    ? { engine: "postgres", rows: graphileJobRows(prisma) }
    : { engine: "sqlite", queue: createSqliteJobQueue(prisma) };
}
