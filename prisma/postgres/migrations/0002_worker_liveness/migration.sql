-- graphile-worker's workers, by the process that runs them, and when that process last said it was
-- alive. A lock held by a worker not seen for a lease is freed (app/jobs/graphile.server.ts); not a
-- Prisma model: only the worker reads and writes it.
CREATE TABLE "_tandem_workers" (
    "graphileWorkerId" TEXT NOT NULL PRIMARY KEY,
    "processId" TEXT NOT NULL,
    "seenAt" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "_tandem_workers_processId_idx" ON "_tandem_workers"("processId");
