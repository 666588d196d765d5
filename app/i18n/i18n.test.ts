import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { english, LOCALES, localeOf, requestLocale, text, translator } from "./index";
import { it as italian } from "./it";

const OTHER_LANGUAGES = { fr, de, es, it: italian } as const;
// Messages with no words of their own (symbols and parameters), and words a language shares with
// English (SKU, "Plan"): anything else equal to the English is a message nobody translated.
const NO_WORDS = ["common.none", "common.sku", "common.verbatim", "task.progress", "sync.andThen", "task.routineBetween", "settings.locationGoesTo", "settings.inviteFailed", "products.inStores", "log.fieldList"];
const SAME_AS_ENGLISH: Record<keyof typeof OTHER_LANGUAGES, Set<string>> = {
  fr: new Set([...NO_WORDS, "log.dateTerm", "log.skus", "products.skus", "log.action.stock", "task.sync-collections", "prefs.field.description", "prefs.field.images"]),
  de: new Set([...NO_WORDS, "log.skus", "products.skus", "prefs.field.tags", "prefs.field.barcode", "prefs.field.handle"]),
  es: new Set([...NO_WORDS, "nav.plan", "plan.title", "dashboard.planTitle", "log.action.error"]),
  it: new Set([...NO_WORDS, "prefs.field.handle"]),
};

/** Sample parameters for a message function: every name a message reads gets a value. */
function sampleParams(): Record<string, string | number> {
  return new Proxy({}, { get: (_, name) => (["count", "used", "limit", "available", "linked", "done", "total", "seconds", "days", "changes", "skipped", "errors", "variants", "quantity", "minutes", "before", "found", "min", "max", "price", "started", "running", "added", "removed", "renamed", "draft", "archived", "returned", "primary", "customLines"].includes(String(name)) ? 2 : `«${String(name)}»`) });
}
const rendered = (message: unknown) => (typeof message === "function" ? (message as (p: unknown) => string)(sampleParams()) : String(message));

describe("dictionaries", () => {
  test("the languages Tandem speaks are English, French, German, Spanish and Italian (seeds 000 and 004)", () => {
    expect([...LOCALES].sort()).toEqual(["de", "en", "es", "fr", "it"]);
  });

  test.each(Object.keys(OTHER_LANGUAGES))("%s has every English key and no other", (locale) => {
    expect(Object.keys(OTHER_LANGUAGES[locale as keyof typeof OTHER_LANGUAGES]).sort()).toEqual(Object.keys(en).sort());
  });

  test.each(Object.keys(OTHER_LANGUAGES))("every %s message is written in that language (not a copy of the English)", (locale) => {
    const dictionary = OTHER_LANGUAGES[locale as keyof typeof OTHER_LANGUAGES] as Record<string, unknown>;
    const same = SAME_AS_ENGLISH[locale as keyof typeof OTHER_LANGUAGES];
    const copied = Object.keys(en).filter((key) => !same.has(key) && rendered(en[key as keyof typeof en]) === rendered(dictionary[key]));
    expect(copied).toEqual([]);
  });

  test("every message renders its parameters", () => {
    for (const [locale, dictionary] of Object.entries({ en, ...OTHER_LANGUAGES })) {
      for (const [key, message] of Object.entries(dictionary)) {
        const shown = rendered(message);
        expect(shown, `${locale} ${key}`).not.toMatch(/undefined|NaN|\[object/);
        expect(shown.length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  test("the product block speaks every language, with the default file's keys", () => {
    const folder = path.resolve(import.meta.dirname, "../../extensions/product-sync-block/locales");
    const keysOf = (file: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"))).sort();
    const defaultKeys = keysOf("en.default.json");
    for (const locale of LOCALES.filter((locale) => locale !== "en")) expect(keysOf(`${locale}.json`), locale).toEqual(defaultKeys);
  });
});

describe("rendering", () => {
  test("numbers, plurals and nested messages follow the language", () => {
    const fr = translator("fr");
    expect(english("dashboard.planUsed", { used: 1200, limit: 10000, available: 8800 })).toBe("1,200 of 10,000 products used · 8,800 available");
    expect(fr("dashboard.planUsed", { used: 1200, limit: 10000, available: 8800 })).toBe("1\u202f200 produits utilisés sur 10\u202f000 · 8\u202f800 disponibles");
    expect(fr("products.linked", { variants: 1 })).toBe("Lié · 1 variante");
    expect(fr("products.linked", { variants: 3 })).toBe("Lié · 3 variantes");
    const later = text("settings.preferencesLater", { reason: text("blocker.paused", { dependent: "b.myshopify.com" }) });
    expect(english.text(later)).toBe("Preferences saved. They apply from the next sync (Sync to b.myshopify.com is paused by the primary store).");
    expect(fr.text(later)).toBe("Préférences enregistrées. Elles s’appliquent dès la prochaine synchronisation (La synchronisation vers b.myshopify.com est en pause (décision de la boutique principale)).");
  });

  test("a stored message whose key no longer exists shows the English stored beside it", () => {
    expect(translator("fr").text({ key: "entry.gone-key" }, "Created “Hat”")).toBe("Created “Hat”");
    expect(translator("fr").text(null, "Created “Hat”")).toBe("Created “Hat”");
  });
});

describe("the admin's locale", () => {
  test.each([
    ["fr", "fr"], ["fr-FR", "fr"], ["fr-CA", "fr"], ["FR", "fr"], ["en-US", "en"], ["de", "de"], ["de-AT", "de"], ["es-MX", "es"], ["it-CH", "it"], ["ja", null], ["pt-BR", null], ["", null], [null, null],
    ["fr-FR,fr;q=0.9,en;q=0.8", "fr"], ["de-DE,fr;q=0.9", "de"], ["ja-JP,fr;q=0.9", null],
  ])("%s reads as %s", (value, locale) => {
    expect(localeOf(value)).toBe(locale);
  });

  test("Shopify's locale parameter wins over the browser's language, English otherwise", () => {
    expect(requestLocale(new Request("https://app.test/app?locale=fr-FR", { headers: { "accept-language": "en-US" } }))).toBe("fr");
    expect(requestLocale(new Request("https://app.test/app", { headers: { "accept-language": "fr-CA,fr;q=0.9" } }))).toBe("fr");
    expect(requestLocale(new Request("https://app.test/app?locale=ja"))).toBe("en");
  });
});

describe("times", () => {
  test("show in the store's time zone, named, and in UTC when the zone is unknown here", () => {
    const moment = "2026-12-07T09:30:00Z";
    expect(translator("en", "Europe/Paris").dateTime(moment)).toBe("Dec 7, 2026, 10:30 AM GMT+1");
    expect(translator("en").dateTime(moment)).toBe("Dec 7, 2026, 9:30 AM UTC");
    expect(translator("en", "Nowhere/Unknown").dateTime(moment)).toBe("Dec 7, 2026, 9:30 AM UTC");
  });
});
