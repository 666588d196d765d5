import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, EmptyState, IndexTable, InlineStack, Page, Text } from "@shopify/polaris";
import { SkuSearch } from "../components/SkuSearch";
import { z } from "zod";
import { openStore } from "../jobs/enqueue.server";
import { type ProductLinkState, productsOverview } from "../network/products-overview.server";
import { authenticate } from "../shopify.server";

const querySchema = z.object({
  cursor: z.string().max(512).optional(),
  direction: z.enum(["next", "previous"]).default("next"),
  sku: z.string().trim().max(255).optional(),
});

/** The primary's products, 25 at a time, with their link state and problems in each dependent. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), { status: 400 });
  const store = await openStore(session.shop);
  if (!store.role) return { ok: false as const, reason: "not-connected" as const, message: "Choose this store's role first (Tandem › Dashboard)." };
  return productsOverview({ shop: session.shop, role: store.role as "primary" | "dependent", ...parsed.data, sku: parsed.data.sku || undefined });
};

/** The same problem in several stores is shown once, naming the stores when not all of them. */
function problemsAcrossStores(byStore: Record<string, ProductLinkState>, stores: string[]) {
  const grouped = new Map<string, { message: string; fix: string | null; stores: string[] }>();
  for (const store of stores) {
    const link = byStore[store];
    if (link.state === "not-linked" || !link.problem) continue;
    const existing = grouped.get(link.problem.message);
    if (existing) existing.stores.push(store);
    else grouped.set(link.problem.message, { ...link.problem, stores: [store] });
  }
  return [...grouped.values()];
}

function LinkBadge({ link }: { link: ProductLinkState }) {
  if (link.state === "linked") return <Badge tone={link.problem ? "warning" : "success"}>{`Linked · ${link.variants} variant${link.variants === 1 ? "" : "s"}`}</Badge>;
  if (link.state === "problem") return <Badge tone="critical">Not synced</Badge>;
  return <Badge>Not linked yet</Badge>;
}

export default function ProductsPage() {
  const overview = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();

  if (!overview.ok) {
    return (
      <Page title="Products" backAction={{ content: "Dashboard", url: "/app" }}>
        <Banner tone={overview.reason === "unavailable" ? "warning" : "info"} title={overview.reason === "unavailable" ? "Products unavailable" : "No primary store yet"}>
          <p>{overview.message}</p>
        </Banner>
      </Page>
    );
  }
  const { products, stores, pageInfo, primaryShop } = overview;
  const move = (cursor: string | null, direction: "next" | "previous") => {
    if (!cursor) return;
    const next = new URLSearchParams(params);
    next.set("cursor", cursor);
    next.set("direction", direction);
    setParams(next);
  };
  return (
    <Page title="Products" subtitle={`${primaryShop}'s catalogue and where each product syncs`} backAction={{ content: "Dashboard", url: "/app" }}>
      <BlockStack gap="300">
        <Card>
          <SkuSearch initial={params.get("sku") ?? ""} onSearch={(sku) => setParams(sku ? { sku } : {})} />
        </Card>
        <Card padding="0">
          {products.length === 0 ? (
            <EmptyState heading={params.get("sku") ? "No product has this SKU" : "The primary store has no products yet"} image="">
              <p>{params.get("sku") ? "Check the SKU, or clear the search." : "Products added to the primary store appear here and sync to the connected stores."}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "product", plural: "products" }}
              itemCount={products.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[{ title: "Product" }, { title: "SKUs" }, ...stores.map((store) => ({ title: store })), { title: "Problems and fixes" }] as [{ title: string }, ...{ title: string }[]]}
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
                        <InlineStack><Badge tone={product.status === "ACTIVE" ? "success" : undefined}>{product.status.charAt(0) + product.status.slice(1).toLowerCase()}</Badge></InlineStack>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span">{product.variants.map((v) => v.sku ?? "(no SKU)").join(", ")}</Text>
                    </IndexTable.Cell>
                    {stores.map((store) => (
                      <IndexTable.Cell key={store}>
                        <LinkBadge link={product.byStore[store]} />
                      </IndexTable.Cell>
                    ))}
                    <IndexTable.Cell>
                      {problems.length === 0 ? (
                        <Text as="span" tone="subdued">—</Text>
                      ) : (
                        // Table cells do not wrap; a problem and its fix are read whole.
                        <div style={{ whiteSpace: "normal", minWidth: "20rem" }}>
                          <BlockStack gap="100">
                            {problems.map((problem) => (
                              <BlockStack key={problem.message} gap="050">
                                <Text as="span" tone="critical">{problem.stores.length === stores.length ? problem.message : `${problem.stores.join(", ")}: ${problem.message}`}</Text>
                                {problem.fix ? <Text as="span" tone="subdued">{`Fix: ${problem.fix}`}</Text> : null}
                              </BlockStack>
                            ))}
                          </BlockStack>
                        </div>
                      )}
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
