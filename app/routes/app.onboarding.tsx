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
} from "../network/network.server";
import { openStore, savePreferencesAndSync } from "../jobs/enqueue.server";
import { authenticate } from "../shopify.server";

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
  z.object({ intent: z.literal("invite"), addresses: z.string().max(5000) }),
  z.object({ intent: z.literal("connect-key"), key: z.string().max(200) }),
  z.object({ intent: z.literal("accept-invite"), inviteId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("decline-invite"), inviteId: z.string().min(1).max(64) }),
  preferencesSchema,
]);

export type OnboardingActionData =
  | { ok: false; error: string; field?: string; fieldErrors?: Record<string, string> }
  | { ok: true; invited?: { input: string; ok: boolean; error?: string; shop?: string }[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = preferencesFieldErrors(form);
    if (fieldErrors) return { ok: false, error: `Preferences not saved: ${Object.values(fieldErrors).join("; ")}.`, fieldErrors } satisfies OnboardingActionData;
    return { ok: false, error: "That request was not understood. Reload the page and try again." } satisfies OnboardingActionData;
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "choose-role":
        await chooseRole(session.shop, input.role);
        return { ok: true } satisfies OnboardingActionData;
      case "invite": {
        const addresses = input.addresses.split(/[\n,;]+/).map((address) => address.trim()).filter(Boolean);
        if (addresses.length === 0) return { ok: false, error: "Enter at least one store address.", field: "addresses" } satisfies OnboardingActionData;
        const results = await inviteStores(session.shop, addresses);
        return {
          ok: true,
          invited: results.map((r) => (r.ok ? { input: r.input, ok: true, shop: r.invite.dependentShop } : { input: r.input, ok: false, error: r.error })),
        } satisfies OnboardingActionData;
      }
      case "connect-key":
        await connectWithKey(session.shop, input.key);
        return { ok: true } satisfies OnboardingActionData;
      case "accept-invite":
        await acceptInvite(session.shop, input.inviteId);
        return { ok: true } satisfies OnboardingActionData;
      case "save-preferences": {
        const { intent: _intent, ...preferences } = input;
        await savePreferencesAndSync(session.shop, preferences);
        throw redirect("/app");
      }
      case "decline-invite":
        await declineInvite(session.shop, input.inviteId);
        return { ok: true } satisfies OnboardingActionData;
    }
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, error: error.message, field: input.intent === "connect-key" ? "key" : undefined } satisfies OnboardingActionData;
    throw error;
  }
};

export default function Onboarding() {
  const { role, connectionKey, invites, shop, connectedTo, preferences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as OnboardingActionData | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";

  return (
    <Page title="Set up Tandem" subtitle={shop}>
      <Layout>
        {result && !result.ok && !result.field ? (
          <Layout.Section>
            <Banner tone="critical" title="That did not work">
              <p>{result.error}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {role === null ? <ChooseRole busy={busy} /> : null}
        {role === "primary" ? <PrimaryStep connectionKey={connectionKey!} result={result} busy={busy} /> : null}
        {role === "dependent" && !connectedTo ? <DependentStep invites={invites} result={result} busy={busy} /> : null}
        {role === "dependent" && connectedTo ? (
          <Layout.Section>
            <BlockStack gap="400">
              <Banner tone="success" title={`Connected to ${connectedTo}`} />
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
  return (
    <Layout.Section>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Primary store</Text>
            <Text as="p">
              This store&apos;s catalogue is the source of truth. Its products, prices and stock are copied to the stores you
              connect. Choose this in the store where you manage your products.
            </Text>
            <IntentButton intent="choose-role" fields={{ role: "primary" }} label="Make this the primary store" busy={busy} variant="primary" />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Dependent store</Text>
            <Text as="p">
              This store receives the primary store&apos;s catalogue and stock. You will need the primary store&apos;s connection
              key, or an invitation from it.
            </Text>
            <IntentButton intent="choose-role" fields={{ role: "dependent" }} label="Make this a dependent store" busy={busy} />
          </BlockStack>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}

function PrimaryStep({ connectionKey, result, busy }: { connectionKey: string; result?: OnboardingActionData; busy: boolean }) {
  const [addresses, setAddresses] = useState("");
  const invited = result?.ok ? result.invited : undefined;
  return (
    <Layout.Section>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Your connection key</Text>
            <Text as="p">
              Give this key to the owner of each store that should receive this catalogue. They paste it in Tandem in their
              store and are connected at once. Keep it private: anyone with the key can connect.
            </Text>
            <ConnectionKeyDisplay connectionKey={connectionKey} />
          </BlockStack>
        </Card>
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Invite stores (optional)</Text>
              <input type="hidden" name="intent" value="invite" />
              <TextField
                label="Store addresses"
                name="addresses"
                value={addresses}
                onChange={setAddresses}
                multiline={3}
                autoComplete="off"
                helpText="One per line: my-store, my-store.myshopify.com or the store's admin URL. Invitations expire after 14 days."
                error={result && !result.ok && result.field === "addresses" ? result.error : undefined}
              />
              {invited ? (
                <List>
                  {invited.map((item) => (
                    <List.Item key={item.input}>{item.ok ? `Invited ${item.shop}` : `${item.input}: ${item.error}`}</List.Item>
                  ))}
                </List>
              ) : null}
              <InlineStack gap="200">
                <Button submit disabled={busy}>Send invitations</Button>
                <Button url="/app" variant="plain">Skip for now</Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}

function DependentStep({ invites, result, busy }: { invites: { id: string; primaryShop: string; expiresAt: string }[]; result?: OnboardingActionData; busy: boolean }) {
  const [key, setKey] = useState("");
  return (
    <Layout.Section>
      <BlockStack gap="400">
        {invites.map((invite) => (
          <Card key={invite.id}>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Invitation from {invite.primaryShop}</Text>
              <Text as="p">Accept to receive this store&apos;s catalogue and stock. No key is needed.</Text>
              <InlineStack gap="200">
                <IntentButton intent="accept-invite" fields={{ inviteId: invite.id }} label="Accept invitation" busy={busy} variant="primary" />
                <IntentButton intent="decline-invite" fields={{ inviteId: invite.id }} label="Decline" busy={busy} />
              </InlineStack>
            </BlockStack>
          </Card>
        ))}
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Connect with a key</Text>
              <input type="hidden" name="intent" value="connect-key" />
              <TextField
                label="Primary store's connection key"
                name="key"
                value={key}
                onChange={setKey}
                autoComplete="off"
                placeholder="TNDM-XXXX-XXXX-…"
                helpText="The primary store finds it in Tandem › Settings."
                error={result && !result.ok && result.field === "key" ? result.error : undefined}
              />
              <InlineStack>
                <Button submit variant="primary" disabled={busy}>Connect</Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}
