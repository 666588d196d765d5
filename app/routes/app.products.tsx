import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, ChoiceList, EmptyState, IndexTable, InlineStack, Page, Popover, Text } from "@shopify/polaris";
import { SkuSearch } from "../components/SkuSearch";
import { type ActionNotice, useSuccessToast } from "../components/toast";
import { z } from "zod";
import { EXCLUSION_OUTCOMES, type ExclusionOutcome } from "../models/exclusionOutcomes";
import { bringProductBack, takeProductOutOfSync } from "../services/product-exclusions.server";
import { openStore } from "../services/sync.server";
import { type ProductLinkState, productsOverview } from "../services/products-overview.server";
import { type Text as Message, text } from "../i18n";
import { useT } from "../i18n/react";
import { authenticate } from "../shopify.server";
import { fieldErrorsOf, typedText } from "../validation";

const querySchema = z.object({
  cursor: z.string().max(512).optional(),
  direction: z.enum(["next", "previous"]).default("next"),
  sku: typedText(255).optional(),
});

/**
 * The primary's products, 25 at a time, with their link state and problems in each dependent. A
 * query the page cannot use (a SKU too long to be one, a page cursor not of ours) shows the first
 * page, with the SKU field's error when that was it.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const store = await openStore(session.shop);
  if (!store.role) return { ok: false as const, reason: "not-connected" as const, message: text("products.chooseRole") };
  const query = parsed.success ? parsed.data : { direction: "next" as const };
  const skuError = parsed.success ? null : (fieldErrorsOf(parsed.error)?.sku ?? null);
  const role = store.role as "primary" | "dependent";
  const overview = await productsOverview({ shop: session.shop, role, ...query, sku: query.sku?.trim() || undefined });
  return { ...overview, skuError, viewer: { shop: session.shop, role } };
};

const productIdSchema = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/);
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("exclude"), productId: productIdSchema, outcome: z.enum(EXCLUSION_OUTCOMES) }),
  z.object({ intent: z.literal("include"), productId: productIdSchema }),
]);

/** A product taken out of the sync (by the primary for its network, by a dependent for itself), or brought back. */
export const action = async ({ request }: ActionFunctionArgs): Promise<ActionNotice> => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: text("common.notUnderstood") };
  const store = await openStore(session.shop);
  if (store.role !== "primary" && store.role !== "dependent") return { ok: false, message: text("products.chooseRole") };
  const chooser = { shop: session.shop, role: store.role as "primary" | "dependent" };
  const input = parsed.data;
  return input.intent === "exclude" ? takeProductOutOfSync(chooser, input.productId, input.outcome) : bringProductBack(chooser, input.productId);
};

/** The same problem in several stores is shown once, naming the stores when not all of them. */
function problemsAcrossStores(byStore: Record<string, ProductLinkState>, stores: string[]) {
  const grouped = new Map<string, { message: Message; fix: Message | null; stores: string[] }>();
  for (const store of stores) {
    const link = byStore[store];
    if ((link.state !== "linked" && link.state !== "problem") || !link.problem) continue;
    const same = JSON.stringify(link.problem.message);
    const existing = grouped.get(same);
    if (existing) existing.stores.push(store);
    else grouped.set(same, { ...link.problem, stores: [store] });
  }
  return [...grouped.values()];
}

function LinkBadge({ link }: { link: ProductLinkState }) {
  const t = useT();
  if (link.state === "excluded") return <Badge tone="attention">{link.by === "primary" ? t("products.excludedByPrimary") : t("products.unlinkedHere")}</Badge>;
  if (link.state === "linked") return <Badge tone={link.problem ? "warning" : "success"}>{t("products.linked", { variants: link.variants })}</Badge>;
  if (link.state === "problem") return <Badge tone="critical">{t("products.notSynced")}</Badge>;
  return <Badge>{t("products.notLinked")}</Badge>;
}

/**
 * Whether a product stays in the sync, from this store's side: the primary takes it out of the
 * network or brings it back; a dependent unlinks its copy or links it again. Taking out asks what
 * becomes of the copies first.
 */
function SyncChoice({ product, role, shop }: { product: { id: string; title: string; byStore: Record<string, ProductLinkState> }; role: "primary" | "dependent"; shop: string }) {
  const t = useT();
  const fetcher = useFetcher<ActionNotice>();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<ExclusionOutcome>("keep");
  const toasted = useSuccessToast(fetcher.data);
  const busy = fetcher.state !== "idle";
  const states = Object.values(product.byStore);
  const byPrimary = states.some((state) => state.state === "excluded" && state.by === "primary");
  const byThisStore = role === "dependent" && product.byStore[shop]?.state === "excluded" && !byPrimary;
  const words = role === "primary" ? "exclude" : "unlink";
  const submit = (form: Record<string, string>) => {
    setOpen(false);
    fetcher.submit({ ...form, productId: product.id }, { method: "post" });
  };
  let control;
  if (role === "primary" ? byPrimary : byThisStore) {
    control = <Button size="slim" loading={busy} onClick={() => submit({ intent: "include" })}>{role === "primary" ? t("products.include.open") : t("products.unlink.again")}</Button>;
  } else if (byPrimary) {
    control = <Text as="span" tone="subdued">{t("products.excludedByPrimary")}</Text>;
  } else {
    control = (
      <Popover
        active={open}
        onClose={() => setOpen(false)}
        activator={<Button size="slim" disclosure loading={busy} onClick={() => setOpen((was) => !was)}>{t(`products.${words}.open`)}</Button>}
      >
        <div style={{ padding: "var(--p-space-400)", maxWidth: "24rem", whiteSpace: "normal" }}>
          <BlockStack gap="300">
            <ChoiceList
              title={t(`products.${words}.title`, { title: product.title })}
              choices={EXCLUSION_OUTCOMES.map((value) => ({ value, label: t(`products.${words}.${value}`) }))}
              selected={[outcome]}
              onChange={([value]) => setOutcome(value as ExclusionOutcome)}
            />
            <Text as="p" tone="subdued">{t("products.exclude.help")}</Text>
            <InlineStack align="end">
              <Button variant="primary" tone={outcome === "delete" ? "critical" : undefined} onClick={() => submit({ intent: "exclude", outcome })}>{t(`products.${words}.confirm`)}</Button>
            </InlineStack>
          </BlockStack>
        </div>
      </Popover>
    );
  }
  return (
    <BlockStack gap="100">
      {control}
      {fetcher.data && !toasted ? <div style={{ whiteSpace: "normal", minWidth: "12rem" }}><Text as="span" tone="critical">{t.text(fetcher.data.message)}</Text></div> : null}
    </BlockStack>
  );
}

export default function ProductsPage() {
  const overview = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();

  if (!overview.ok) {
    return (
      <Page title={t("products.title")} backAction={{ content: t("nav.dashboard"), url: "/app" }}>
        <Banner tone={overview.reason === "unavailable" ? "warning" : "info"} title={overview.reason === "unavailable" ? t("products.unavailable") : t("products.noPrimary")}>
          <p>{t.text(overview.message)}</p>
        </Banner>
      </Page>
    );
  }
  const { products, stores, pageInfo, primaryShop, viewer } = overview;
  const move = (cursor: string | null, direction: "next" | "previous") => {
    if (!cursor) return;
    const next = new URLSearchParams(params);
    next.set("cursor", cursor);
    next.set("direction", direction);
    setParams(next);
  };
  return (
    <Page title={t("products.title")} subtitle={t("products.subtitle", { shop: primaryShop })} backAction={{ content: t("nav.dashboard"), url: "/app" }}>
      <BlockStack gap="300">
        <Card>
          <SkuSearch initial={params.get("sku") ?? ""} onSearch={(sku) => setParams(sku ? { sku } : {})} error={overview.skuError ? t.text(overview.skuError) : undefined} />
        </Card>
        <Card padding="0">
          {products.length === 0 ? (
            <EmptyState heading={params.get("sku") ? t("products.noSku") : t("products.empty")} image="">
              <p>{params.get("sku") ? t("products.noSkuBody") : t("products.emptyBody")}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: t("products.product"), plural: t("products.products") }}
              itemCount={products.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[{ title: t("products.product") }, { title: t("products.skus") }, ...stores.map((store) => ({ title: store })), { title: t("products.problems") }, { title: t("products.inSync") }] as [{ title: string }, ...{ title: string }[]]}
              pagination={{
                hasPrevious: pageInfo.hasPreviousPage,
                onPrevious: () => move(pageInfo.startCursor, "previous"),
                hasNext: pageInfo.hasNextPage,
                onNext: () => move(pageInfo.endCursor, "next"),
              }}
            >
              {products.map((product, index) => {
                const problems = problemsAcrossStores(product.byStore, stores);
                return (
                  <IndexTable.Row id={product.id} key={product.id} position={index}>
                    <IndexTable.Cell>
                      <BlockStack gap="100">
                        <Text as="span" fontWeight="semibold">{product.title}</Text>
                        <InlineStack><Badge tone={product.status === "ACTIVE" ? "success" : undefined}>{t.text({ key: `products.status.${product.status}` }, product.status)}</Badge></InlineStack>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span">{product.variants.map((v) => v.sku ?? t("products.withoutSku")).join(", ")}</Text>
                    </IndexTable.Cell>
                    {stores.map((store) => (
                      <IndexTable.Cell key={store}>
                        <LinkBadge link={product.byStore[store]} />
                      </IndexTable.Cell>
                    ))}
                    <IndexTable.Cell>
                      {problems.length === 0 ? (
                        <Text as="span" tone="subdued">{t("common.none")}</Text>
                      ) : (
                        // Table cells do not wrap; a problem and its fix are read whole.
                        <div style={{ whiteSpace: "normal", minWidth: "20rem" }}>
                          <BlockStack gap="100">
                            {problems.map((problem) => (
                              <BlockStack key={JSON.stringify(problem.message)} gap="050">
                                <Text as="span" tone="critical">{problem.stores.length === stores.length ? t.text(problem.message) : t("products.inStores", { stores: problem.stores.join(", "), problem: t.text(problem.message) })}</Text>
                                {problem.fix ? <Text as="span" tone="subdued">{t("products.fix", { fix: t.text(problem.fix) })}</Text> : null}
                              </BlockStack>
                            ))}
                          </BlockStack>
                        </div>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <SyncChoice product={product} role={viewer.role} shop={viewer.shop} />
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
