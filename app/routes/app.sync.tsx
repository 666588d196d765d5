import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { openStore, requestReconcile, requestSyncAll, retryTask } from "../services/sync.server";
import { cancelTask, syncStatusOf, taskOf, taskView } from "../services/status.server";
import { storeOfLane } from "../jobs/queue";
import { text } from "../i18n";
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
  if (parsed.data.intent === "sync-all") {
    const { jobs, skipped } = await requestSyncAll(session.shop);
    if (jobs.length === 0) {
      return { ok: false, message: skipped[0]?.reason ?? text("sync.noStoreReady"), tasks: [] };
    }
    const started = jobs.filter((j) => j.created).length;
    const running = jobs.length - started;
    const message = started && running
      ? text("sync.startedAndRunning", { started, running })
      : started ? text("sync.started", { count: started }) : text("sync.alreadyRunning", { count: running });
    return { ok: true, message, tasks: jobs.map((j) => taskView(j.job)) };
  }
  if (parsed.data.intent === "check-stock") {
    const { jobs, skipped } = await requestReconcile(session.shop);
    if (jobs.length === 0) return { ok: false, message: skipped[0]?.reason ?? text("sync.noStoreReadyForCheck"), tasks: [] };
    return {
      ok: true,
      message: text("sync.checkStarted", { count: jobs.length }),
      tasks: jobs.map((j) => taskView(j.job)),
    };
  }
  const job = await taskOf(session.shop, parsed.data.jobId);
  if (!job) return { ok: false, message: text("sync.taskNotFound"), tasks: [] };
  if (parsed.data.intent === "retry") {
    const retried = await retryTask(job, session.shop);
    if ("refused" in retried) return { ok: false, message: retried.refused, tasks: [taskView(job)] };
    return {
      ok: true,
      message: retried.created ? text("sync.retried", { kind: job.kind, store: storeOfLane(job.lane) }) : text("sync.alreadyRetried"),
      tasks: [taskView(retried.job)],
    };
  }
  if (job.status !== "queued" && job.status !== "running") return { ok: false, message: text("sync.alreadyFinished"), tasks: [taskView(job)] };
  const after = await cancelTask(job);
  return { ok: true, message: after?.status === "cancelled" ? text("sync.cancelled") : text("sync.cancelling"), tasks: after ? [taskView(after)] : [] };
};
