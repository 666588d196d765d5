import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useT } from "../i18n/react";

/**
 * A page's error, shown inside the app's layout (its navigation stays): a title, what happened and
 * the way back to the dashboard, in the admin's language. Shopify's own answers (a session to renew:
 * 401, or anything the library throws with its headers) still go to the library's boundary.
 */
export function RouteError() {
  const error = useRouteError();
  const t = useT();
  if (isRouteErrorResponse(error) && error.status === 401) return boundary.error(error);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? "error.notFound" : status === 400 ? "error.badRequest" : "error.failed";
  return (
    <Page title={t(`${key}.title`)} backAction={{ content: t("nav.dashboard"), url: "/app" }}>
      <Banner tone={status >= 500 ? "critical" : "warning"} action={{ content: t("error.back"), url: "/app" }}>
        <p>{t(`${key}.body`)}</p>
      </Banner>
    </Page>
  );
}
