import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, ChoiceList, Collapsible, DescriptionList, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { SaveBarForm } from "../../components/SaveBarForm";
import { SyncPreferencesForm } from "../../components/SyncPreferencesForm";
import { useSuccessToast } from "../../components/toast";
import { type ConnectionStatus, ConnectionKeyDisplay, ConnectionStatusBadge, IntentButton } from "../../components/network";
import { preferencesFieldErrors } from "../../network/sync-preferences";
import { dependentSetupOf, locationMappingView } from "../../services/locations.server";
import {
  NetworkError, collectionChoices, connectionKeyOf, connectionsOf, createdProductCount, invitesSentBy, syncPreferencesOf,
} from "../../services/network.server";
import { openStore } from "../../services/sync.server";
import { metafieldChoiceView } from "../../services/metafield-choices.server";
import { type Text as Message, text } from "../../i18n";
import { useT } from "../../i18n/react";
import { authenticate } from "../../shopify.server";
import { fieldErrorsOf } from "../../validation";
import * as disconnect from "./disconnect.server";
import type { SettingsForm, SettingsResult } from "./intent";
import * as invite from "./invite.server";
import * as pauseResume from "./pause-resume.server";
import * as regenerateKey from "./regenerate-key.server";
import * as revokeInvite from "./revoke-invite.server";
import * as saveLocationMapping from "./save-location-mapping.server";
import * as savePreferences from "./save-preferences.server";
import * as saveMetafields from "./save-metafields.server";
import * as saveSelection from "./save-selection.server";
import * as stockMode from "./stock-mode.server";


type DependentSetupData = Awaited<ReturnType<typeof dependentSetupOf>>;

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
      selectionCollectionId: null, collections: [], stockMode: null, dependentSetups: {} as Record<string, DependentSetupData>, metafields: null,
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
    stockMode: store.stockMode === "strict" ? "strict" as const : "shared" as const,
    metafields: await metafieldChoiceView(session.shop),
    // Seed 004: the primary sees what each dependent chose (read only; the dependent changes it).
    dependentSetups: Object.fromEntries<DependentSetupData>(await Promise.all(connections.filter((c) => c.status === "connected" || c.status === "paused").map(async (c) =>
      [c.dependentShop, await dependentSetupOf(c.dependentShop)] as const))),
  };
};

// One file per intent beside this one: its schema and what it does.
const actionSchema = z.discriminatedUnion("intent", [
  regenerateKey.schema, invite.schema, revokeInvite.schema, pauseResume.schema, disconnect.schema, savePreferences.schema, saveLocationMapping.schema, saveSelection.schema,
  stockMode.schema, saveMetafields.schema,
]);
type SettingsInput = z.infer<typeof actionSchema>;

/** The intent's handler, with the input its schema parsed. */
function handlerOf(input: SettingsInput) {
  switch (input.intent) {
    case "regenerate-key": return (shop: string) => regenerateKey.handle(shop);
    case "invite": return (shop: string) => invite.handle(shop, input);
    case "revoke-invite": return (shop: string) => revokeInvite.handle(shop, input);
    case "pause": case "resume": return (shop: string) => pauseResume.handle(shop, input);
    case "disconnect": return (shop: string) => disconnect.handle(shop, input);
    case "save-preferences": return (shop: string) => savePreferences.handle(shop, input);
    case "save-location-mapping": return (shop: string, form: SettingsForm) => saveLocationMapping.handle(shop, input, form);
    case "save-selection": return (shop: string) => saveSelection.handle(shop, input);
    case "stock-mode": return (shop: string) => stockMode.handle(shop, input);
    case "save-metafields": return (shop: string) => saveMetafields.handle(shop, input);
  }
}

export const action = async ({ request }: ActionFunctionArgs): Promise<SettingsResult> => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = preferencesFieldErrors(form);
    if (fieldErrors) return { ok: false, message: text("settings.preferencesInvalid"), fieldErrors };
    // A typed field refused (too long): marked on that field.
    const typedErrors = fieldErrorsOf(parsed.error);
    if (typedErrors) return { ok: false, message: Object.values(typedErrors)[0], fieldErrors: typedErrors };
    return { ok: false, message: text("common.notUnderstood") };
  }
  try {
    return await handlerOf(parsed.data)(session.shop, form);
  } catch (error) {
    if (error instanceof NetworkError) return { ok: false, message: error.text };
    throw error;
  }
};

export default function Settings() {
  const { role, connectionKey, invites, connections, preferences, locations, selectionTag, createdProducts, selectionCollectionId, collections, stockMode, dependentSetups, metafields } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  // A change made is confirmed with a toast; what went wrong, or needs the merchant's confirmation, is a banner.
  useSuccessToast(result);
  return (
    <Page title={t("settings.title")}>
      <Layout>
        {result && !result.ok ? (
          <Layout.Section>
            <Banner tone={result.confirm ? "warning" : "critical"}>
              <BlockStack gap="200">
                <p>{t.text(result.message)}</p>
                {result.confirm ? (
                  <InlineStack><IntentButton intent={result.confirm.intent} fields={result.confirm.fields} label={t.text(result.confirm.label)} busy={busy} /></InlineStack>
                ) : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {role === "primary" ? (
          <>
            <PrimarySettings connectionKey={connectionKey!} invites={invites} connections={connections} setups={dependentSetups} busy={busy} fieldErrors={result?.fieldErrors} />
            <SaveBarCard>
              <SelectionFields tag={selectionTag ?? ""} collectionId={selectionCollectionId ?? ""} collections={collections} busy={busy} fieldErrors={result?.fieldErrors} />
            </SaveBarCard>
            {metafields ? <SaveBarCard><MetafieldFields definitions={metafields.definitions} chosen={metafields.chosen} busy={busy} /></SaveBarCard> : null}
            <SaveBarCard>
              <StockModeFields mode={stockMode ?? "shared"} busy={busy} />
            </SaveBarCard>
          </>
        ) : (
          <>
            <DependentSettings connections={connections} busy={busy} createdProducts={createdProducts} />
            {preferences ? (
              <Layout.Section>
                <Card>
                  <SyncPreferencesForm initial={preferences} busy={busy} errors={result?.fieldErrors} saveBar />
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
type DependentSetups = ReturnType<typeof useLoaderData<typeof loader>>["dependentSetups"];

function PrimarySettings({ connectionKey, invites, connections, setups, busy, fieldErrors }: {
  connectionKey: string;
  invites: Array<{ id: string; shop: string; status: string; expiresAt: string }>;
  connections: Connections;
  setups: DependentSetups;
  busy: boolean;
  fieldErrors?: Record<string, Message>;
}) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [addresses, setAddresses] = useState("");
  const [open, setOpen] = useState<Record<string, boolean>>({});
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
              <BlockStack key={c.id} gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">{c.dependentShop}</Text>
                  <ConnectionStatusBadge status={c.status} />
                  {c.status === "paused" ? (
                    <IntentButton intent="resume" fields={{ connectionId: c.id }} label={t("settings.resume")} busy={busy} />
                  ) : c.status === "connected" ? (
                    <IntentButton intent="pause" fields={{ connectionId: c.id }} label={t("settings.pause")} busy={busy} />
                  ) : null}
                  {setups[c.dependentShop] ? (
                    <Button variant="plain" onClick={() => setOpen({ ...open, [c.id]: !open[c.id] })} ariaExpanded={Boolean(open[c.id])} ariaControls={`setup-${c.id}`}>
                      {open[c.id] ? t("settings.hideSetup") : t("settings.showSetup")}
                    </Button>
                  ) : null}
                </InlineStack>
                {setups[c.dependentShop] ? (
                  <Collapsible id={`setup-${c.id}`} open={Boolean(open[c.id])}>
                    <DependentSetup setup={setups[c.dependentShop]} />
                  </Collapsible>
                ) : null}
              </BlockStack>
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
              <TextField label={t("settings.addresses")} name="addresses" value={addresses} onChange={setAddresses} multiline={2} autoComplete="off" helpText={t("settings.addressesHelp")} error={fieldErrors?.addresses && t.text(fieldErrors.addresses)} />
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

/** What a dependent chose (seed 004), read only for its primary: its preferences and where each primary location's stock goes. */
function DependentSetup({ setup }: { setup: DependentSetups[string] }) {
  const t = useT();
  const { preferences: p, locations } = setup;
  const onOff = (value: boolean) => (value ? t("settings.on") : t("settings.off"));
  const roundings: Record<string, string> = { none: t("prefs.roundNone"), whole: t("prefs.roundWhole"), "99": t("prefs.round99"), "95": t("prefs.round95") };
  const rounding = roundings[p.priceRounding] ?? p.priceRounding;
  const priceRule = p.priceExchangeRate || p.priceMarkupPercent || p.priceRounding !== "none"
    ? t("settings.priceRuleOf", { rate: p.priceExchangeRate ?? "1", markup: p.priceMarkupPercent ?? "0", rounding })
    : t("settings.samePrices");
  let locationLines: string[];
  if (!locations) locationLines = [t("settings.notConnected")];
  else if ("error" in locations) locationLines = [t.text(locations.error)];
  else {
    const names = new Map(locations.dependentLocations.map((l) => [l.id, l.name]));
    const fallback = locations.defaultLocation ? t("settings.defaultLocation", { name: locations.defaultLocation.name }) : t("settings.theDefaultLocation");
    locationLines = locations.primaryLocations.map((l) => t("settings.locationGoesTo", { from: l.name, to: names.get(locations.mapping[l.id]) ?? fallback }));
  }
  return (
    <DescriptionList
      gap="tight"
      items={[
        { term: t("prefs.products"), description: p.scope === "matching" ? t("prefs.matching") : t("prefs.all") },
        { term: t("prefs.details"), description: onOff(p.syncDetails) },
        { term: t("prefs.prices"), description: p.syncPrice ? `${onOff(true)} · ${priceRule}` : onOff(false) },
        { term: t("prefs.quantities"), description: p.syncQuantity ? `${onOff(true)} · ${t("settings.bufferAndShare", { buffer: p.stockBuffer, share: p.stockAllocationPercent })}` : onOff(false) },
        { term: t("prefs.unpaid"), description: onOff(p.countUnpaidOrders) },
        { term: t("prefs.mirror"), description: onOff(p.mirrorOrders) },
        { term: t("prefs.publish"), description: onOff(p.publishNewProducts) },
        { term: t("prefs.onDelete"), description: p.onPrimaryDelete === "delete" ? t("prefs.delete") : t("prefs.archive") },
        { term: t("settings.locations"), description: <BlockStack gap="050">{locationLines.map((line) => <Text as="span" key={line}>{line}</Text>)}</BlockStack> },
      ]}
    />
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
                      <IntentButton intent="disconnect" fields={{ connectionId: connection.id, products: "zero" }} label={t("settings.disconnectKeepZero")} busy={busy} tone="critical" />
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

type SelectionProps = {
  tag: string;
  collectionId: string;
  collections: { id: string; title: string }[] | { error: Message };
  busy: boolean;
  fieldErrors?: Record<string, Message>;
};

/** A settings card whose form sits behind App Bridge's save bar. */
function SaveBarCard({ children }: { children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <SaveBarForm>{children}</SaveBarForm>
      </Card>
    </Layout.Section>
  );
}

function SelectionFields({ tag, collectionId, collections, busy, fieldErrors }: SelectionProps) {
  const t = useT();
  const [value, setValue] = useState(tag);
  const [collection, setCollection] = useState(collectionId);
  const collectionOptions = [{ label: t("settings.anyCollection"), value: "" }, ...("error" in collections ? [] : collections.map((c) => ({ label: c.title, value: c.id })))];
  return (
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
        error={fieldErrors?.tag && t.text(fieldErrors.tag)}
      />
      <Select
        label={t("settings.selectionCollection")}
        name="collectionId"
        options={collectionOptions}
        value={collection}
        onChange={setCollection}
        helpText={"error" in collections ? t.text(collections.error) : t("settings.selectionBoth")}
        error={fieldErrors?.collectionId && t.text(fieldErrors.collectionId)}
      />
      <InlineStack><Button submit disabled={busy}>{t("settings.saveSelection")}</Button></InlineStack>
    </BlockStack>
  );
}

type MetafieldProps = { definitions: { namespace: string; key: string; name: string; type: string }[] | { error: Message }; chosen: string[]; busy: boolean };

/** Which of the primary's product metafield definitions travel to its dependents (issue 36, item 2). */
function MetafieldFields({ definitions, chosen, busy }: MetafieldProps) {
  const t = useT();
  const [selected, setSelected] = useState(chosen);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">{t("settings.metafields")}</Text>
      <Text as="p" tone="subdued">{t("settings.metafieldsHelp")}</Text>
      <input type="hidden" name="intent" value="save-metafields" />
      <input type="hidden" name="metafields" value={JSON.stringify(selected)} />
      {"error" in definitions ? (
        <Text as="p" tone="critical">{t.text(definitions.error)}</Text>
      ) : definitions.length === 0 ? (
        <Text as="p">{t("settings.metafieldsNone")}</Text>
      ) : (
        <ChoiceList
          title={t("settings.metafields")}
          titleHidden
          allowMultiple
          choices={definitions.map((definition) => ({ label: definition.name, value: `${definition.namespace}.${definition.key}`, helpText: `${definition.namespace}.${definition.key} · ${definition.type}` }))}
          selected={selected}
          onChange={setSelected}
        />
      )}
      <InlineStack><Button submit disabled={busy || "error" in definitions}>{t("settings.saveMetafields")}</Button></InlineStack>
    </BlockStack>
  );
}

/** Shared or strict stock (ADR 0033), with what each costs, in the merchant's words. */
function StockModeFields({ mode, busy }: { mode: "shared" | "strict"; busy: boolean }) {
  const t = useT();
  const [chosen, setChosen] = useState(mode);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">{t("settings.stockMode")}</Text>
      <input type="hidden" name="intent" value="stock-mode" />
      <input type="hidden" name="mode" value={chosen} />
      <ChoiceList
        title={t("settings.stockMode")}
        titleHidden
        choices={[
          { label: t("settings.stockModeShared"), value: "shared", helpText: t("settings.stockModeSharedHelp") },
          { label: t("settings.stockModeStrict"), value: "strict", helpText: t("settings.stockModeStrictHelp") },
        ]}
        selected={[chosen]}
        onChange={(selected) => setChosen(selected[0] === "strict" ? "strict" : "shared")}
      />
      <InlineStack><Button submit disabled={busy || chosen === mode}>{t("settings.stockModeSave")}</Button></InlineStack>
    </BlockStack>
  );
}

type LocationView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["locations"]>;

function LocationSettings({ view, busy }: { view: LocationView; busy: boolean }) {
  const t = useT();
  if ("error" in view) {
    return (
      <Layout.Section>
        <Banner tone="warning" title={t("settings.locations")}>
          <p>{t.text(view.error)}</p>
        </Banner>
      </Layout.Section>
    );
  }
  return (
    <SaveBarCard>
      <LocationFields view={view} busy={busy} />
    </SaveBarCard>
  );
}

function LocationFields({ view, busy }: { view: Exclude<LocationView, { error: Message }>; busy: boolean }) {
  const t = useT();
  const [mapping, setMapping] = useState<Record<string, string>>(view.mapping);
  const defaultName = view.defaultLocation?.name ?? t("settings.theDefaultLocation");
  const options = [{ label: t("settings.defaultLocation", { name: defaultName }), value: "" }, ...view.dependentLocations.map((l) => ({ label: l.name, value: l.id }))];
  return (
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
  );
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../../components/RouteError";
