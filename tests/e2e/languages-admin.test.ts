import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { BROWSER_LANGUAGE, expectLanguage } from "../setup/languages";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// Seed 004's help speaks English, German, Spanish and Italian: every page of both roles in a
// German, Spanish and Italian admin (Shopify's locale parameter), each with a heading of its own
// words, not one of Tandem's English sentences left, <html lang>, no console error, and a form
// error from the server in that language. French has its own suite (french-admin).
const PRIMARY = "sprachen-haupt.myshopify.com";
const DEPENDENT = "sprachen-kopie.myshopify.com";
let network: SyncNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY });
  await control.createStore({ domain: DEPENDENT });
  await control.seed(PRIMARY, { products: 6, variantsPerProduct: 2, seed: 4, skuPrefix: "LANG" });
  await control.createProduct(PRIMARY, { title: "Muster ohne SKU", variants: [{ sku: null, price: "1.00" }] });
  await control.createMetafieldDefinition(PRIMARY, { name: "Material", namespace: "custom", key: "material", type: "single_line_text_field" });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

type Language = "de" | "es" | "it";
/** Each page with a heading written in each language, by hand (not read from the dictionaries). */
const PAGES: Array<{ shop: "primary" | "dependent"; path: string; heading: Record<Language, string>; name: string }> = [
  { shop: "primary", path: "", name: "dashboard", heading: { de: "Synchronisierungsstatus", es: "Estado de la sincronización", it: "Stato della sincronizzazione" } },
  { shop: "primary", path: "/app/products", name: "products", heading: { de: "Produkte", es: "Productos", it: "Prodotti" } },
  { shop: "primary", path: "/app/sync-log", name: "sync-log", heading: { de: "Synchronisierungsprotokoll", es: "Registro de sincronización", it: "Registro di sincronizzazione" } },
  { shop: "primary", path: "/app/settings", name: "settings-primary", heading: { de: "Verbindungsschlüssel", es: "Clave de conexión", it: "Chiave di connessione" } },
  { shop: "primary", path: "/app/plan", name: "plan", heading: { de: "Aktueller Tarif: Free", es: "Plan actual: Free", it: "Piano attuale: Free" } },
  { shop: "primary", path: "/app/onboarding", name: "onboarding", heading: { de: "Dein Verbindungsschlüssel", es: "Tu clave de conexión", it: "La tua chiave di connessione" } },
  { shop: "dependent", path: "", name: "dashboard-dependent", heading: { de: "Verbundene Shops", es: "Tiendas conectadas", it: "Negozi connessi" } },
  { shop: "dependent", path: "/app/products", name: "products-dependent", heading: { de: "Produkte", es: "Productos", it: "Prodotti" } },
  { shop: "dependent", path: "/app/sync-log", name: "sync-log-dependent", heading: { de: "Synchronisierungsprotokoll", es: "Registro de sincronización", it: "Registro di sincronizzazione" } },
  { shop: "dependent", path: "/app/settings", name: "settings-dependent", heading: { de: "Was aus dem Hauptshop synchronisiert wird", es: "Qué se sincroniza desde la tienda principal", it: "Cosa sincronizzare dal negozio principale" } },
];

/** The exchange-rate field, a bad value typed in it, and the server's field error, per language. */
const RATE_ERROR: Record<Language, { label: string; save: string; error: RegExp }> = {
  de: { label: "Wechselkurs", save: "Einstellungen speichern", error: /^Der Wechselkurs muss eine Zahl zwischen 0,000001 und 1\.000\.000 sein$/ },
  es: { label: "Tipo de cambio", save: "Guardar las preferencias", error: /^El tipo de cambio debe ser un número entre 0,000001 y 1\.000\.000$/ },
  it: { label: "Tasso di cambio", save: "Salva le preferenze", error: /^Il tasso di cambio deve essere un numero tra 0,000001 e 1\.000\.000$/ },
};

/** A dependent's unlink of one product, by hand in each language: the row's button, a choice, the confirmation, the toast and the way back. */
const UNLINK: Record<Language, { row: number; open: string; choice: string; confirm: string; toast: string; badge: string; again: string }> = {
  de: { row: 0, open: "Trennen…", choice: "Kopie dieses Shops archivieren", confirm: "Trennen", toast: "wird nicht mehr mit diesem Shop synchronisiert. Seine Kopie hier wird archiviert.", badge: "Vom Shop getrennt", again: "Wieder verknüpfen" },
  es: { row: 1, open: "Desvincular…", choice: "Archivar la copia de esta tienda", confirm: "Desvincular", toast: "ya no se sincroniza con esta tienda. Su copia aquí se está archivando.", badge: "Desvinculado por la tienda", again: "Volver a vincular" },
  it: { row: 2, open: "Scollega…", choice: "Archivia la copia di questo negozio", confirm: "Scollega", toast: "non è più sincronizzato con questo negozio. La sua copia qui viene archiviata.", badge: "Scollegato dal negozio", again: "Ricollega" },
};

/** A field rule chosen by hand in each language: its group heading, the field, the choices it offers, and the save button. */
const FIELD_RULE: Record<Language, { group: string; field: string; choices: string[]; pick: string; save: string }> = {
  de: { group: "Optionen und Varianten", field: "Gewicht", choices: ["Immer", "Nur beim ersten Import", "Nie"], pick: "Immer", save: "Einstellungen speichern" },
  es: { group: "Opciones y variantes", field: "Peso", choices: ["Siempre", "Solo en la primera importación", "Nunca"], pick: "Siempre", save: "Guardar las preferencias" },
  it: { group: "Opzioni e varianti", field: "Peso", choices: ["Sempre", "Solo alla prima importazione", "Mai"], pick: "Sempre", save: "Salva le preferenze" },
};

/** The primary's metafield card by hand in each language: its heading, its save button and the toast. */
const METAFIELDS: Record<Language, { heading: string; save: string; toast: string }> = {
  de: { heading: "Übertragene Metafelder", save: "Metafelder speichern", toast: "Jetzt wird 1 Metafeld an die abhängigen Shops übertragen." },
  es: { heading: "Metacampos que se transmiten", save: "Guardar los metacampos", toast: "Ahora se transmite 1 metacampo a las tiendas dependientes." },
  it: { heading: "Metacampi trasmessi", save: "Salva i metacampi", toast: "Ora viene trasmesso 1 metacampo ai negozi dipendenti." },
};

/** A dependent's Disconnect, by hand in each language: the button, its three outcomes (issue 36, item 4) and Cancel. */
const DISCONNECT: Record<Language, { open: string; keep: string; keepZero: string; remove: RegExp; cancel: string }> = {
  de: { open: "Trennen…", keep: "Trennen und Produkte behalten", keepZero: "Trennen, Produkte mit Bestand 0 behalten", remove: /^Trennen und \d+ Produkte löschen$/, cancel: "Abbrechen" },
  es: { open: "Desconectar…", keep: "Desconectar y conservar los productos", keepZero: "Desconectar, conservar los productos con inventario a 0", remove: /^Desconectar y eliminar \d+ productos$/, cancel: "Cancelar" },
  it: { open: "Disconnetti…", keep: "Disconnetti e tieni i prodotti", keepZero: "Disconnetti, tieni i prodotti con scorte a 0", remove: /^Disconnetti ed elimina \d+ prodotti$/, cancel: "Annulla" },
};

describe.each(["de", "es", "it"] as const)("an admin in %s", (language) => {
  async function open(shop: string, path: string) {
    const watched = await openWatchedPage(browser, BROWSER_LANGUAGE[language]);
    await watched.page.goto(`${network.sim.origin}/admin/${shop}/apps/tandem${path}?locale=${language}`);
    return { watched, frame: watched.page.frameLocator("#app-frame") };
  }

  test("every page of both roles reads that language, with no English sentence left", async () => {
    for (const page of PAGES) {
      const { watched, frame } = await open(page.shop === "primary" ? PRIMARY : DEPENDENT, page.path);
      await frame.getByRole("heading", { name: page.heading[language], exact: true }).first().waitFor({ timeout: 15_000 });
      if (page.name === "sync-log") await frame.locator("tbody tr").first().waitFor();
      if (["dashboard", "settings-dependent", "products"].includes(page.name)) await screenshot(watched.page, `${page.name}-${language}`);
      await expectLanguage(language, watched, frame);
      await watched.context.close();
    }
  }, 180_000);

  test("a dependent unlinks one product and links it again, every step in that language", async () => {
    const { watched, frame } = await open(DEPENDENT, "/app/products");
    const words = UNLINK[language];
    const row = frame.locator("tbody tr").nth(words.row);
    await row.getByRole("button", { name: words.open }).click();
    await frame.getByText(words.choice, { exact: true }).click();
    await expectLanguage(language, watched, frame);
    await frame.getByRole("button", { name: words.confirm, exact: true }).click();
    await frame.locator(".tandem-sim-toast").filter({ hasText: words.toast }).waitFor();
    await row.getByText(words.badge, { exact: true }).waitFor();
    await network.idle();
    await row.getByRole("button", { name: words.again }).click();
    await row.getByRole("button", { name: words.open }).waitFor();
    await network.idle();
    await expectLanguage(language, watched, frame);
  }, 60_000);

  test("a dependent chooses what it takes of a field, in that language, and the choice is saved", async () => {
    const { watched, frame } = await open(DEPENDENT, "/app/settings");
    const words = FIELD_RULE[language];
    await frame.getByRole("heading", { name: words.group, exact: true }).waitFor({ timeout: 15_000 });
    const weight = frame.getByLabel(words.field, { exact: true });
    expect(await weight.locator("option").allTextContents()).toEqual(words.choices);
    await weight.selectOption({ label: words.pick });
    await frame.getByRole("button", { name: words.save }).click();
    await expect.poll(async () => JSON.parse((await network.prisma.syncPreferences.findFirstOrThrow({ where: { dependentShop: DEPENDENT } })).fieldRules).weight, { timeout: 15_000 }).toBe("always");
    await expectLanguage(language, watched, frame);
    await network.prisma.syncPreferences.update({ where: { dependentShop: DEPENDENT }, data: { fieldRules: "{}" } });
  }, 60_000);

  test("the primary chooses a metafield that travels, in that language", async () => {
    const { watched, frame } = await open(PRIMARY, "/app/settings");
    const words = METAFIELDS[language];
    await frame.getByRole("heading", { name: words.heading, exact: true }).waitFor({ timeout: 15_000 });
    await frame.getByText("Material", { exact: true }).click();
    await frame.getByRole("button", { name: words.save }).click();
    await frame.locator(".tandem-sim-toast").filter({ hasText: words.toast }).waitFor();
    expect(await network.prisma.metafieldChoice.count({ where: { primaryShop: PRIMARY } })).toBe(1);
    await expectLanguage(language, watched, frame);
    await network.prisma.metafieldChoice.deleteMany({ where: { primaryShop: PRIMARY } });
    await network.idle();
  }, 60_000);

  test("a dependent's Disconnect offers its three outcomes in that language; Cancel leaves it connected", async () => {
    const { watched, frame } = await open(DEPENDENT, "/app/settings");
    const words = DISCONNECT[language];
    await frame.getByRole("button", { name: words.open }).click({ timeout: 15_000 });
    await frame.getByRole("button", { name: words.keep, exact: true }).waitFor();
    await frame.getByRole("button", { name: words.keepZero, exact: true }).waitFor();
    await frame.getByRole("button", { name: words.remove }).waitFor();
    await expectLanguage(language, watched, frame);
    await frame.getByRole("button", { name: words.cancel, exact: true }).click();
    // Cancel closes the choice and changes nothing.
    await frame.getByRole("button", { name: words.keep, exact: true }).waitFor({ state: "hidden" });
    expect(await network.prisma.connection.count({ where: { dependentShop: DEPENDENT, status: "connected" } })).toBe(1);
  }, 60_000);

  test("an invalid value gets the server's field error in that language", async () => {
    const { watched, frame } = await open(DEPENDENT, "/app/settings");
    const { label, save, error } = RATE_ERROR[language];
    await frame.getByLabel(label).fill("x");
    await frame.getByRole("button", { name: save }).click();
    await frame.getByText(error).waitFor({ timeout: 15_000 });
    await expectLanguage(language, watched, frame);
  }, 60_000);
});
