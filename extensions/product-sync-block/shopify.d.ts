// The `shopify` global the admin sets for this extension's module, as the Shopify CLI declares it.
import type { Api } from "@shopify/ui-extensions/admin.product-details.block.render";

declare module "./src/BlockExtension.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
