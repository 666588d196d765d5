import { syncCollectionsJob } from "./collections.server";
import { removeCreatedProductsJob } from "./remove-created-products.server";
import { mirrorOrderJob } from "./mirror-order.server";
import { pushStockJob } from "./push-stock.server";
import { rebalanceStockJob } from "./rebalance-stock.server";
import type { JobKindName } from "./kinds.server";
import type { JobHandler } from "./runner.server";
import { reconcileStockJob } from "./reconcile.server";
import { applyStockJob } from "./stock.server";
import { syncAllJob, syncProductsJob } from "./sync-all.server";
import { syncProductJob } from "./sync-product.server";
import { zeroKeptStockJob } from "./zero-kept-stock.server";

/** The handler of every job kind the registry (kinds.server.ts) defines. */
export const jobHandlers: Record<JobKindName, JobHandler> = {
  "sync-all": syncAllJob,
  "sync-product": syncProductJob,
  "sync-products": syncProductsJob,
  "sync-collections": syncCollectionsJob,
  "remove-created-products": removeCreatedProductsJob,
  "zero-kept-stock": zeroKeptStockJob,
  "apply-stock": applyStockJob,
  "push-stock": pushStockJob,
  "rebalance-stock": rebalanceStockJob,
  "reconcile-stock": reconcileStockJob,
  "mirror-order": mirrorOrderJob,
};
