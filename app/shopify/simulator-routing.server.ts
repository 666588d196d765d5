import { Agent, type Dispatcher, setGlobalDispatcher } from "undici";

const SHOP_ORIGIN = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(?::443)?$/;

/**
 * Sandbox and tests only (SHOPIFY_ADMIN_API_ORIGIN set): the Shopify library calls
 * https://{shop}/admin/... itself (token exchange) with the global fetch, which it captured at
 * import. Node's fetch sends every request through undici's global dispatcher, so rewriting the
 * origin there sends those calls to {origin}/shops/{shop}/admin/... on the simulator. Nothing else
 * is rerouted, and production never installs this.
 */
class SimulatorRouting extends Agent {
  constructor(private readonly simulator: URL) {
    super();
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const match = String(options.origin ?? "").match(SHOP_ORIGIN);
    if (!match) return super.dispatch(options, handler);
    return super.dispatch({ ...options, origin: this.simulator.origin, path: `/shops/${match[1]}${options.path}` }, handler);
  }
}

let installedFor: string | undefined;

export function routeShopifyCallsToSimulator(origin: string) {
  if (installedFor === origin) return;
  setGlobalDispatcher(new SimulatorRouting(new URL(origin)));
  installedFor = origin;
}
