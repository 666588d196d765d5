import type { FrameLocator } from "playwright-core";
import { expect } from "vitest";
import { de } from "../../app/i18n/de";
import { en } from "../../app/i18n/en";
import { es } from "../../app/i18n/es";
import { fr } from "../../app/i18n/fr";
import type { Locale } from "../../app/i18n/index";
import { it } from "../../app/i18n/it";
import type { WatchedPage } from "./browser";

const DICTIONARIES: Record<Locale, Record<string, unknown>> = { en, fr, de, es, it };
/** The browser's language that goes with each admin locale. */
export const BROWSER_LANGUAGE: Record<Locale, string> = { en: "en-US", fr: "fr-FR", de: "de-DE", es: "es-ES", it: "it-IT" };

/** One language's sentences that another does not share (short words like "Stock" may be both). */
function sentencesOnlyIn(language: Locale, other: Locale): string[] {
  const theirs = DICTIONARIES[other];
  return Object.entries(DICTIONARIES[language])
    .filter(([key, value]) => typeof value === "string" && value.length >= 12 && value !== theirs[key])
    .map(([, value]) => value as string);
}

/**
 * The page reads one language: its language attribute, none of Tandem's sentences of another
 * language (English for the others; any other for English), and no console error.
 */
export async function expectLanguage(locale: Locale, watched: WatchedPage, frame: FrameLocator) {
  expect(await frame.locator("html").getAttribute("lang")).toBe(locale);
  const shown = await frame.locator("body").innerText();
  const foreign = locale === "en" ? (Object.keys(DICTIONARIES) as Locale[]).filter((other) => other !== "en").flatMap((other) => sentencesOnlyIn(other, "en")) : sentencesOnlyIn("en", locale);
  expect(foreign.filter((sentence) => shown.includes(sentence))).toEqual([]);
  expect(watched.problems).toEqual([]);
}
