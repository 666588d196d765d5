import type { Browser, FrameLocator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, openWatchedPage, screenshot, type WatchedPage } from "../setup/browser";
import { BROWSER_LANGUAGE, expectLanguage } from "../setup/languages";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// Every page of both roles in a French admin (Shopify's locale=fr): French headings, not one of
// Tandem's English sentences left, Polaris in French, <html lang="fr">, no console error. The
// dashboard is captured while Sync all runs and after it.
const PRIMARY = "fr-principale.myshopify.com";
const DEPENDENT = "fr-secondaire.myshopify.com";
let network: SyncNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY });
  await control.createStore({ domain: DEPENDENT });
  await control.seed(PRIMARY, { products: 40, variantsPerProduct: 2, seed: 8, skuPrefix: "FR" });
  await control.createMetafieldDefinition(PRIMARY, { name: "Matière", namespace: "custom", key: "matiere", type: "single_line_text_field" });
  await control.createProduct(PRIMARY, { title: "Échantillon sans SKU", variants: [{ sku: null, price: "1.00" }] });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

async function openIn(locale: "en" | "fr", shop: string, path: string): Promise<{ watched: WatchedPage; frame: FrameLocator }> {
  const watched = await openWatchedPage(browser, BROWSER_LANGUAGE[locale]);
  await watched.page.goto(`${network.sim.origin}/admin/${shop}/apps/tandem${path}${path.includes("?") ? "&" : "?"}locale=${locale}`);
  return { watched, frame: watched.page.frameLocator("#app-frame") };
}
const openInFrench = (shop: string, path: string) => openIn("fr", shop, path);

const expectFrench = (watched: WatchedPage, frame: FrameLocator) => expectLanguage("fr", watched, frame);

describe("a French admin", () => {
  test("the primary's dashboard during and after Sync all, from the keyboard", async () => {
    const { watched, frame } = await openInFrench(PRIMARY, "");
    await frame.getByRole("heading", { name: "État de la synchronisation" }).waitFor({ timeout: 15_000 });
    // The product without SKU is available but cannot be linked.
    await frame.getByText("40 produits liés sur 41 disponibles").waitFor();
    await frame.getByText("Forfait : Free").waitFor();
    // The seeds' word for the role (seed 004: « boutiques dépendantes »), in Connected stores too.
    expect(await frame.getByText("Dépendante", { exact: true }).count()).toBe(1);
    await expectFrench(watched, frame);

    // Hold the run once it counts the primary's products (the dependent's export stays queued at
    // Shopify), so that it is seen going whatever the machine's speed.
    await network.sim.control.setChaos({ bulkPaused: [DEPENDENT] });
    const syncAll = frame.getByRole("button", { name: "Tout synchroniser", exact: true });
    await syncAll.focus();
    await syncAll.press("Enter");
    await frame.locator(".tandem-sim-toast").filter({ hasText: "Synchronisation complète lancée pour 1 boutique." }).waitFor();
    await expect.poll(() => network.prisma.job.count({ where: { kind: "sync-all", status: "running", progressTotal: { not: null } } }), { timeout: 60_000 }).toBe(1);
    // Reading the catalogues has no count: the line says what the run does, with no bar and no
    // time left made up (issue 35: a bar at 0 that jumped to the end).
    await frame.getByText("Lecture des catalogues des deux boutiques…").first().waitFor({ timeout: 20_000 });
    await frame.getByText("En cours", { exact: true }).first().waitFor();
    expect(await frame.getByRole("progressbar").count()).toBe(0);
    expect(await frame.getByText(/restantes/).count()).toBe(0);
    await screenshot(watched.page, "dashboard-fr-during-sync-all");
    await network.sim.control.setChaos({ bulkPaused: false });
    await expect.poll(() => frame.getByText("Terminée", { exact: true }).count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await frame.getByRole("img", { name: /^Activité de synchronisation ces 14 derniers jours : 40 modifications, \d+ ignorées, 0 erreurs$/ }).waitFor();
    await screenshot(watched.page, "dashboard-fr-after-sync-all");

    const menu = frame.getByRole("button", { name: `Actions pour Tout synchroniser (${DEPENDENT})` }).first();
    await menu.focus();
    await menu.press("Enter");
    await frame.getByRole("menuitem", { name: "Détails" }).click();
    await frame.getByText(/41 produits dans la boutique principale · .*41 produits traités/).first().waitFor();
    await expectFrench(watched, frame);
  }, 120_000);

  test("the primary's products, sync log, entry, settings, plan and onboarding", async () => {
    const products = await openInFrench(PRIMARY, "/app/products");
    await products.frame.getByRole("heading", { name: "Produits" }).waitFor({ timeout: 15_000 });
    await products.frame.getByRole("columnheader", { name: "Problèmes et solutions" }).waitFor();
    await products.frame.getByRole("button", { name: "Suivant" }).click();
    const noSku = products.frame.locator("tbody tr").filter({ hasText: "Échantillon sans SKU" });
    await noSku.getByText("1 variante de « Échantillon sans SKU » sans SKU, non synchronisée").waitFor();
    await noSku.getByText("Solution : Donnez à chaque variante un SKU unique dans la boutique principale").waitFor();
    await screenshot(products.watched.page, "products-fr");
    await expectFrench(products.watched, products.frame);

    const log = await openInFrench(PRIMARY, "/app/sync-log");
    await log.frame.getByRole("heading", { name: "Journal de synchronisation" }).waitFor({ timeout: 15_000 });
    await log.frame.getByRole("columnheader", { name: "Ce qui s’est passé" }).waitFor();
    await log.frame.getByLabel("Type").selectOption({ label: "Ignoré" });
    const skipped = log.frame.locator("tbody tr").filter({ hasText: "Échantillon sans SKU" }).first();
    await skipped.waitFor();
    await screenshot(log.watched.page, "sync-log-fr");
    await expectFrench(log.watched, log.frame);
    await skipped.click();
    await log.frame.getByRole("heading", { name: "Comment corriger" }).waitFor();
    await log.frame.getByText("Ce qui s’est passé").waitFor();
    await expectFrench(log.watched, log.frame);

    const settings = await openInFrench(PRIMARY, "/app/settings");
    await settings.frame.getByRole("heading", { name: "Clé de connexion" }).waitFor({ timeout: 15_000 });
    await settings.frame.getByRole("button", { name: "Mettre en pause" }).waitFor();
    await settings.frame.getByRole("button", { name: "Régénérer la clé…" }).click();
    await settings.frame.getByText("Régénérer la clé de connexion ?").waitFor();
    await screenshot(settings.watched.page, "settings-primary-fr");
    await expectFrench(settings.watched, settings.frame);

    // The metafields card, in French: a definition ticked and saved.
    const metafields = await openInFrench(PRIMARY, "/app/settings");
    await metafields.frame.getByRole("heading", { name: "Métachamps transmis" }).waitFor({ timeout: 15_000 });
    await metafields.frame.getByText("Matière", { exact: true }).click();
    await metafields.frame.getByRole("button", { name: "Enregistrer les métachamps" }).click();
    await metafields.frame.locator(".tandem-sim-toast").filter({ hasText: "1 métachamp est transmis aux boutiques dépendantes." }).waitFor();
    expect(await network.prisma.metafieldChoice.count({ where: { primaryShop: PRIMARY } })).toBe(1);
    await expectFrench(metafields.watched, metafields.frame);

    const plan = await openInFrench(PRIMARY, "/app/plan");
    await plan.frame.getByRole("heading", { name: "Forfait actuel : Free" }).waitFor({ timeout: 15_000 });
    await plan.frame.getByRole("button", { name: "Passer au forfait Pro" }).waitFor();
    await expectFrench(plan.watched, plan.frame);

    const onboarding = await openInFrench(PRIMARY, "/app/onboarding");
    await onboarding.frame.getByRole("heading", { name: "Votre clé de connexion" }).waitFor({ timeout: 15_000 });
    // A bad address is refused inline, in French.
    await onboarding.frame.getByLabel("Adresses des boutiques").fill("pas une boutique !");
    await onboarding.frame.getByRole("button", { name: "Envoyer les invitations" }).click();
    await onboarding.frame.getByText(/pas une boutique ! : Utilisez l’adresse myshopify\.com de la boutique/).waitFor();
    await expectFrench(onboarding.watched, onboarding.frame);
  }, 120_000);

  test("the dependent's dashboard, products, sync log, settings (with an inline error) and plan", async () => {
    const dashboard = await openInFrench(DEPENDENT, "");
    await dashboard.frame.getByRole("heading", { name: "Boutiques connectées" }).waitFor({ timeout: 15_000 });
    await dashboard.frame.getByText("Principale", { exact: true }).waitFor();
    await dashboard.frame.getByText("Connectée", { exact: true }).first().waitFor();
    await expectFrench(dashboard.watched, dashboard.frame);

    const products = await openInFrench(DEPENDENT, "/app/products");
    await products.frame.getByRole("columnheader", { name: DEPENDENT }).waitFor({ timeout: 15_000 });
    await expect.poll(() => products.frame.getByText("Lié · 2 variantes", { exact: true }).count()).toBe(25);
    await expectFrench(products.watched, products.frame);

    const log = await openInFrench(DEPENDENT, "/app/sync-log");
    await log.frame.getByRole("heading", { name: "Journal de synchronisation" }).waitFor({ timeout: 15_000 });
    await expect.poll(() => log.frame.getByText("Créé", { exact: true }).count()).toBeGreaterThan(0);
    await expectFrench(log.watched, log.frame);

    const settings = await openInFrench(DEPENDENT, "/app/settings");
    await settings.frame.getByRole("heading", { name: "Ce qui est synchronisé depuis la boutique principale" }).waitFor({ timeout: 15_000 });
    await settings.frame.getByLabel("Taux de change").fill("beaucoup");
    await settings.frame.getByRole("button", { name: "Enregistrer les préférences" }).click();
    await settings.frame.getByText("Préférences non enregistrées : corrigez les champs signalés ci-dessous.").waitFor();
    await settings.frame.getByText(/^Le taux de change doit être un nombre entre 0,000001 et 1\s000\s000$/).waitFor();
    await settings.frame.getByRole("button", { name: "Se déconnecter…" }).click();
    await settings.frame.getByRole("button", { name: "Se déconnecter et garder les produits" }).waitFor();
    await settings.frame.getByRole("button", { name: "Se déconnecter, garder les produits avec un stock à 0" }).waitFor();
    await screenshot(settings.watched.page, "settings-dependent-fr");
    await expectFrench(settings.watched, settings.frame);

    const plan = await openInFrench(DEPENDENT, "/app/plan");
    await plan.frame.getByRole("heading", { name: "Forfait actuel : Free" }).waitFor({ timeout: 15_000 });
    await expectFrench(plan.watched, plan.frame);
  }, 120_000);

  test("the locale survives a form post, and locale=en reads English in a French browser", async () => {
    const { watched, frame } = await openInFrench(DEPENDENT, "/app/settings");
    // A field rule chosen in French, by its group and its words.
    await frame.getByRole("heading", { name: "Options et variantes", exact: true }).waitFor({ timeout: 15_000 });
    const costRule = frame.getByLabel("Coût par article", { exact: true });
    expect(await costRule.locator("option").allTextContents()).toEqual(["Toujours", "À la première importation seulement", "Jamais"]);
    await costRule.selectOption({ label: "À la première importation seulement" });
    await frame.getByRole("button", { name: "Enregistrer les préférences" }).click();
    // The action's answer and the reloaded page stay French, though the post carries no locale.
    await frame.getByText(/^Préférences enregistrées\./).waitFor({ timeout: 15_000 });
    expect(JSON.parse((await network.prisma.syncPreferences.findFirstOrThrow({ where: { dependentShop: DEPENDENT } })).fieldRules)).toMatchObject({ unitCost: "first" });
    await expectFrench(watched, frame);

    const english = await openWatchedPage(browser, "fr-FR");
    await english.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem/app/settings?locale=en`);
    const englishFrame = english.page.frameLocator("#app-frame");
    await englishFrame.getByRole("heading", { name: "What to sync from the primary store" }).waitFor({ timeout: 15_000 });
    expect(await englishFrame.locator("html").getAttribute("lang")).toBe("en");
    expect(english.problems).toEqual([]);
  }, 60_000);
});

// The English pages the other browser suites do not open (they cover the dashboard, products, sync
// log and settings of the primary, and the dependent's products and settings).
describe("an English admin", () => {
  test("the dependent's dashboard and sync log, both plans pages and the primary's onboarding", async () => {
    const dashboard = await openIn("en", DEPENDENT, "");
    await dashboard.frame.getByRole("heading", { name: "Connected stores" }).waitFor({ timeout: 15_000 });
    await dashboard.frame.getByText(`${DEPENDENT} · Dependent store`).waitFor();
    await dashboard.frame.getByText("Primary", { exact: true }).waitFor();
    await expectLanguage("en", dashboard.watched, dashboard.frame);

    const log = await openIn("en", DEPENDENT, "/app/sync-log");
    await log.frame.getByRole("columnheader", { name: "What happened" }).waitFor({ timeout: 15_000 });
    await expect.poll(() => log.frame.getByText("Created", { exact: true }).count()).toBeGreaterThan(0);
    await expectLanguage("en", log.watched, log.frame);

    for (const shop of [PRIMARY, DEPENDENT]) {
      const plan = await openIn("en", shop, "/app/plan");
      await plan.frame.getByRole("heading", { name: "Current plan: Free" }).waitFor({ timeout: 15_000 });
      await plan.frame.getByRole("button", { name: "Upgrade to Pro" }).waitFor();
      await expectLanguage("en", plan.watched, plan.frame);
    }
    await screenshot(log.watched.page, "sync-log-dependent");

    const onboarding = await openIn("en", PRIMARY, "/app/onboarding");
    await onboarding.frame.getByRole("heading", { name: "Your connection key" }).waitFor({ timeout: 15_000 });
    await onboarding.frame.getByLabel("Store addresses").fill("not a store!");
    const send = onboarding.frame.getByRole("button", { name: "Send invitations" });
    await send.focus();
    await send.press("Enter");
    await onboarding.frame.getByText(/not a store!: Use the store's myshopify\.com address/).waitFor();
    await expectLanguage("en", onboarding.watched, onboarding.frame);
  }, 120_000);
});
