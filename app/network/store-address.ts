import { text, type Text } from "../i18n";

/**
 * What a merchant may type to name a store: `name`, `name.myshopify.com`, a URL of the store's
 * admin (`https://name.myshopify.com/admin/...`) or of the new admin
 * (`https://admin.shopify.com/store/name/...`). Everything becomes `name.myshopify.com`.
 */
export type StoreAddressResult = { ok: true; shop: string } | { ok: false; error: Text };

const NAME = /^[a-z0-9][a-z0-9-]{0,59}$/;

export function normalizeStoreAddress(input: string): StoreAddressResult {
  const typed = input.trim().toLowerCase();
  if (typed === "") return { ok: false, error: text("address.empty") };
  if (typed.length > 255) return { ok: false, error: text("address.tooLong") };

  let name: string | null = null;
  if (NAME.test(typed)) {
    name = typed;
  } else {
    let url: URL | null = null;
    try {
      url = new URL(typed.includes("://") ? typed : `https://${typed}`);
    } catch {
      // Not a URL either: no store is named.
    }
    if (url && (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.port) {
      if (url.hostname.endsWith(".myshopify.com")) {
        name = url.hostname.slice(0, -".myshopify.com".length);
      } else if (url.hostname === "admin.shopify.com") {
        name = url.pathname.match(/^\/store\/([^/]+)/)?.[1] ?? null;
      }
    }
  }
  if (!name || !NAME.test(name) || name.endsWith("-")) {
    return { ok: false, error: text("address.notMyshopify") };
  }
  return { ok: true, shop: `${name}.myshopify.com` };
}
