import { describe, expect, test } from "vitest";
import { en } from "./en";
import { fr } from "./fr";
import { english, localeOf, requestLocale, text, translator } from "./index";

// Words that are the same in both languages.
const SAME_IN_FRENCH = new Set(["common.none", "common.sku", "common.verbatim", "log.dateTerm", "log.skus", "products.skus", "log.action.stock", "dashboard.syncStatus", "task.sync-collections", "task.progress", "prefs.details", "sync.andThen"]);

/** Sample parameters for a message function: every name a message reads gets a value. */
function sampleParams(): Record<string, string | number> {
  return new Proxy({}, { get: (_, name) => (["count", "used", "limit", "available", "linked", "done", "total", "seconds", "days", "changes", "skipped", "errors", "variants", "quantity", "minutes", "before", "found", "min", "max", "price", "started", "running", "added", "removed", "renamed", "draft", "archived", "returned", "primary", "customLines"].includes(String(name)) ? 2 : `«${String(name)}»`) });
}

describe("dictionaries", () => {
  test("French has every English key and no other", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  test("every French message is written in French (not a copy of the English)", () => {
    const copied = Object.keys(en).filter((key) => {
      if (SAME_IN_FRENCH.has(key)) return false;
      const render = (message: unknown) => (typeof message === "function" ? (message as (p: unknown) => string)(sampleParams()) : String(message));
      return render(en[key as keyof typeof en]) === render(fr[key as keyof typeof fr]);
    });
    expect(copied).toEqual([]);
  });

  test("every message renders its parameters", () => {
    for (const [locale, dictionary] of [["en", en], ["fr", fr]] as const) {
      for (const [key, message] of Object.entries(dictionary)) {
        const rendered = typeof message === "function" ? (message as (p: unknown) => string)(sampleParams()) : message;
        expect(rendered, `${locale} ${key}`).not.toMatch(/undefined|NaN|\[object/);
        expect(rendered.length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
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
    ["fr", "fr"], ["fr-FR", "fr"], ["fr-CA", "fr"], ["FR", "fr"], ["en-US", "en"], ["de", null], ["", null], [null, null], ["fr-FR,fr;q=0.9,en;q=0.8", "fr"], ["de-DE,fr;q=0.9", null],
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
