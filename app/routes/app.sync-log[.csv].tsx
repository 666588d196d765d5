import type { LoaderFunctionArgs } from "@remix-run/node";
import { syncLogCsv, syncLogFiltersSchema } from "../services/sync-log.server";
import { requestLocale, translator } from "../i18n";
import { authenticate } from "../shopify.server";

/** The sync log as CSV, with the page's filters, streamed a page at a time (never the whole log in memory). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = syncLogFiltersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response(parsed.error.issues.map((i) => i.message).join("; "), { status: 400 });
  const { store, action, sku, job } = parsed.data;
  return new Response(syncLogCsv({ shop: session.shop, dependentShop: store, actions: action, sku, jobId: job }, translator(requestLocale(request))), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="tandem-sync-log.csv"' },
  });
};
