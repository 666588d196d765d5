import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner, BlockStack, Button, Card, InlineStack, Layout, List, Page, Text, TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SyncPreferencesForm } from "../components/SyncPreferencesForm";
import { ConnectionKeyDisplay, IntentButton } from "../components/network";
import { preferencesFieldErrors, preferencesSchema } from "../network/sync-preferences";
import {
  NetworkError, acceptInvite, chooseRole, connectWithKey, connectionKeyOf, connectionsOf, declineInvite,
  inviteStores, pendingInvitesFor, syncPreferencesOf,
} from "../services/network.server";
import { openStore, savePreferencesAndSync } from "../services/sync.server";
import { type Text as Message, text } from "../i18n";
import { useT } from "../i18n/react";
import { authenticate } from "../shopify.server";
import { fieldErrorsOf, typedText } from "../validation";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  return {
    shop: session.shop,
    role: store.role,
    connectionKey: store.role === "primary" ? await connectionKeyOf(session.shop) : null,
    invites: (await pendingInvitesFor(session.shop)).map((invite) => ({ id: invite.id, primaryShop: invite.primaryShop, expiresAt: invite.expiresAt.toISOString() })),
    // A connected dependent's next step is its sync preferences.
    connectedTo: store.role === "dependent" ? ((await connectionsOf(session.shop))[0]?.primaryShop ?? null) : null,
    preferences: store.role === "dependent" ? await syncPreferencesOf(session.shop) : null,
  };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("choose-role"), role: z.enum(["primary", "dependent"]) }),
  z.object({ intent: z.literal("invite"), addresses: typedText(5000) }),
  z.object({ intent: z.literal("connect-key"), key: typedText(200) }),
  z.object({ intent: z.literal("accept-invite"), inviteId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("decline-invite"), inviteId: z.string().min(1).max(64) }),
  preferencesSchema,
]);

export type OnboardingActionData =
  | { ok: false; error: Message; field?: string; fieldErrors?: Record<string, Message> }
  | { ok: true; invited?: { input: string; ok: boolean; error?: Message; shop?: string }[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = preferencesFieldErrors(form);
    if (fieldErrors) return { ok: false, error: text("settings.preferencesInvalid"), fieldErrors } satisfies OnboardingActionData;
    // A typed field refused (too long): marked on that field.
    const [field, error] = Object.entries(fieldErrorsOf(parsed.error) ?? {})[0] ?? [];
    if (field && error) return { ok: false, error, field } satisfies OnboardingActionData;
    return { ok: false, error: text("common.notUnderstood") } satisfies OnboardingActionData;
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "choose-role": await chooseRole(session.shop, input.role); break;
      case "invite": return await invited(session.shop, input.addresses);
      case "connect-key": await connectWithKey(session.shop, input.key); break;
      case "accept-invite": await acceptInvite(session.shop, input.inviteId); break;
      case "decline-invite": await declineInvite(session.shop, input.inviteId); break;
      case "save-preferences": {
        const { intent: _intent, ...preferences } = input;
        await savePreferencesAndSync(session.shop, preferences);
        throw redirect("/app");
      }
    }
    return { ok: true } satisfies OnboardingActionData;
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, error: error.text, field: input.intent === "connect-key" ? "key" : undefined } satisfies OnboardingActionData;
    throw error;
  }
};

/** The primary invites the addresses typed: each one invited, or refused with its reason. */
async function invited(shop: string, typed: string): Promise<OnboardingActionData> {
  const addresses = typed.split(/[\n,;]+/).map((address) => address.trim()).filter(Boolean);
  if (addresses.length === 0) return { ok: false, error: text("settings.enterAddress"), field: "addresses" };
  const results = await inviteStores(shop, addresses);
  return { ok: true, invited: results.map((r) => (r.ok ? { input: r.input, ok: true, shop: r.invite.dependentShop } : { input: r.input, ok: false, error: r.error })) };
}

export default function Onboarding() {
  const { role, connectionKey, invites, shop, connectedTo, preferences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as OnboardingActionData | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const t = useT();

  return (
    <Page title={t("onboarding.title")} subtitle={shop}>
      <Layout>
        {result && !result.ok && !result.field ? (
          <Layout.Section>
            <Banner tone="critical" title={t("onboarding.failed")}>
              <p>{t.text(result.error)}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {role === null && invites.length > 0 ? <Invitations invites={invites} busy={busy} atRoleStep /> : null}
        {role === null ? <ChooseRole busy={busy} /> : null}
        {role === "primary" ? <PrimaryStep connectionKey={connectionKey!} result={result} busy={busy} /> : null}
        {role === "dependent" && !connectedTo ? <DependentStep invites={invites} result={result} busy={busy} /> : null}
        {role === "dependent" && connectedTo ? (
          <Layout.Section>
            <BlockStack gap="400">
              <Banner tone="success" title={t("onboarding.connectedTo", { shop: connectedTo })} />
              <Card>
                <SyncPreferencesForm initial={preferences!} busy={busy} skipUrl="/app" errors={result && !result.ok ? result.fieldErrors : undefined} />
              </Card>
            </BlockStack>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

function ChooseRole({ busy }: { busy: boolean }) {
  const t = useT();
  return (
    <Layout.Section>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("common.primaryStore")}</Text>
            <Text as="p">{t("onboarding.primaryBody")}</Text>
            <IntentButton intent="choose-role" fields={{ role: "primary" }} label={t("onboarding.makePrimary")} busy={busy} variant="primary" />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("common.dependentStore")}</Text>
            <Text as="p">{t("onboarding.dependentBody")}</Text>
            <IntentButton intent="choose-role" fields={{ role: "dependent" }} label={t("onboarding.makeDependent")} busy={busy} />
          </BlockStack>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}

function PrimaryStep({ connectionKey, result, busy }: { connectionKey: string; result?: OnboardingActionData; busy: boolean }) {
  const t = useT();
  const [addresses, setAddresses] = useState("");
  const invited = result?.ok ? result.invited : undefined;
  return (
    <Layout.Section>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("onboarding.yourKey")}</Text>
            <Text as="p">{t("onboarding.yourKeyBody")}</Text>
            <ConnectionKeyDisplay connectionKey={connectionKey} />
          </BlockStack>
        </Card>
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("onboarding.invite")}</Text>
              <input type="hidden" name="intent" value="invite" />
              <TextField
                label={t("settings.addresses")}
                name="addresses"
                value={addresses}
                onChange={setAddresses}
                multiline={3}
                autoComplete="off"
                helpText={t("onboarding.addressesHelp")}
                error={result && !result.ok && result.field === "addresses" ? t.text(result.error) : undefined}
              />
              {invited ? (
                <List>
                  {invited.map((item) => (
                    <List.Item key={item.input}>{item.ok ? t("onboarding.invited", { shop: item.shop ?? item.input }) : t("settings.inviteFailed", { input: item.input, error: t.text(item.error) })}</List.Item>
                  ))}
                </List>
              ) : null}
              <InlineStack gap="200">
                <Button submit disabled={busy}>{t("settings.sendInvites")}</Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("onboarding.nextTitle")}</Text>
            <Text as="p">{t("onboarding.nextBody")}</Text>
            <InlineStack>
              <Button url="/app" variant="primary">{t("onboarding.toDashboard")}</Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}

function DependentStep({ invites, result, busy }: { invites: { id: string; primaryShop: string; expiresAt: string }[]; result?: OnboardingActionData; busy: boolean }) {
  const t = useT();
  const [key, setKey] = useState("");
  return (
    <Layout.Section>
      <BlockStack gap="400">
        {invites.length > 0 ? <Invitations invites={invites} busy={busy} /> : null}
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("onboarding.connectWithKey")}</Text>
              <input type="hidden" name="intent" value="connect-key" />
              <TextField
                label={t("onboarding.keyLabel")}
                name="key"
                value={key}
                onChange={setKey}
                autoComplete="off"
                placeholder="TNDM-XXXX-XXXX-…"
                helpText={t("onboarding.keyHelp")}
                error={result && !result.ok && result.field === "key" ? t.text(result.error) : undefined}
              />
              <InlineStack>
                <Button submit variant="primary" disabled={busy}>{t("onboarding.connect")}</Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}

/**
 * The invitations waiting for this store. At the role step they come first ("You have an
 * invitation from …"): accepting one makes the store that primary's dependent in one step.
 */
function Invitations({ invites, busy, atRoleStep = false }: { invites: { id: string; primaryShop: string; expiresAt: string }[]; busy: boolean; atRoleStep?: boolean }) {
  const t = useT();
  const cards = (
    <BlockStack gap="400">
      {invites.map((invite) => (
        <Card key={invite.id}>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{atRoleStep ? t("onboarding.youAreInvited", { shop: invite.primaryShop }) : t("onboarding.invitationFrom", { shop: invite.primaryShop })}</Text>
            <Text as="p">{atRoleStep ? t("onboarding.invitationAtRoleStep") : t("onboarding.invitationBody")}</Text>
            <InlineStack gap="200">
              <IntentButton intent="accept-invite" fields={{ inviteId: invite.id }} label={t("onboarding.accept")} busy={busy} variant="primary" />
              <IntentButton intent="decline-invite" fields={{ inviteId: invite.id }} label={t("onboarding.decline")} busy={busy} />
            </InlineStack>
          </BlockStack>
        </Card>
      ))}
    </BlockStack>
  );
  return atRoleStep ? <Layout.Section>{cards}</Layout.Section> : cards;
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
