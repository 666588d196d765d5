import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { SYNC_LOG_ACTIONS, type SyncLogAction, querySyncLog } from "../models/syncLog.server";
import { authenticate } from "../shopify.server";

const ACTIONS = SYNC_LOG_ACTIONS;

const filtersSchema = z.object({
  store: z.string().max(255).optional(),
  action: z.string().optional().transform((value, ctx) => {
    const actions = (value ?? "").split(",").filter(Boolean);
    if (actions.some((a) => !ACTIONS.includes(a as SyncLogAction))) ctx.addIssue({ code: "custom", message: `action must be one of ${ACTIONS.join(", ")}` });
    return actions as SyncLogAction[];
  }),
  sku: z.string().max(255).optional(),
  job: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The sync log (seed 003), newest first, filtered and paginated; a store sees only its network's entries. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = filtersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => i.message).join("; "), { status: 400 });
  const { store, action, sku, job, cursor, pageSize } = parsed.data;
  const page = await querySyncLog({ shop: session.shop, dependentShop: store, actions: action, sku, jobId: job, cursor, pageSize });
  return {
    entries: page.entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  };
};
