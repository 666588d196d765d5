import { createContext, useContext, useMemo, type ReactNode } from "react";
import { type Locale, translator, type Translator } from "./index";

const LocaleContext = createContext<{ locale: Locale; timeZone: string }>({ locale: "en", timeZone: "UTC" });

/** The admin's language and the store's time zone for everything below it (the app layout sets them from its loader). */
export function LocaleProvider({ locale, timeZone = "UTC", children }: { locale: Locale; timeZone?: string; children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone }), [locale, timeZone]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

/** The translator of the admin's language, with times in the store's time zone. */
export function useT(): Translator {
  const { locale, timeZone } = useContext(LocaleContext);
  return useMemo(() => translator(locale, timeZone), [locale, timeZone]);
}
