import { text } from "../i18n";
import { liveConnection } from "../models/connections.server";
import { linkedProductCount, productLinkPages, removePairLinks, removeProductLinks } from "../models/links.server";
import { writeSyncLog } from "../models/syncLog.server";
import { PRODUCT_DELETE } from "../shopify/documents";
import { ShopifyUserErrors } from "../shopify/errors";
import { gatewayFor } from "../shopify/gateways.server";
import type { JobContext } from "./runner.server";
import { readProduct } from "../shopify/store-reader.server";
import { payloadOf } from "./kinds.server";

/** Job "remove-created-products": deletes, in the dependent, the products Tandem created from this primary. */
export async function removeCreatedProductsJob({ job, progress }: JobContext) {
  const { primaryShop } = payloadOf("remove-created-products", job);
  const dependentShop = job.lane;
  // Connected again since (the job waited, or was retried): the links are the new connection's and
  // the products it receives stay.
  if (await liveConnection(primaryShop, dependentShop)) {
    await writeSyncLog([{ primaryShop, dependentShop, jobId: job.id, action: "skipped", message: text("entry.removalCancelledByReconnect", { primary: primaryShop }) }]);
    return { deleted: 0, total: 0, reconnected: true };
  }
  const dependent = await gatewayFor(dependentShop);
  const total = await linkedProductCount(primaryShop, dependentShop, { createdByTandem: true });
  let deleted = 0;
  let done = 0;
  await progress({ progressDone: 0, progressTotal: total });
  for await (const page of productLinkPages(primaryShop, dependentShop, { createdByTandem: true })) {
    for (const link of page) {
      if (++done % 25 === 0) await progress({ progressDone: done });
      const product = await readProduct(dependent, link.dependentProductId);
      try {
        if (product) await dependent.mutate(PRODUCT_DELETE, { input: { id: link.dependentProductId } }, "productDelete");
      } catch (error) {
        if (!(error instanceof ShopifyUserErrors)) throw error;
        await writeSyncLog([{
          primaryShop, dependentShop, jobId: job.id, action: "error", productTitle: product?.title ?? null,
          primaryProductId: link.primaryProductId, dependentProductId: link.dependentProductId,
          message: text("entry.notDeleted", { title: product?.title ?? link.dependentProductId, reason: error.userErrors.map((e) => e.message).join("; ") }),
          fix: text("entry.notDeleted.fix"),
        }]);
        continue;
      }
      // The link goes right after the delete, so a retried job does not look for it again.
      await removeProductLinks(dependentShop, link.primaryProductId);
      if (product) {
        deleted++;
        await writeSyncLog([{
          primaryShop, dependentShop, jobId: job.id, action: "deleted", productTitle: product.title,
          primaryProductId: link.primaryProductId, dependentProductId: link.dependentProductId,
          message: text("entry.deletedOnDisconnect", { title: product.title }),
        }]);
      }
    }
  }
  // Products this store had before connecting stay; they are simply no longer linked.
  await removePairLinks(primaryShop, dependentShop);
  return { deleted, total };
}
