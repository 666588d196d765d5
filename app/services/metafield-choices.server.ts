import { text, type Text } from "../i18n";
import { type MetafieldChoice, metafieldChoicesOf, replaceMetafieldChoices } from "../models/metafieldChoices.server";
import { ShopifyApiError } from "../shopify/errors";
import { gatewayFor } from "../shopify/gateways.server";
import { productMetafieldDefinitions } from "../shopify/metafields.server";
import { metafieldName, typeTravels } from "../sync/metafields";
import { requestSyncAll } from "./sync.server";

/**
 * The primary's product definitions that may travel, by `namespace.key`: not those in an app's
 * reserved namespace (`app--<id>`), which only that app writes, in each store under its own id,
 * nor references to what Tandem does not copy (typeTravels).
 */
async function travellingDefinitions(primaryShop: string): Promise<Map<string, MetafieldChoice>> {
  const definitions = await productMetafieldDefinitions(await gatewayFor(primaryShop));
  return new Map([...definitions].filter(([, definition]) => !definition.namespace.startsWith("app--") && typeTravels(definition.type)));
}

/** The primary's product metafield definitions (read live) and which of them travel, by `namespace.key`. */
export async function metafieldChoiceView(primaryShop: string): Promise<{ definitions: MetafieldChoice[] | { error: Text }; chosen: string[] }> {
  const chosen = (await metafieldChoicesOf(primaryShop)).map(metafieldName);
  try {
    return { definitions: [...(await travellingDefinitions(primaryShop)).values()], chosen };
  } catch (error) {
    if (error instanceof ShopifyApiError) return { definitions: { error: text("settings.metafieldsUnread") }, chosen };
    throw error;
  }
}

/**
 * Saves which definitions travel, as the primary has them now (name and type read live), and
 * starts a Sync all that copies them. A name the store no longer defines saves nothing.
 */
export async function saveMetafieldChoices(primaryShop: string, names: string[]): Promise<{ ok: true; message: Text } | { ok: false; message: Text }> {
  let definitions: Map<string, MetafieldChoice>;
  try {
    definitions = await travellingDefinitions(primaryShop);
  } catch (error) {
    if (error instanceof ShopifyApiError) return { ok: false, message: text("settings.metafieldsUnread") };
    throw error;
  }
  const chosen = [...new Set(names)].map((name) => definitions.get(name));
  if (chosen.some((definition) => definition === undefined)) return { ok: false, message: text("settings.metafieldsUnknown") };
  await replaceMetafieldChoices(primaryShop, chosen as MetafieldChoice[]);
  await requestSyncAll(primaryShop);
  return { ok: true, message: text("settings.metafieldsSaved", { count: chosen.length }) };
}
