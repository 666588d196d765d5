import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { type AppRegistration, escapeHtml } from "./admin-frame";

/**
 * The app's admin UI extensions as the admin renders them on a product's page (sim/README.md,
 * "Admin UI extensions"): each block of `admin.product-details.block.render` found in the app's
 * extensions/ folder, run from its bundle (build/extensions/<folder>.js, `npm run build`) in a frame
 * of its own, with the `shopify` global the target gives (the product on screen, `i18n.translate`
 * over the block's locale files) and its fetches of the app resolved against the app's URL with an
 * ID token added, as Shopify's admin does.
 */
export type ProductBlock = { handle: string; folder: string; bundlePath: string };

const PRODUCT_BLOCK_TARGET = "admin.product-details.block.render";

/** Every product-details block of the app at `root` (its extensions/ folder). */
export function readProductBlocks(root: string): ProductBlock[] {
  const extensionsDir = path.join(root, "extensions");
  if (!fs.existsSync(extensionsDir)) return [];
  const blocks: ProductBlock[] = [];
  for (const folder of fs.readdirSync(extensionsDir).sort()) {
    const tomlPath = path.join(extensionsDir, folder, "shopify.extension.toml");
    if (!fs.existsSync(tomlPath)) continue;
    const toml = parseToml(fs.readFileSync(tomlPath, "utf8")) as { extensions?: { handle: string; targeting?: { target: string }[] }[] };
    for (const extension of toml.extensions ?? []) {
      if (!extension.targeting?.some((targeting) => targeting.target === PRODUCT_BLOCK_TARGET)) continue;
      blocks.push({ handle: extension.handle, folder: path.join(extensionsDir, folder), bundlePath: path.join(root, "build/extensions", `${folder}.js`) });
    }
  }
  return blocks;
}

/**
 * The block's strings in the admin's language: locales/<language>.json when the block has it, else
 * its default locale file (`*.default.json`), as Shopify picks them.
 */
function blockStrings(block: ProductBlock, locale: string): Record<string, unknown> {
  const localesDir = path.join(block.folder, "locales");
  const files = fs.readdirSync(localesDir);
  const language = locale.split("-")[0];
  const file = [`${locale}.json`, `${language}.json`].find((name) => files.includes(name)) ?? files.find((name) => name.endsWith(".default.json"));
  if (!file) throw new Error(`${block.handle} has no default locale file`);
  return JSON.parse(fs.readFileSync(path.join(localesDir, file), "utf8"));
}

/** Inline script data: JSON that cannot close the script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** A product's page in the admin: its title and variants, and each block of the app below them. */
export function productPage(shop: string, product: { id: string; title: string; variants: { sku: string | null; price: string }[] }, blocks: ProductBlock[], locale: string): string {
  const numericId = product.id.split("/").pop()!;
  const frames = blocks.map((block) => {
    const src = `/admin/${shop}/extensions/${encodeURIComponent(block.handle)}?productId=${encodeURIComponent(product.id)}&locale=${encodeURIComponent(locale)}`;
    const name = String(blockStrings(block, locale).name ?? block.handle);
    return `<iframe class="block" title="${escapeHtml(name)}" src="${escapeHtml(src)}"></iframe>`;
  });
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${escapeHtml(product.title)} · ${escapeHtml(shop)} · Shopify admin (simulator)</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; background: #f1f1f1; }
  header { background: #1a1a1a; color: #fff; padding: 10px 16px; display: flex; gap: 16px; }
  main { max-width: 760px; margin: 16px auto; display: flex; flex-direction: column; gap: 16px; }
  section { background: #fff; border-radius: 12px; padding: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e3e3; }
  iframe.block { border: 0; width: 100%; min-height: 180px; background: #fff; border-radius: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
</style>
</head>
<body>
<header><strong>${escapeHtml(shop)}</strong><span>Products › ${escapeHtml(numericId)}</span><span style="margin-left:auto;opacity:.7">Shopify admin simulator</span></header>
<main>
<h1>${escapeHtml(product.title)}</h1>
<section aria-label="Variants"><table><thead><tr><th>SKU</th><th>Price</th></tr></thead><tbody>
${product.variants.map((variant) => `<tr><td>${escapeHtml(variant.sku ?? "")}</td><td>${escapeHtml(variant.price)}</td></tr>`).join("\n")}
</tbody></table></section>
${frames.join("\n")}
</main>
</body>
</html>`;
}

/**
 * Shopify's admin draws the Polaris web components (s-*) a block renders; the simulator does not
 * load Polaris, so these few rules only lay them out readably (a heading, stacks, badge tones, a
 * button) for screenshots. What a test asserts is the elements and their attributes, not this look.
 */
const POLARIS_STAND_IN_CSS = `
  body { margin: 0; padding: 16px; font: 14px system-ui, sans-serif; color: #303030; }
  s-admin-block { display: block; }
  s-admin-block::before { content: attr(heading); display: block; font-weight: 650; margin-bottom: 12px; }
  s-stack { display: flex; flex-direction: column; gap: 8px; }
  s-stack[direction="inline"] { flex-direction: row; align-items: center; }
  s-stack[justifycontent="space-between"] { justify-content: space-between; }
  s-text { display: block; }
  s-text[type="strong"] { font-weight: 650; }
  s-badge { display: inline-block; border-radius: 8px; padding: 2px 8px; background: #e3e3e3; font-size: 12px; }
  s-badge[tone="success"] { background: #cdfee1; }
  s-badge[tone="warning"] { background: #ffeb78; }
  s-badge[tone="critical"] { background: #fedad9; }
  s-badge[tone="info"] { background: #e0f0ff; }
  s-button { display: inline-block; align-self: flex-start; border: 1px solid #8a8a8a; border-radius: 8px; padding: 4px 12px; cursor: pointer; background: #fff; }
  s-button[disabled] { opacity: 0.5; cursor: default; }
`;

/**
 * The frame one block runs in: the target's `shopify` global, then the block's module. Its
 * `fetch` of a relative URL or of the app's origin goes to the app with `Authorization: Bearer` and
 * a fresh ID token (shopify.dev, Admin UI extensions, "Network features").
 */
export function blockFrame(app: AppRegistration, shop: string, block: ProductBlock, productId: string, locale: string): string {
  const appBase = `/admin/${shop}/apps/${app.handle}`;
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><style>${POLARIS_STAND_IN_CSS}</style></head>
<body>
<script type="module">
  const strings = ${scriptJson(blockStrings(block, locale))};
  const locale = ${scriptJson(locale)};
  const appUrl = new URL(${scriptJson(app.appUrl)});
  const plural = new Intl.PluralRules(locale);
  const nativeFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input, init = {}) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, appUrl);
    if (url.origin !== appUrl.origin) return nativeFetch(input, init);
    const { token } = await (await nativeFetch(${scriptJson(`${appBase}/session-token`)})).json();
    const headers = new Headers(init.headers);
    headers.set("Authorization", "Bearer " + token);
    return nativeFetch(url, { ...init, headers });
  };
  globalThis.shopify = {
    extension: { target: ${scriptJson(PRODUCT_BLOCK_TARGET)} },
    data: { selected: [{ id: ${scriptJson(productId)} }] },
    i18n: {
      translate(key, replacements = {}) {
        let text = strings[key];
        if (text === undefined) return key;
        if (typeof text === "object") text = text[plural.select(Number(replacements.count))] ?? text.other;
        return String(text).replace(/{{(\\w+)}}/g, (_, name) => String(replacements[name] ?? ""));
      },
    },
  };
  const { default: run } = await import(${scriptJson(`/admin/extensions/${block.handle}.js`)});
  await run();
</script>
</body>
</html>`;
}
