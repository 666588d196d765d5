import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, type ShouldRevalidateFunction, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { getConfig } from "../config.server";
import { POLARIS_TRANSLATIONS } from "../i18n/polaris";
import { requestLocale } from "../i18n";
import { LocaleProvider, useT } from "../i18n/react";
import { authenticate } from "../shopify.server";
import { timeZoneOf } from "../services/time-zone.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }, { rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const config = getConfig();
  return { apiKey: config.SHOPIFY_API_KEY, appBridgeScript: config.APP_BRIDGE_SCRIPT_URL ?? null, locale: requestLocale(request), timeZone: await timeZoneOf(session.shop) };
};

// The admin's locale arrives with the document (Shopify's `locale` parameter); the app's own links
// and the reloads after a form post do not carry it, so the layout keeps what the document said.
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) =>
  nextUrl.searchParams.has("locale") && defaultShouldRevalidate;

export default function AppLayout() {
  const { apiKey, appBridgeScript, locale, timeZone } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={POLARIS_TRANSLATIONS[locale]} {...(appBridgeScript ? { __APP_BRIDGE_URL: appBridgeScript } : {})}>
      <LocaleProvider locale={locale} timeZone={timeZone}>
        <Navigation />
        <Outlet />
      </LocaleProvider>
    </AppProvider>
  );
}

function Navigation() {
  const t = useT();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.dashboard")}
      </Link>
      <Link to="/app/products">{t("nav.products")}</Link>
      <Link to="/app/sync-log">{t("nav.syncLog")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
      <Link to="/app/plan">{t("nav.plan")}</Link>
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
