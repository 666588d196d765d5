import polarisGerman from "@shopify/polaris/locales/de.json";
import polarisEnglish from "@shopify/polaris/locales/en.json";
import polarisSpanish from "@shopify/polaris/locales/es.json";
import polarisFrench from "@shopify/polaris/locales/fr.json";
import polarisItalian from "@shopify/polaris/locales/it.json";
import type { Locale } from "./index";

/** Polaris's own words (pagination, loading, close…) in each language Tandem speaks. */
export const POLARIS_TRANSLATIONS: Record<Locale, typeof polarisEnglish> = { en: polarisEnglish, fr: polarisFrench, de: polarisGerman, es: polarisSpanish, it: polarisItalian };
