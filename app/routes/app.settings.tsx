import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SyncPreferencesForm } from "../components/SyncPreferencesForm";
import { type ConnectionStatus, ConnectionKeyDisplay, ConnectionStatusBadge, IntentButton } from "../components/network";
import { parseLocationMapping, preferencesFieldErrors, preferencesSchema } from "../network/sync-preferences";
import { locationMappingView, updateLocationMapping } from "../jobs/locations.server";
import {
  NetworkError, saveSelection, syncPreferencesOf, connectionKeyOf, connectionsOf, inviteStores, invitesSentBy, regenerateConnectionKey,
  revokeInvite,
} from "../network/network.server";
import { openStore, pauseOrResume, requestSyncAll, savePreferencesAndSync } from "../jobs/enqueue.server";
import { disconnectStores } from "../jobs/disconnect.server";
import { collectionChoices } from "../jobs/collections.server";
import { createdProductCount } from "../models/links.server";
import { authenticate } from "../shopify.server";


export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  const now = Date.now();
  const connections = (await connectionsOf(session.shop)).map((c) => ({
    id: c.id, primaryShop: c.primaryShop, dependentShop: c.dependentShop, status: c.status as ConnectionStatus, connectedAt: c.connectedAt.toISOString(),
  }));
  if (store.role !== "primary") {
    const preferences = store.role === "dependent" ? await syncPreferencesOf(session.shop) : null;
    const locations = store.role === "dependent" ? await locationMappingView(session.shop) : null;
    const createdProducts = store.role === "dependent" ? await createdProductCount(session.shop) : 0;
    return {
      role: store.role, shop: session.shop, connectionKey: null, invites: [], connections, preferences, locations, selectionTag: null, createdProducts,
      selectionCollectionId: null, collections: [],
    };
  }
  const invites = (await invitesSentBy(session.shop)).map((invite) => ({
    id: invite.id,
    shop: invite.dependentShop,
    status: invite.status === "pending" && invite.expiresAt.getTime() <= now ? "expired" : invite.status,
    expiresAt: invite.expiresAt.toISOString(),
  }));
  return {
    role: store.role, shop: session.shop, connectionKey: await connectionKeyOf(session.shop), invites, connections, preferences: null, locations: null,
    selectionTag: store.selectionTag, createdProducts: 0,
    selectionCollectionId: store.selectionCollectionId, collections: await collectionChoices(session.shop),
  };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("regenerate-key") }),
  z.object({ intent: z.literal("invite"), addresses: z.string().max(5000) }),
  z.object({ intent: z.literal("revoke-invite"), inviteId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("pause"), connectionId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("resume"), connectionId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("disconnect"), connectionId: z.string().min(1).max(64), products: z.enum(["keep", "delete"]).default("keep") }),
  preferencesSchema,
  z.object({ intent: z.literal("save-location-mapping") }).passthrough(),
  z.object({ intent: z.literal("save-selection"), tag: z.string().max(300).default(""), collectionId: z.string().max(100).default("") }),
]);

type ActionResult = { ok: boolean; message: string; fieldErrors?: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = preferencesFieldErrors(form);
    if (fieldErrors) return { ok: false, message: `Preferences not saved: ${Object.values(fieldErrors).join("; ")}.`, fieldErrors };
    return { ok: false, message: "That request was not understood. Reload the page and try again." };
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "regenerate-key":
        await regenerateConnectionKey(session.shop);
        return { ok: true, message: "New key created. The old key no longer works; connected stores stay connected." };
      case "invite": {
        const results = await inviteStores(session.shop, input.addresses.split(/[\n,;]+/).map((a) => a.trim()).filter(Boolean));
        const failed = results.filter((r) => !r.ok);
        if (results.length === 0) return { ok: false, message: "Enter at least one store address." };
        return failed.length
          ? { ok: false, message: failed.map((r) => (r.ok ? "" : `${r.input}: ${r.error}`)).join(" ") }
          : { ok: true, message: `Invitation sent to ${results.map((r) => (r.ok ? r.invite.dependentShop : "")).join(", ")}.` };
      }
      case "revoke-invite":
        await revokeInvite(session.shop, input.inviteId);
        return { ok: true, message: "Invitation revoked." };
      case "pause":
      case "resume":
        await pauseOrResume(session.shop, input.connectionId, input.intent === "pause");
        return { ok: true, message: input.intent === "pause" ? "Sync to this store is paused." : "Sync to this store resumed." };
      case "disconnect": {
        const { removalJob } = await disconnectStores(session.shop, input.connectionId, input.products);
        return {
          ok: true,
          message: removalJob
            ? "Disconnected. The products Tandem created here are being deleted; follow it in Recent tasks on the dashboard."
            : "Disconnected. Products already in this store stay here.",
        };
      }
      case "save-preferences": {
        const { intent: _intent, ...preferences } = input;
        const sync = await savePreferencesAndSync(session.shop, preferences);
        return {
          ok: true,
          message: sync.jobs.length > 0
            ? "Preferences saved. A full sync has started to apply them; follow it on the dashboard."
            : `Preferences saved. They apply from the next sync (${sync.skipped[0]?.reason ?? "no sync possible now"}).`,
        };
      }
      case "save-location-mapping": {
        await updateLocationMapping(session.shop, parseLocationMapping(form));
        const sync = await requestSyncAll(session.shop);
        return { ok: true, message: `Location mapping saved.${sync.jobs.length ? " A full sync has started to move stock accordingly." : ""}` };
      }
      case "save-selection": {
        await saveSelection(session.shop, { tag: input.tag, collectionId: input.collectionId });
        const rules = [input.tag.trim() ? `tagged “${input.tag.trim()}”` : "", input.collectionId ? "in the chosen collection" : ""].filter(Boolean);
        return { ok: true, message: rules.length ? `Only products ${rules.join(" and ")} sync from now on.` : "Every product syncs from now on." };
      }
    }
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, message: error.message };
    throw error;
  }
};

export default function Settings() {
  const { role, connectionKey, invites, connections, preferences, locations, selectionTag, createdProducts, selectionCollectionId, collections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Settings">
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>
              <p>{result.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {role === "primary" ? (
          <>
            <PrimarySettings connectionKey={connectionKey!} invites={invites} connections={connections} busy={busy} />
            <SelectionSettings tag={selectionTag ?? ""} collectionId={selectionCollectionId ?? ""} collections={collections} busy={busy} />
          </>
        ) : (
          <>
            <DependentSettings connections={connections} busy={busy} createdProducts={createdProducts} />
            {preferences ? (
              <Layout.Section>
                <Card>
                  <SyncPreferencesForm initial={preferences} busy={busy} errors={result?.fieldErrors} />
                </Card>
              </Layout.Section>
            ) : null}
            {locations ? <LocationSettings view={locations} busy={busy} /> : null}
          </>
        )}
      </Layout>
    </Page>
  );
}

type Connections = ReturnType<typeof useLoaderData<typeof loader>>["connections"];

function PrimarySettings({ connectionKey, invites, connections, busy }: {
  connectionKey: string;
  invites: Array<{ id: string; shop: string; status: string; expiresAt: string }>;
  connections: Connections;
  busy: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [addresses, setAddresses] = useState("");
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Connection key</Text>
            <Text as="p">Stores that paste this key connect to this store without further confirmation.</Text>
            <InlineStack gap="200" blockAlign="center">
              <ConnectionKeyDisplay connectionKey={connectionKey} />
              {confirming ? null : <Button tone="critical" variant="plain" onClick={() => setConfirming(true)}>Regenerate key…</Button>}
            </InlineStack>
            {confirming ? (
              <Banner tone="warning" title="Regenerate the connection key?">
                <BlockStack gap="200">
                  <p>The current key stops working at once. Stores already connected stay connected.</p>
                  <InlineStack gap="200">
                    <IntentButton intent="regenerate-key" fields={{}} label="Regenerate key" busy={busy} tone="critical" />
                    <Button onClick={() => setConfirming(false)}>Cancel</Button>
                  </InlineStack>
                </BlockStack>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Dependent stores</Text>
            {connections.length === 0 ? <Text as="p" tone="subdued">No store is connected yet.</Text> : null}
            {connections.map((c) => (
              <InlineStack key={c.id} gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">{c.dependentShop}</Text>
                <ConnectionStatusBadge status={c.status} />
                {c.status === "paused" ? (
                  <IntentButton intent="resume" fields={{ connectionId: c.id }} label="Resume" busy={busy} />
                ) : c.status === "connected" ? (
                  <IntentButton intent="pause" fields={{ connectionId: c.id }} label="Pause" busy={busy} />
                ) : null}
              </InlineStack>
            ))}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Invite a store</Text>
              <input type="hidden" name="intent" value="invite" />
              <TextField label="Store addresses" name="addresses" value={addresses} onChange={setAddresses} multiline={2} autoComplete="off" helpText="One per line. Invitations expire after 14 days." />
              <InlineStack><Button submit disabled={busy}>Send invitations</Button></InlineStack>
              {invites.map((invite) => (
                <InlineStack key={invite.id} gap="200" blockAlign="center">
                  <Text as="span">{invite.shop}</Text>
                  <Badge tone={invite.status === "pending" ? "info" : undefined}>{invite.status}</Badge>
                  {invite.status === "pending" ? <IntentButton intent="revoke-invite" fields={{ inviteId: invite.id }} label="Revoke" busy={busy} /> : null}
                </InlineStack>
              ))}
            </BlockStack>
          </Form>
        </Card>
      </Layout.Section>
    </>
  );
}

function DependentSettings({ connections, busy, createdProducts }: { connections: Connections; busy: boolean; createdProducts: number }) {
  const [confirming, setConfirming] = useState(false);
  const connection = connections[0];
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Primary store</Text>
          {connection ? (
            <>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">{connection.primaryShop}</Text>
                <ConnectionStatusBadge status={connection.status} />
              </InlineStack>
              {confirming ? (
                <Banner tone="warning" title={`Disconnect from ${connection.primaryShop}?`}>
                  <BlockStack gap="200">
                    <p>
                      Sync stops at once. Tandem created {createdProducts} product(s) in this store from the primary: keep them as
                      this store&apos;s own products, or delete them. Products this store had before connecting always stay.
                    </p>
                    <InlineStack gap="200">
                      <IntentButton intent="disconnect" fields={{ connectionId: connection.id, products: "keep" }} label="Disconnect and keep products" busy={busy} tone="critical" />
                      <IntentButton intent="disconnect" fields={{ connectionId: connection.id, products: "delete" }} label={`Disconnect and delete ${createdProducts} product(s)`} busy={busy} tone="critical" />
                      <Button onClick={() => setConfirming(false)}>Cancel</Button>
                    </InlineStack>
                  </BlockStack>
                </Banner>
              ) : (
                <InlineStack><Button tone="critical" onClick={() => setConfirming(true)}>Disconnect…</Button></InlineStack>
              )}
            </>
          ) : (
            <Text as="p" tone="subdued">Not connected. Use Set up Tandem to connect with a key or an invitation.</Text>
          )}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

function SelectionSettings({ tag, collectionId, collections, busy }: {
  tag: string;
  collectionId: string;
  collections: { id: string; title: string }[] | { error: string };
  busy: boolean;
}) {
  const [value, setValue] = useState(tag);
  const [collection, setCollection] = useState(collectionId);
  const collectionOptions = [{ label: "Any collection", value: "" }, ...("error" in collections ? [] : collections.map((c) => ({ label: c.title, value: c.id })))];
  return (
    <Layout.Section>
      <Card>
        <Form method="post">
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Which products sync</Text>
            <input type="hidden" name="intent" value="save-selection" />
            <TextField
              label="Only products with this tag"
              name="tag"
              value={value}
              onChange={setValue}
              autoComplete="off"
              helpText="Leave empty to sync every product. Products already synced stay as they are when they leave the selection."
            />
            <Select
              label="Only products in this collection"
              name="collectionId"
              options={collectionOptions}
              value={collection}
              onChange={setCollection}
              helpText={"error" in collections ? collections.error : "Both rules apply when both are set."}
            />
            <InlineStack><Button submit disabled={busy}>Save selection</Button></InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Layout.Section>
  );
}

function LocationSettings({ view, busy }: { view: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["locations"]>; busy: boolean }) {
  const initial = "error" in view ? {} : view.mapping;
  const [mapping, setMapping] = useState<Record<string, string>>(initial);
  if ("error" in view) {
    return (
      <Layout.Section>
        <Banner tone="warning" title="Locations">
          <p>{view.error}</p>
        </Banner>
      </Layout.Section>
    );
  }
  const defaultName = view.defaultLocation?.name ?? "the default location";
  const options = [{ label: `Default location (${defaultName})`, value: "" }, ...view.dependentLocations.map((l) => ({ label: l.name, value: l.id }))];
  return (
    <Layout.Section>
      <Card>
        <Form method="post">
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Locations</Text>
            <Text as="p">Where stock from each location of {view.primaryShop} goes in this store. Several locations sent to one add up.</Text>
            <input type="hidden" name="intent" value="save-location-mapping" />
            {view.primaryLocations.map((location) => (
              <div key={location.id}>
                <input type="hidden" name={`location:${location.id}`} value={mapping[location.id] ?? ""} />
                <Select
                  label={location.name}
                  options={options}
                  value={mapping[location.id] ?? ""}
                  onChange={(value) => setMapping((current) => ({ ...current, [location.id]: value }))}
                />
              </div>
            ))}
            <InlineStack><Button submit disabled={busy}>Save location mapping</Button></InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Layout.Section>
  );
}
