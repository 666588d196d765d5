import { createContext, useContext, useMemo, type ReactNode } from "react";
import { type Locale, translator, type Translator } from "./index";

const LocaleContext = createContext<Locale>("en");

/** The admin's language for everything below it (the app layout sets it from its loader). */
export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** The translator of the admin's language. */
export function useT(): Translator {
  const locale = useContext(LocaleContext);
  return useMemo(() => translator(locale), [locale]);
}
