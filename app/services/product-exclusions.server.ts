import { text } from "../i18n";
import { productLinkOf } from "../models/links.server";
import { type ExclusionOutcome, excludeProduct, exclusionsOfProducts, includeProduct } from "../models/productExclusions.server";
import type { ActionNotice } from "../components/toast";
import { networkViewOf, productTitleIn } from "./products-overview.server";
import { enqueueProductSync } from "./sync.server";

type Chooser = { shop: string; role: "primary" | "dependent" };

/**
 * A store takes one product out of the sync (issue 36, item 3). The primary takes it out of its
 * whole network; a dependent unlinks its own copy. Either way the copies become what the store
 * chose (kept, archived or deleted) in a product sync queued now for each store concerned, and
 * stay out of every later sync, Sync all included, though their SKUs still match.
 */
export async function takeProductOutOfSync({ shop, role }: Chooser, primaryProductId: string, outcome: ExclusionOutcome): Promise<ActionNotice> {
  const network = await networkViewOf(shop, role);
  if (!network) return { ok: false, message: text("products.notConnected") };
  const title = await productTitleIn(network.primaryShop, primaryProductId);
  if (title === null) return { ok: false, message: text("products.exclude.unknownProduct") };
  const dependentProductId = role === "dependent" ? ((await productLinkOf(shop, primaryProductId))?.dependentProductId ?? null) : null;
  await excludeProduct({ shop, primaryShop: network.primaryShop, primaryProductId, productTitle: title, outcome, dependentProductId });
  const jobs = await enqueueProductSync(network.primaryShop, primaryProductId, role === "primary" ? undefined : [shop], { delayMs: 0 });
  return {
    ok: true,
    message: role === "primary"
      ? text("products.exclude.doneNetwork", { title, outcome, stores: jobs.length })
      : text("products.exclude.doneHere", { title, outcome }),
  };
}

/**
 * The store brings back a product it took out: it syncs again at once, found by its SKUs (a copy
 * kept or archived is linked again, a deleted one made again). A dependent cannot bring back what
 * the primary took out of the network.
 */
export async function bringProductBack({ shop, role }: Chooser, primaryProductId: string): Promise<ActionNotice> {
  const network = await networkViewOf(shop, role);
  if (!network) return { ok: false, message: text("products.notConnected") };
  if (role === "dependent" && (await exclusionsOfProducts(network.primaryShop, [primaryProductId])).some((exclusion) => exclusion.shop === network.primaryShop)) {
    return { ok: false, message: text("products.include.primaryChose") };
  }
  if (!(await includeProduct(shop, primaryProductId))) return { ok: false, message: text("products.include.notExcluded") };
  const title = (await productTitleIn(network.primaryShop, primaryProductId)) ?? primaryProductId;
  await enqueueProductSync(network.primaryShop, primaryProductId, role === "primary" ? undefined : [shop], { delayMs: 0 });
  return { ok: true, message: text("products.include.done", { title }) };
}
