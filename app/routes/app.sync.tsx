import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { jobQueue, openStore, requestReconcile, requestSyncAll, retryTask } from "../jobs/enqueue.server";
import { jobBelongsTo, syncStatusOf, taskView } from "../jobs/status.server";
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
  if (!parsed.success) return { ok: false, message: "That request was not understood. Reload the page and try again.", tasks: [] };
  if (parsed.data.intent === "sync-all") {
    const { jobs, skipped } = await requestSyncAll(session.shop);
    if (jobs.length === 0) {
      return { ok: false, message: skipped[0]?.reason ?? "No connected store is ready to receive a sync.", tasks: [] };
    }
    const started = jobs.filter((j) => j.created).length;
    const running = jobs.length - started;
    const message = [
      started ? `Sync all started for ${started} store${started > 1 ? "s" : ""}.` : "",
      running ? `${running} store${running > 1 ? "s were" : " was"} already syncing; that sync continues.` : "",
    ].filter(Boolean).join(" ");
    return { ok: true, message, tasks: jobs.map((j) => taskView(j.job)) };
  }
  if (parsed.data.intent === "check-stock") {
    const { jobs, skipped } = await requestReconcile(session.shop);
    if (jobs.length === 0) return { ok: false, message: skipped[0]?.reason ?? "No connected store is ready for a stock check.", tasks: [] };
    return {
      ok: true,
      message: `Stock check started for ${jobs.length} store${jobs.length > 1 ? "s" : ""}: missed sales are applied and every level is compared with the primary's.`,
      tasks: jobs.map((j) => taskView(j.job)),
    };
  }
  const job = await jobQueue().get(parsed.data.jobId);
  if (!job || !jobBelongsTo(job, session.shop)) return { ok: false, message: "That task was not found.", tasks: [] };
  if (parsed.data.intent === "retry") {
    const retried = await retryTask(job);
    if (!retried) return { ok: false, message: "Only a task that failed can be retried.", tasks: [taskView(job)] };
    return {
      ok: true,
      message: retried.created ? `${taskView(job).title} will run again for ${job.lane}.` : "That task is already waiting or running again.",
      tasks: [taskView(retried.job)],
    };
  }
  if (job.status !== "queued" && job.status !== "running") return { ok: false, message: "That task has already finished.", tasks: [taskView(job)] };
  const after = await jobQueue().requestCancel(job.id);
  return { ok: true, message: after?.status === "cancelled" ? "Task cancelled." : "Cancelling: the task stops after the product it is on.", tasks: after ? [taskView(after)] : [] };
};
