import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { POLARIS_TRANSLATIONS } from "../i18n/polaris";
import { requestLocale, translator } from "../i18n";
import { login } from "../shopify.server";

// The login page of Shopify's app template: opened outside the admin (or when a request carries no
// shop), it asks for the store's domain and sends the merchant to Shopify to open or install Tandem.
// The library's login() redirects for a valid domain and answers which field is wrong otherwise.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

const errorKey = (error: LoginErrorType | undefined): "login.missingShop" | "login.invalidShop" | null =>
  error === LoginErrorType.MissingShop ? "login.missingShop" : error === LoginErrorType.InvalidShop ? "login.invalidShop" : null;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const errors = await login(request);
  return { locale: requestLocale(request), error: errorKey(errors.shop) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const errors = await login(request);
  return { error: errorKey(errors.shop) };
};

export default function Login() {
  const { locale, error: loaderError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = translator(locale);
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderError;
  return (
    <AppProvider i18n={POLARIS_TRANSLATIONS[locale]}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {t("login.title")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={t("login.shop")}
                helpText={t("login.shopHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error ? t(error) : undefined}
              />
              <Button submit variant="primary">
                {t("login.submit")}
              </Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
