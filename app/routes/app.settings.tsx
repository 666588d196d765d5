import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SyncPreferencesForm } from "../components/SyncPreferencesForm";
import { type ConnectionStatus, ConnectionKeyDisplay, ConnectionStatusBadge, IntentButton } from "../components/network";
import { parseLocationMapping, preferencesFieldErrors, preferencesSchema } from "../network/sync-preferences";
import { locationMappingView, updateLocationMapping } from "../services/locations.server";
import {
  NetworkError, saveSelection, syncPreferencesOf, connectionKeyOf, connectionsOf, inviteStores, invitesSentBy, regenerateConnectionKey,
  revokeInvite,
} from "../services/network.server";
import { openStore, pauseOrResume, requestSyncAll, savePreferencesAndSync } from "../services/sync.server";
import { collectionChoices, createdProductCount, disconnectStores, isCollectionOf } from "../services/network.server";
import { type Text as Message, text } from "../i18n";
import { useT } from "../i18n/react";
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

type ActionResult = { ok: boolean; message: Message; fieldErrors?: Record<string, Message> };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = preferencesFieldErrors(form);
    if (fieldErrors) return { ok: false, message: text("settings.preferencesInvalid"), fieldErrors };
    return { ok: false, message: text("common.notUnderstood") };
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "regenerate-key":
        await regenerateConnectionKey(session.shop);
        return { ok: true, message: text("settings.keyRegenerated") };
      case "invite": {
        const results = await inviteStores(session.shop, input.addresses.split(/[\n,;]+/).map((a) => a.trim()).filter(Boolean));
        const failed = results.filter((r) => !r.ok);
        if (results.length === 0) return { ok: false, message: text("settings.enterAddress") };
        // One failed address is reported at a time; the others were invited.
        const firstFailure = failed[0];
        return firstFailure && !firstFailure.ok
          ? { ok: false, message: text("settings.inviteFailed", { input: firstFailure.input, error: firstFailure.error }) }
          : { ok: true, message: text("settings.invited", { shops: results.map((r) => (r.ok ? r.invite.dependentShop : "")).join(", ") }) };
      }
      case "revoke-invite":
        await revokeInvite(session.shop, input.inviteId);
        return { ok: true, message: text("settings.inviteRevoked") };
      case "pause":
      case "resume":
        await pauseOrResume(session.shop, input.connectionId, input.intent === "pause");
        return { ok: true, message: text(input.intent === "pause" ? "settings.paused" : "settings.resumed") };
      case "disconnect": {
        const { removalJob } = await disconnectStores(session.shop, input.connectionId, input.products);
        return {
          ok: true,
          message: text(removalJob ? "settings.disconnectedDeleting" : "settings.disconnectedKept"),
        };
      }
      case "save-preferences": {
        const { intent: _intent, ...preferences } = input;
        const sync = await savePreferencesAndSync(session.shop, preferences);
        return {
          ok: true,
          message: sync.jobs.length > 0 ? text("settings.preferencesSyncing") : text("settings.preferencesLater", { reason: sync.skipped[0]?.reason ?? text("settings.noSyncNow") }),
        };
      }
      case "save-location-mapping": {
        await updateLocationMapping(session.shop, parseLocationMapping(form));
        const sync = await requestSyncAll(session.shop);
        return { ok: true, message: text(sync.jobs.length ? "settings.locationsSavedSyncing" : "settings.locationsSaved") };
      }
      case "save-selection": {
        const collectionId = input.collectionId.trim();
        if (/^gid:\/\/shopify\/Collection\/\d+$/.test(collectionId) && !(await isCollectionOf(session.shop, collectionId))) {
          return { ok: false, message: text("network.COLLECTION_NOT_HERE"), fieldErrors: { collectionId: text("network.COLLECTION_NOT_HERE") } };
        }
        await saveSelection(session.shop, { tag: input.tag, collectionId: input.collectionId });
        const tag = input.tag.trim();
        const selection = tag
          ? text(input.collectionId ? "settings.selectionTaggedInCollection" : "settings.selectionTagged", { tag })
          : text(input.collectionId ? "settings.selectionCollectionOnly" : "settings.selectionEvery");
        // Applied at once: products that joined arrive, those that left stop syncing.
        const sync = await requestSyncAll(session.shop);
        return { ok: true, message: sync.jobs.length > 0 ? text("settings.selectionApplying", { selection }) : selection };
      }
    }
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, message: error.text };
    throw error;
  }
};

export default function Settings() {
  const { role, connectionKey, invites, connections, preferences, locations, selectionTag, createdProducts, selectionCollectionId, collections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <Page title={t("settings.title")}>
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>
              <p>{t.text(result.message)}</p>
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
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [addresses, setAddresses] = useState("");
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("settings.keyTitle")}</Text>
            <Text as="p">{t("settings.keyBody")}</Text>
            <InlineStack gap="200" blockAlign="center">
              <ConnectionKeyDisplay connectionKey={connectionKey} />
              {confirming ? null : <Button tone="critical" variant="plain" onClick={() => setConfirming(true)}>{t("settings.regenerate")}</Button>}
            </InlineStack>
            {confirming ? (
              <Banner tone="warning" title={t("settings.regenerateTitle")}>
                <BlockStack gap="200">
                  <p>{t("settings.regenerateBody")}</p>
                  <InlineStack gap="200">
                    <IntentButton intent="regenerate-key" fields={{}} label={t("settings.regenerateConfirm")} busy={busy} tone="critical" />
                    <Button onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
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
            <Text as="h2" variant="headingMd">{t("settings.dependents")}</Text>
            {connections.length === 0 ? <Text as="p" tone="subdued">{t("settings.noDependent")}</Text> : null}
            {connections.map((c) => (
              <InlineStack key={c.id} gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">{c.dependentShop}</Text>
                <ConnectionStatusBadge status={c.status} />
                {c.status === "paused" ? (
                  <IntentButton intent="resume" fields={{ connectionId: c.id }} label={t("settings.resume")} busy={busy} />
                ) : c.status === "connected" ? (
                  <IntentButton intent="pause" fields={{ connectionId: c.id }} label={t("settings.pause")} busy={busy} />
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
              <Text as="h2" variant="headingMd">{t("settings.invite")}</Text>
              <input type="hidden" name="intent" value="invite" />
              <TextField label={t("settings.addresses")} name="addresses" value={addresses} onChange={setAddresses} multiline={2} autoComplete="off" helpText={t("settings.addressesHelp")} />
              <InlineStack><Button submit disabled={busy}>{t("settings.sendInvites")}</Button></InlineStack>
              {invites.map((invite) => (
                <InlineStack key={invite.id} gap="200" blockAlign="center">
                  <Text as="span">{invite.shop}</Text>
                  <Badge tone={invite.status === "pending" ? "info" : undefined}>{t.text({ key: `invite.${invite.status}` }, invite.status)}</Badge>
                  {invite.status === "pending" ? <IntentButton intent="revoke-invite" fields={{ inviteId: invite.id }} label={t("settings.revoke")} busy={busy} /> : null}
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
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const connection = connections[0];
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">{t("settings.primaryStore")}</Text>
          {connection ? (
            <>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">{connection.primaryShop}</Text>
                <ConnectionStatusBadge status={connection.status} />
              </InlineStack>
              {confirming ? (
                <Banner tone="warning" title={t("settings.disconnectTitle", { shop: connection.primaryShop })}>
                  <BlockStack gap="200">
                    <p>{t("settings.disconnectBody", { count: createdProducts })}</p>
                    <InlineStack gap="200">
                      <IntentButton intent="disconnect" fields={{ connectionId: connection.id, products: "keep" }} label={t("settings.disconnectKeep")} busy={busy} tone="critical" />
                      <IntentButton intent="disconnect" fields={{ connectionId: connection.id, products: "delete" }} label={t("settings.disconnectDelete", { count: createdProducts })} busy={busy} tone="critical" />
                      <Button onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
                    </InlineStack>
                  </BlockStack>
                </Banner>
              ) : (
                <InlineStack><Button tone="critical" onClick={() => setConfirming(true)}>{t("settings.disconnect")}</Button></InlineStack>
              )}
            </>
          ) : (
            <Text as="p" tone="subdued">{t("settings.notConnected")}</Text>
          )}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

function SelectionSettings({ tag, collectionId, collections, busy }: {
  tag: string;
  collectionId: string;
  collections: { id: string; title: string }[] | { error: Message };
  busy: boolean;
}) {
  const t = useT();
  const [value, setValue] = useState(tag);
  const [collection, setCollection] = useState(collectionId);
  const collectionOptions = [{ label: t("settings.anyCollection"), value: "" }, ...("error" in collections ? [] : collections.map((c) => ({ label: c.title, value: c.id })))];
  return (
    <Layout.Section>
      <Card>
        <Form method="post">
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("settings.selection")}</Text>
            <input type="hidden" name="intent" value="save-selection" />
            <TextField
              label={t("settings.selectionTag")}
              name="tag"
              value={value}
              onChange={setValue}
              autoComplete="off"
              helpText={t("settings.selectionTagHelp")}
            />
            <Select
              label={t("settings.selectionCollection")}
              name="collectionId"
              options={collectionOptions}
              value={collection}
              onChange={setCollection}
              helpText={"error" in collections ? t.text(collections.error) : t("settings.selectionBoth")}
            />
            <InlineStack><Button submit disabled={busy}>{t("settings.saveSelection")}</Button></InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Layout.Section>
  );
}

function LocationSettings({ view, busy }: { view: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["locations"]>; busy: boolean }) {
  const t = useT();
  const initial = "error" in view ? {} : view.mapping;
  const [mapping, setMapping] = useState<Record<string, string>>(initial);
  if ("error" in view) {
    return (
      <Layout.Section>
        <Banner tone="warning" title={t("settings.locations")}>
          <p>{t.text(view.error)}</p>
        </Banner>
      </Layout.Section>
    );
  }
  const defaultName = view.defaultLocation?.name ?? t("settings.theDefaultLocation");
  const options = [{ label: t("settings.defaultLocation", { name: defaultName }), value: "" }, ...view.dependentLocations.map((l) => ({ label: l.name, value: l.id }))];
  return (
    <Layout.Section>
      <Card>
        <Form method="post">
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">{t("settings.locations")}</Text>
            <Text as="p">{t("settings.locationsBody", { primary: view.primaryShop })}</Text>
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
            <InlineStack><Button submit disabled={busy}>{t("settings.saveLocations")}</Button></InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Layout.Section>
  );
}
