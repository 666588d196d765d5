/** The region each language's numbers and dates are written for (Intl). */
export const LANGUAGE_TAGS = { en: "en-US", fr: "fr-FR", de: "de-DE", es: "es-ES", it: "it-IT" } as const;

/**
 * A language's numbers and plurals, for its dictionary: a count as the language groups it (`n`:
 * 1 200 in French, 1.200 in German), a limit typed by the merchant to its last decimal (`exact`:
 * 0,000001), and the word that goes with a count by its plural category (`s`, Intl.PluralRules:
 * French says "one" for 0 and 1, the others for 1 alone).
 */
export function numbersIn(languageTag: string) {
  const plural = new Intl.PluralRules(languageTag);
  return {
    n: (value: number) => value.toLocaleString(languageTag),
    exact: (value: number) => value.toLocaleString(languageTag, { maximumFractionDigits: 6 }),
    s: (count: number, one: string, many: string) => (plural.select(count) === "one" ? one : many),
  };
}
