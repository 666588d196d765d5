import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { type RetryOutcome, type SyncAllRequest, openStore, requestReconcile, requestSyncAll, retryTask } from "../services/sync.server";
import { cancelTask, syncStatusOf, taskOf, taskView } from "../services/status.server";
import { type JobRecord, storeOfLane } from "../jobs/queue";
import { text, type Text } from "../i18n";
import { authenticate } from "../shopify.server";

/** Sync status as data: recent tasks and product counts (the dashboard reads the same). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  return { role: store.role, ...(await syncStatusOf(session.shop, store.role)) };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync-all") }),
  z.object({ intent: z.literal("check-stock") }),
  z.object({ intent: z.literal("cancel"), jobId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("retry"), jobId: z.string().min(1).max(64) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: text("common.notUnderstood"), tasks: [] };
  const input = parsed.data;
  if (input.intent === "sync-all") return syncAllStarted(await requestSyncAll(session.shop));
  if (input.intent === "check-stock") return checkStarted(await requestReconcile(session.shop));
  const job = await taskOf(session.shop, input.jobId);
  if (!job) return { ok: false, message: text("sync.taskNotFound"), tasks: [] };
  return input.intent === "retry" ? retried(job, await retryTask(job, session.shop)) : cancelled(job);
};

/** What started, followed by each store skipped and why ("Not started: …"). */
function withSkipped(message: Text | null, skipped: SyncAllRequest["skipped"]): Text {
  const reasons = skipped.map(({ reason }) => text("sync.notStarted", { reason }));
  return [...(message ? [message] : []), ...reasons].reduce((first, second) => text("sync.andThen", { first, second }));
}

/** "Sync all": how many started, how many were already running, which stores were skipped and why, or why none could. */
function syncAllStarted({ jobs, skipped }: SyncAllRequest) {
  if (jobs.length === 0) return { ok: false, message: skipped.length > 0 ? withSkipped(null, skipped) : text("sync.noStoreReady"), tasks: [] };
  const started = jobs.filter((j) => j.created).length;
  const running = jobs.length - started;
  const message = started && running
    ? text("sync.startedAndRunning", { started, running })
    : started ? text("sync.started", { count: started }) : text("sync.alreadyRunning", { count: running });
  return { ok: true, partial: skipped.length > 0, message: withSkipped(message, skipped), tasks: jobs.map((j) => taskView(j.job)) };
}

/** "Check stock": the checks started and the stores skipped, or why none could. */
function checkStarted({ jobs, skipped }: SyncAllRequest) {
  if (jobs.length === 0) return { ok: false, message: skipped.length > 0 ? withSkipped(null, skipped) : text("sync.noStoreReadyForCheck"), tasks: [] };
  return { ok: true, partial: skipped.length > 0, message: withSkipped(text("sync.checkStarted", { count: jobs.length }), skipped), tasks: jobs.map((j) => taskView(j.job)) };
}

function retried(job: JobRecord, outcome: RetryOutcome) {
  if ("refused" in outcome) return { ok: false, message: outcome.refused, tasks: [taskView(job)] };
  return {
    ok: true,
    message: outcome.created ? text("sync.retried", { kind: job.kind, store: storeOfLane(job.lane) }) : text("sync.alreadyRetried"),
    tasks: [taskView(outcome.job)],
  };
}

async function cancelled(job: JobRecord) {
  if (job.status !== "queued" && job.status !== "running") return { ok: false, message: text("sync.alreadyFinished"), tasks: [taskView(job)] };
  const after = await cancelTask(job);
  return { ok: true, message: after?.status === "cancelled" ? text("sync.cancelled") : text("sync.cancelling"), tasks: after ? [taskView(after)] : [] };
}
