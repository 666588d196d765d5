import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { enqueueProductSync, openStore } from "../jobs/enqueue.server";
import { productLinkOfDependentProduct } from "../models/links.server";
import { networkViewOf, productStatesOf } from "../network/products-overview.server";
import { authenticate } from "../shopify.server";

// Backs the product-details block (extensions/product-sync-block): this product's state in each
// connected store, and "Sync now". Called from the admin with the extension's ID token.
const productIdSchema = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "productId must be a Product GID");

/** The primary product behind a product the admin shows, and the stores to report: null when Tandem does not sync it. */
async function subjectOf(shop: string, productId: string) {
  const store = await openStore(shop);
  if (store.role !== "primary" && store.role !== "dependent") return null;
  const network = await networkViewOf(shop, store.role);
  if (!network) return null;
  if (store.role === "primary") return { ...network, role: store.role, primaryProductId: productId };
  const link = await productLinkOfDependentProduct(shop, productId);
  return link ? { ...network, role: store.role, primaryProductId: link.primaryProductId } : null;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const productId = productIdSchema.safeParse(new URL(request.url).searchParams.get("productId"));
  if (!productId.success) return cors(Response.json({ error: productId.error.issues[0].message }, { status: 400 }));
  const subject = await subjectOf(session.shop, productId.data);
  if (!subject) return cors(Response.json({ synced: false, stores: [], message: "Tandem does not sync this product: it is not linked to the primary store." }));
  const states = await productStatesOf(subject.primaryShop, [subject.primaryProductId], subject.stores);
  const byStore = states.get(subject.primaryProductId)!;
  return cors(Response.json({ synced: true, primaryShop: subject.primaryShop, stores: subject.stores.map((shop) => ({ shop, ...byStore[shop] })) }));
};

const actionSchema = z.object({ intent: z.literal("sync-now"), productId: productIdSchema });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return cors(Response.json({ ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 }));
  const subject = await subjectOf(session.shop, parsed.data.productId);
  if (!subject) return cors(Response.json({ ok: false, message: "Tandem does not sync this product: it is not linked to the primary store." }, { status: 409 }));
  // From the primary: every dependent that receives syncs (not paused ones); from a dependent: itself.
  const jobs = await enqueueProductSync(subject.primaryShop, subject.primaryProductId, subject.role === "primary" ? undefined : subject.stores, { delayMs: 0 });
  if (jobs.length === 0) return cors(Response.json({ ok: false, message: "No connected store receives syncs right now (paused, or setup incomplete)." }, { status: 409 }));
  return cors(Response.json({ ok: true, message: `Syncing this product to ${jobs.length} store${jobs.length === 1 ? "" : "s"} now.`, jobs: jobs.map((j) => j.id) }));
};
