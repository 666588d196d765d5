/** The sandbox's network (npm run sandbox), shared with the test that syncs it at full size. */
export const SANDBOX_STORES = [
  { domain: "tandem-primary.myshopify.com", name: "Tandem Primary", currencyCode: "USD", ianaTimezone: "America/New_York", locations: ["Warehouse", "Downtown store"], products: 500 },
  { domain: "tandem-outlet.myshopify.com", name: "Tandem Outlet", currencyCode: "USD", ianaTimezone: "America/Chicago", locations: ["Outlet"], products: 60 },
  { domain: "tandem-europe.myshopify.com", name: "Tandem Europe", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", locations: ["Berlin", "Paris"], products: 0 },
  // Left at onboarding by `npm run sandbox` (every store is with --fresh), to try the flow.
  { domain: "tandem-trial.myshopify.com", name: "Tandem Trial", currencyCode: "USD", ianaTimezone: "America/New_York", locations: ["Shop"], products: 0 },
] as const;

/** Europe's price preferences in the sandbox: its prices are the primary's in euros. */
export const SANDBOX_EUROPE_EXCHANGE_RATE = "0.92";

export const SANDBOX_VARIANTS_PER_PRODUCT = 3;

/** The plan the sandbox's stores subscribe to, so that the primary's whole catalogue syncs. */
export const SANDBOX_PLAN = "pro";
