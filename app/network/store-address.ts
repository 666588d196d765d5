/**
 * What a merchant may type to name a store: `name`, `name.myshopify.com`, a URL of the store's
 * admin (`https://name.myshopify.com/admin/...`) or of the new admin
 * (`https://admin.shopify.com/store/name/...`). Everything becomes `name.myshopify.com`.
 */
export type StoreAddressResult = { ok: true; shop: string } | { ok: false; error: string };

const NAME = /^[a-z0-9][a-z0-9-]{0,59}$/;

export function normalizeStoreAddress(input: string): StoreAddressResult {
  const text = input.trim().toLowerCase();
  if (text === "") return { ok: false, error: "Enter a store address, such as my-store.myshopify.com." };
  if (text.length > 255) return { ok: false, error: "That address is too long to be a Shopify store address." };

  let name: string | null = null;
  if (NAME.test(text)) {
    name = text;
  } else {
    let url: URL | null = null;
    try {
      url = new URL(text.includes("://") ? text : `https://${text}`);
    } catch {
      url = null;
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
    return { ok: false, error: "Use the store's myshopify.com address, such as my-store.myshopify.com (Settings › Domains in its admin)." };
  }
  return { ok: true, shop: `${name}.myshopify.com` };
}
