import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ActionList, Badge, Banner, BlockStack, Button, Card, Collapsible, EmptyState, InlineStack, Layout, Page, Popover, ProgressBar, Text } from "@shopify/polaris";
import { MenuHorizontalIcon } from "@shopify/polaris-icons";
import { syncStatusOf, type TaskView } from "../jobs/status.server";
import { planOfStore, productsUsed } from "../models/stores.server";
import { syncActivityOf } from "../models/syncLog.server";
import { ActivityChart } from "../components/ActivityChart";
import { connectionsOf } from "../network/network.server";
import { type ConnectionStatus, ConnectionStatusBadge } from "../components/network";
import { openStore } from "../jobs/enqueue.server";
import { authenticate } from "../shopify.server";


export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  // A first visit goes to onboarding. Client-side, because a document redirect inside the admin
  // iframe would drop the session token the admin put in the URL.
  if (!store.role) return { shop: session.shop, role: null, setupIncomplete: false, stores: [], tasks: [], counts: {}, plan: null, activity: [] };
  const connections = await connectionsOf(session.shop);
  const { plan } = await planOfStore(session.shop);
  return {
    plan: { name: plan.name, productLimit: plan.productLimit, used: await productsUsed(session.shop, store.role) },
    ...(await syncStatusOf(session.shop, store.role, 10)),
    activity: await syncActivityOf(session.shop),
    shop: session.shop,
    role: store.role,
    setupIncomplete: store.role === "dependent" && !store.setupCompletedAt,
    stores: connections.map((c) => ({
      id: c.id,
      shop: store.role === "primary" ? c.dependentShop : c.primaryShop,
      role: store.role === "primary" ? "Dependent" : "Primary",
      status: c.status as ConnectionStatus,
    })),
  };
};

export default function Dashboard() {
  const { shop, role, setupIncomplete, stores, tasks, counts, plan, activity } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  useEffect(() => {
    if (role === null) navigate("/app/onboarding", { replace: true });
  }, [role, navigate]);
  if (role === null) {
    return (
      <Page title="Welcome to Tandem">
        <Text as="p">
          <Link to="/app/onboarding">Set up Tandem</Link> to choose this store&apos;s role.
        </Text>
      </Page>
    );
  }
  return (
    <Page title="Dashboard" subtitle={`${shop} · ${role === "primary" ? "Primary store" : "Dependent store"}`}>
      <Layout>
        {setupIncomplete ? (
          <Layout.Section>
            <Banner tone="warning" title="Setup incomplete" action={{ content: "Finish setup", url: "/app/onboarding" }}>
              <p>Choose what to sync from the primary store and where stock goes. Until then nothing is synced to this store.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SyncStatus tasks={tasks} counts={counts} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">Activity</Text>
                <Button url="/app/sync-log" variant="plain">Open the sync log</Button>
              </InlineStack>
              <ActivityChart days={activity} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Connected stores</Text>
              {stores.length === 0 ? (
                <EmptyState
                  heading={role === "primary" ? "No store is connected yet" : "Not connected to a primary store"}
                  action={{ content: role === "primary" ? "Share your key or invite a store" : "Connect to a primary store", url: "/app/onboarding" }}
                  image=""
                >
                  <p>{role === "primary" ? "Dependent stores connect with your connection key or accept your invitation." : "Paste the primary store's key or accept its invitation."}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {stores.map((store) => (
                    <InlineStack key={store.id} gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">{store.shop}</Text>
                      <Badge>{store.role}</Badge>
                      <ConnectionStatusBadge status={store.status} />
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {plan ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">Plan: {plan.name}</Text>
                  <Button url="/app/plan">Upgrade plan</Button>
                </InlineStack>
                <Text as="p">
                  {plan.productLimit === null
                    ? `${plan.used.toLocaleString("en-US")} products used, no limit`
                    : `${plan.used.toLocaleString("en-US")} of ${plan.productLimit.toLocaleString("en-US")} products used · ${Math.max(0, plan.productLimit - plan.used).toLocaleString("en-US")} available`}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

/** How a task's counts read in its details; a count without a label shows its own name. */
const COUNT_LABELS: Record<string, string> = {
  total: "products in the primary", done: "products done", create: "created", update: "updated", unchanged: "unchanged",
  skipped: "skipped", notInDependent: "not in this store", notSelected: "outside the selection", overPlanLimit: "over the plan's limit",
  failed: "failed", warnings: "with warnings", archived: "archived", deleted: "deleted", bulkWrites: "bulk writes",
  linkedAfterRestart: "linked after a restart", inventoryWrites: "stock levels written", collectionsCreated: "collections created",
  collectionsUpdated: "collections updated", collectionErrors: "collection errors", recoveredMovements: "missed sales applied",
  checked: "levels checked", repaired: "levels repaired", applied: "stock moves applied", duplicates: "repeats ignored",
};

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** One of the Recent tasks, with seed 004's ⋯ menu: its details, and retry or cancel when that makes sense. */
function TaskRow({ task, onAct }: { task: TaskView; onAct: (intent: "retry" | "cancel") => void }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [details, setDetails] = useState(false);
  const counts = task.result && typeof task.result === "object" ? Object.entries(task.result as Record<string, unknown>).filter(([, value]) => typeof value === "number") : [];
  const actions = [
    { content: details ? "Hide details" : "Details", onAction: () => setDetails(!details) },
    { content: "Sync log of this task", url: `/app/sync-log?job=${task.id}` },
    ...(task.status === "failed" || task.status === "dead" ? [{ content: "Retry", onAction: () => onAct("retry") }] : []),
    ...(task.status === "queued" || task.status === "running" ? [{ content: "Cancel", destructive: true, onAction: () => onAct("cancel") }] : []),
  ];
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" fontWeight="semibold">{task.title}</Text>
        <Text as="span" tone="subdued">{task.store}</Text>
        <Badge tone={STATUS_TONES[task.status]}>{STATUS_LABELS[task.status]}</Badge>
        {task.progressTotal ? <Text as="span">{task.progressDone} / {task.progressTotal}{task.etaSeconds !== null ? ` · about ${task.etaSeconds} s left` : ""}</Text> : null}
        <Popover
          active={menuOpen}
          onClose={() => setMenuOpen(false)}
          activator={<Button variant="tertiary" icon={MenuHorizontalIcon} accessibilityLabel={`Actions for ${task.title} (${task.store})`} onClick={() => setMenuOpen(!menuOpen)} />}
        >
          <ActionList actionRole="menuitem" onActionAnyItem={() => setMenuOpen(false)} items={actions} />
        </Popover>
      </InlineStack>
      {task.status === "running" && task.progressTotal ? <ProgressBar progress={Math.round((task.progressDone / task.progressTotal) * 100)} size="small" /> : null}
      {task.lastError && task.status !== "succeeded" ? <Text as="p" tone="critical">{task.lastError}</Text> : null}
      <Collapsible id={`task-${task.id}`} open={details}>
        <BlockStack gap="050">
          <Text as="span" tone="subdued">{`Queued ${dateTime.format(new Date(task.createdAt))} UTC${task.finishedAt ? ` · finished ${dateTime.format(new Date(task.finishedAt))} UTC` : ""}`}</Text>
          {counts.length > 0 ? <Text as="span">{counts.map(([key, value]) => `${Number(value).toLocaleString("en-US")} ${COUNT_LABELS[key] ?? key}`).join(" · ")}</Text> : <Text as="span" tone="subdued">No counts for this task.</Text>}
        </BlockStack>
      </Collapsible>
    </BlockStack>
  );
}

const STATUS_TONES: Record<TaskView["status"], "success" | "critical" | "attention" | "info" | undefined> = {
  queued: "info", running: "attention", succeeded: "success", failed: "critical", dead: "critical", cancelled: undefined,
};
const STATUS_LABELS: Record<TaskView["status"], string> = {
  queued: "Waiting", running: "Running", succeeded: "Done", failed: "Failed", dead: "Failed after retries", cancelled: "Cancelled",
};

/** Seed 004's "Sync status" and "Recent tasks" blocks: counts per store, Sync all, progress of background tasks. */
function SyncStatus({ tasks, counts }: { tasks: TaskView[]; counts: Record<string, { linked: number; available: number | null }> }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const revalidator = useRevalidator();
  const active = tasks.some((t) => t.status === "queued" || t.status === "running");
  // Remix reloads the data after the Sync all post; from then on, poll only while tasks run.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [active, revalidator]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">Sync status</Text>
          <InlineStack gap="200">
            <Button
              onClick={() => fetcher.submit({ intent: "check-stock" }, { method: "post", action: "/app/sync" })}
              disabled={fetcher.state !== "idle"}
              accessibilityLabel="Check stock: apply missed sales and compare every level with the primary store"
            >
              Check stock
            </Button>
            <fetcher.Form method="post" action="/app/sync">
              <input type="hidden" name="intent" value="sync-all" />
              <Button submit variant="primary" loading={fetcher.state !== "idle"}>Sync all</Button>
            </fetcher.Form>
          </InlineStack>
        </InlineStack>
        {fetcher.data ? <Banner tone={fetcher.data.ok ? "success" : "warning"}><p>{fetcher.data.message}</p></Banner> : null}
        {Object.entries(counts).map(([store, count]) => (
          <InlineStack key={store} gap="200">
            <Text as="span" fontWeight="semibold">{store}</Text>
            <Text as="span">{count.linked} products linked{count.available === null ? "" : ` of ${count.available} available`}</Text>
          </InlineStack>
        ))}
        <Text as="h3" variant="headingSm">Recent tasks</Text>
        {tasks.length === 0 ? <Text as="p" tone="subdued">No task has run yet.</Text> : null}
        {tasks.map((task) => (
          <TaskRow key={task.id} task={task} onAct={(intent) => fetcher.submit({ intent, jobId: task.id }, { method: "post", action: "/app/sync" })} />
        ))}
      </BlockStack>
    </Card>
  );
}
