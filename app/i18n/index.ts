import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { LANGUAGE_TAGS } from "./numbers";

/** The admin languages Tandem speaks (seed 004's help speaks the first four, seed 000 French); anything else reads English. */
export const LOCALES = ["en", "fr", "de", "es", "it"] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages = typeof en;
export type MessageKey = keyof Messages;
/**
 * A message that is shown later, maybe in another language: what the server returns or stores
 * instead of text (sync log entries, action results, errors). Plain JSON, so it survives loaders
 * and the database. A parameter may itself be a message (a reason inside a sentence).
 */
export type Text = { key: string; params?: Params };
type Params = { [name: string]: string | number | Text };
/** A message's parameters, when its text is a function of them. */
export type ParamsOf<K extends MessageKey> = Messages[K] extends (params: infer P) => string ? [params: P] : [];
/** The same, where any text may also be a message rendered in the same language. */
type TextParamsOf<K extends MessageKey> = Messages[K] extends (params: infer P) => string ? [params: { [N in keyof P]: P[N] extends string ? string | Text : P[N] }] : [];

const DICTIONARIES: Record<Locale, Messages> = { en, fr, de, es, it };

/** A message to render later: the key is checked against the dictionary and the parameters against its text. */
export function text<K extends MessageKey>(key: K, ...params: TextParamsOf<K>): Text {
  return params[0] === undefined ? { key } : { key, params: params[0] as Params };
}

/**
 * The admin's `locale` (Shopify sends "fr", "fr-FR", "fr-CA"…) as one of ours. An `Accept-Language`
 * header is read the same way, first language first.
 */
export function localeOf(value: string | null | undefined): Locale | null {
  for (const part of (value ?? "").split(",")) {
    const language = part.trim().split(/[-_;]/)[0]?.toLowerCase();
    if (language && (LOCALES as readonly string[]).includes(language)) return language as Locale;
    if (language) return null;
  }
  return null;
}

/** The locale of an admin request: Shopify's `locale` parameter, else the browser's language, else English. */
export function requestLocale(request: Request): Locale {
  return localeOf(new URL(request.url).searchParams.get("locale")) ?? localeOf(request.headers.get("accept-language")) ?? "en";
}

export type Translator = ReturnType<typeof translator>;

/**
 * Dates and times in the store's time zone, named ("UTC", "GMT+1", "EST"…): a merchant reads the
 * admin's own clock. A zone this runtime does not know (a browser older than the zone) falls back
 * to UTC, still named.
 */
function dateTimeFormatOf(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" };
  const language = LANGUAGE_TAGS[locale];
  try {
    return new Intl.DateTimeFormat(language, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(language, { ...options, timeZone: "UTC" });
  }
}

/** Everything a screen needs to speak `locale`: messages, stored texts, numbers and dates. */
export function translator(locale: Locale, timeZone = "UTC") {
  const messages = DICTIONARIES[locale];
  const render = (key: string, params?: Params): string | null => {
    const message = (messages as unknown as Record<string, string | ((params: Record<string, string | number>) => string)>)[key];
    if (message === undefined) return null;
    if (typeof message === "string") return message;
    const flat = Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [name, typeof value === "object" ? (render(value.key, value.params) ?? value.key) : value]));
    return message(flat);
  };
  const numberFormat = new Intl.NumberFormat(LANGUAGE_TAGS[locale]);
  const dateTimeFormat = dateTimeFormatOf(locale, timeZone);
  const dayFormat = new Intl.DateTimeFormat(LANGUAGE_TAGS[locale], { month: "numeric", day: "numeric", timeZone: "UTC" });
  function t<K extends MessageKey>(key: K, ...params: ParamsOf<K>): string {
    return render(key, params[0] as Params | undefined) ?? key;
  }
  return Object.assign(t, {
    locale,
    /** A stored or returned message; `fallback` (the English stored beside it) when the key is unknown, as in entries older than the key. */
    text: (message: Text | null | undefined, fallback = ""): string => (message ? (render(message.key, message.params) ?? fallback) : fallback),
    number: (value: number) => numberFormat.format(value),
    dateTime: (value: Date | string) => dateTimeFormat.format(new Date(value)),
    day: (value: Date | string) => dayFormat.format(new Date(value)),
  });
}

/** Text stored before messages had keys (English), shown as it is. */
export function verbatim(english: string): Text {
  return { key: "common.verbatim", params: { text: english } };
}

/** English, as written to the logs, the CSV's fallback columns and NetworkError messages. */
export const english = translator("en");
