import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { enqueueProductSync } from "../services/sync.server";
import { type ProductLinkState, productStatesOf, productSubjectOf } from "../services/products-overview.server";
import { localeOf, translator, type Translator } from "../i18n";
import { authenticate } from "../shopify.server";

// Backs the product-details block (extensions/product-sync-block): this product's state in each
// connected store, and "Sync now". Called from the admin with the extension's ID token.
const productIdSchema = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "productId must be a Product GID");

/** A store's state with its problem in words, in the block's language. */
function storeStateIn(t: Translator, shop: string, state: ProductLinkState) {
  if ((state.state !== "linked" && state.state !== "problem") || !state.problem) return { shop, ...state };
  return { shop, ...state, problem: { message: t.text(state.problem.message), fix: state.problem.fix ? t.text(state.problem.fix) : null } };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const t = translator(localeOf(new URL(request.url).searchParams.get("locale")) ?? "en");
  const productId = productIdSchema.safeParse(new URL(request.url).searchParams.get("productId"));
  if (!productId.success) return cors(Response.json({ error: productId.error.issues[0].message }, { status: 400 }));
  const subject = await productSubjectOf(session.shop, productId.data);
  if (!subject) return cors(Response.json({ synced: false, stores: [], message: t("block.notSynced") }));
  const states = await productStatesOf(subject.primaryShop, [subject.primaryProductId], subject.stores);
  const byStore = states.get(subject.primaryProductId)!;
  return cors(Response.json({ synced: true, primaryShop: subject.primaryShop, stores: subject.stores.map((shop) => storeStateIn(t, shop, byStore[shop])) }));
};

const actionSchema = z.object({ intent: z.literal("sync-now"), productId: productIdSchema });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const t = translator(localeOf(typeof form.locale === "string" ? form.locale : null) ?? "en");
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) return cors(Response.json({ ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 }));
  const subject = await productSubjectOf(session.shop, parsed.data.productId);
  if (!subject) return cors(Response.json({ ok: false, message: t("block.notSynced") }, { status: 409 }));
  const byStore = (await productStatesOf(subject.primaryShop, [subject.primaryProductId], subject.stores)).get(subject.primaryProductId)!;
  if (subject.stores.every((shop) => byStore[shop].state === "excluded")) return cors(Response.json({ ok: false, message: t("block.excluded") }, { status: 409 }));
  // From the primary: every dependent that receives syncs (not paused ones); from a dependent: itself.
  const jobs = await enqueueProductSync(subject.primaryShop, subject.primaryProductId, subject.role === "primary" ? undefined : subject.stores, { delayMs: 0 });
  if (jobs.length === 0) return cors(Response.json({ ok: false, message: t("block.noStoreReady") }, { status: 409 }));
  return cors(Response.json({ ok: true, message: t("block.syncing", { count: jobs.length }), jobs: jobs.map((j) => j.id) }));
};
