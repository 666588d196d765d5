import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requestLocale, translator } from "../i18n";

// Shopify opens the app at the app URL with ?shop=…&host=…; everything lives under /app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { locale: requestLocale(request) };
};

export default function Landing() {
  const t = translator(useLoaderData<typeof loader>().locale);
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Tandem</h1>
      <p>{t("landing.what")}</p>
      <p>{t("landing.open")}</p>
    </main>
  );
}
