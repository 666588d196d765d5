import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ActionList, Badge, Banner, BlockStack, Button, Card, Collapsible, EmptyState, InlineStack, Layout, Page, Popover, ProgressBar, Text } from "@shopify/polaris";
import { MenuHorizontalIcon } from "@shopify/polaris-icons";
import { recentTaskLines, syncStatusOf, type TaskLine, type TaskView } from "../services/status.server";
import { planUsageOf } from "../billing/billing.server";
import { PLANS } from "../billing/plans";
import { syncActivityOf } from "../services/sync-log.server";
import { ActivityChart } from "../components/ActivityChart";
import { connectionsOf } from "../services/network.server";
import { type ConnectionStatus, ConnectionStatusBadge } from "../components/network";
import { openStore } from "../services/sync.server";
import { type ActionNotice, useSuccessToast } from "../components/toast";
import { useT } from "../i18n/react";
import { authenticate } from "../shopify.server";


/** Tasks read for the Recent tasks card, and the lines it shows once routine ones are folded. */
const RECENT_TASKS_READ = 50;
const RECENT_TASK_LINES = 10;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await openStore(session.shop);
  // A first visit goes to onboarding. Client-side, because a document redirect inside the admin
  // iframe would drop the session token the admin put in the URL.
  if (!store.role) return { shop: session.shop, role: null, setupIncomplete: false, stores: [], tasks: [], taskLines: [], counts: {}, plan: null, activity: [] };
  const connections = await connectionsOf(session.shop);
  const { plan, used } = await planUsageOf(session.shop, store.role);
  const status = await syncStatusOf(session.shop, store.role, RECENT_TASKS_READ);
  return {
    // On the top plan there is nothing to upgrade to: the button says "Change plan" instead.
    plan: { name: plan.name, productLimit: plan.productLimit, used, top: plan.id === PLANS[PLANS.length - 1].id },
    ...status,
    taskLines: recentTaskLines(status.tasks, RECENT_TASK_LINES),
    activity: await syncActivityOf(session.shop),
    shop: session.shop,
    role: store.role,
    setupIncomplete: store.role === "dependent" && !store.setupCompletedAt,
    stores: connections.map((c) => ({
      id: c.id,
      shop: store.role === "primary" ? c.dependentShop : c.primaryShop,
      role: store.role === "primary" ? ("dependent" as const) : ("primary" as const),
      status: c.status as ConnectionStatus,
    })),
  };
};

export default function Dashboard() {
  const { shop, role, setupIncomplete, stores, tasks, taskLines, counts, plan, activity } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const t = useT();
  useEffect(() => {
    if (role === null) navigate("/app/onboarding", { replace: true });
  }, [role, navigate]);
  if (role === null) {
    return (
      <Page title={t("dashboard.welcome")}>
        <Text as="p">
          <Link to="/app/onboarding">{t("dashboard.setUpLink")}</Link>
          {t("dashboard.setUpRest")}
        </Text>
      </Page>
    );
  }
  return (
    <Page title={t("dashboard.title")} subtitle={t("dashboard.subtitle", { shop, primary: role === "primary" ? 1 : 0 })}>
      <Layout>
        {setupIncomplete ? (
          <Layout.Section>
            <Banner tone="warning" title={t("dashboard.setupIncomplete")} action={{ content: t("dashboard.finishSetup"), url: "/app/onboarding" }}>
              <p>{t("dashboard.setupIncompleteBody")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {stores.filter((store) => store.status === "paused").map((store) => (
          <Layout.Section key={store.id}>
            {role === "primary" ? (
              <Banner tone="warning" title={t("dashboard.pausedDependent", { shop: store.shop })} action={{ content: t("dashboard.resumeInSettings"), url: "/app/settings" }}>
                <p>{t("dashboard.pausedDependentBody")}</p>
              </Banner>
            ) : (
              <Banner tone="warning" title={t("dashboard.pausedByPrimary", { shop: store.shop })}>
                <p>{t("dashboard.pausedByPrimaryBody")}</p>
              </Banner>
            )}
          </Layout.Section>
        ))}
        <Layout.Section>
          <SyncStatus tasks={tasks} counts={counts} statuses={Object.fromEntries(stores.map((store) => [store.shop, store.status]))} primary={role === "dependent" ? stores[0]?.shop ?? null : null} />
        </Layout.Section>
        <Layout.Section>
          <RecentTasks lines={taskLines} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">{t("dashboard.activity")}</Text>
                <Button url="/app/sync-log" variant="plain">{t("dashboard.openSyncLog")}</Button>
              </InlineStack>
              <ActivityChart days={activity} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">{t("dashboard.connectedStores")}</Text>
                <InlineStack gap="200">
                  {role === "primary" ? <Button url="/app/onboarding">{t("dashboard.addStore")}</Button> : null}
                  <Button url="/app/settings" variant="plain">{t("nav.settings")}</Button>
                </InlineStack>
              </InlineStack>
              {stores.length === 0 ? (
                <EmptyState
                  heading={role === "primary" ? t("dashboard.noStore") : t("dashboard.notConnected")}
                  action={{ content: role === "primary" ? t("dashboard.shareKey") : t("dashboard.connect"), url: "/app/onboarding" }}
                  image=""
                >
                  <p>{role === "primary" ? t("dashboard.noStoreBody") : t("dashboard.notConnectedBody")}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {stores.map((store) => (
                    <InlineStack key={store.id} gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">{store.shop}</Text>
                      <Badge>{store.role === "primary" ? t("common.primary") : t("common.dependent")}</Badge>
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
                  <Text as="h2" variant="headingMd">{t("dashboard.planTitle", { name: plan.name })}</Text>
                  <Button url="/app/plan">{plan.top ? t("dashboard.changePlan") : t("dashboard.upgrade")}</Button>
                </InlineStack>
                <Text as="p">
                  {plan.productLimit === null
                    ? t("dashboard.planUsedUnlimited", { used: plan.used })
                    : t("dashboard.planUsed", { used: plan.used, limit: plan.productLimit, available: Math.max(0, plan.productLimit - plan.used) })}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}


/** One of the Recent tasks, with seed 004's ⋯ menu: its details, and retry or cancel when that makes sense. */
function TaskRow({ task, onAct }: { task: TaskView; onAct: (intent: "retry" | "cancel") => void }) {
  const t = useT();
  const title = t.text({ key: `task.${task.kind}` }, task.kind);
  const [menuOpen, setMenuOpen] = useState(false);
  const [details, setDetails] = useState(false);
  const counts = task.result && typeof task.result === "object" ? Object.entries(task.result as Record<string, unknown>).filter(([, value]) => typeof value === "number") : [];
  const actions = [
    { content: details ? t("task.hideDetails") : t("task.details"), onAction: () => setDetails(!details) },
    { content: t("task.logOfTask"), url: `/app/sync-log?job=${task.id}` },
    ...(task.status === "failed" || task.status === "dead" ? [{ content: t("task.retry"), onAction: () => onAct("retry") }] : []),
    ...(task.status === "queued" || task.status === "running" ? [{ content: t("task.cancel"), destructive: true, onAction: () => onAct("cancel") }] : []),
  ];
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" fontWeight="semibold">{title}</Text>
        {task.productTitle ? <Text as="span">{task.productTitle}</Text> : null}
        <Text as="span" tone="subdued">{task.store}</Text>
        <Text as="span" tone="subdued">{t.dateTime(task.finishedAt ?? task.createdAt)}</Text>
        <Badge tone={STATUS_TONES[task.status]}>{t(`task.status.${task.status}`)}</Badge>
        {task.phase && task.phase !== "products" ? <Text as="span">{t(`task.phase.${task.phase}`)}</Text> : null}
        {task.progressTotal && (task.phase === null || task.phase === "products") ? (
          <Text as="span">{(task.phase ? `${t("task.phase.products")} · ` : "") + t("task.progress", { done: task.progressDone, total: task.progressTotal })}{task.etaSeconds !== null ? t("task.eta", { seconds: task.etaSeconds }) : ""}</Text>
        ) : null}
        <Popover
          active={menuOpen}
          onClose={() => setMenuOpen(false)}
          activator={<Button variant="tertiary" icon={MenuHorizontalIcon} accessibilityLabel={t("task.actionsFor", { title, store: task.store })} onClick={() => setMenuOpen(!menuOpen)} />}
        >
          <ActionList actionRole="menuitem" onActionAnyItem={() => setMenuOpen(false)} items={actions} />
        </Popover>
      </InlineStack>
      {/* The bar measures the counted phase only: reading and finishing say what they do instead. */}
      {task.status === "running" && task.progressTotal && (task.phase === null || task.phase === "products") ? <ProgressBar progress={Math.round((task.progressDone / task.progressTotal) * 100)} size="small" /> : null}
      {task.lastError && task.status !== "succeeded" ? <Text as="p" tone="critical">{task.lastError}</Text> : null}
      {task.changes === 0 ? <Text as="p" tone="subdued">{t("task.nothingChanged")}</Text> : null}
      <Collapsible id={`task-${task.id}`} open={details}>
        <BlockStack gap="050">
          <Text as="span" tone="subdued">{t("task.queuedAt", { date: t.dateTime(task.createdAt) }) + (task.finishedAt ? t("task.finishedAt", { date: t.dateTime(task.finishedAt) }) : "")}</Text>
          {counts.length > 0 ? <Text as="span">{counts.map(([key, value]) => `${t.number(Number(value))} ${t.text({ key: `task.count.${key}` }, key)}`).join(" · ")}</Text> : <Text as="span" tone="subdued">{t("task.noCounts")}</Text>}
        </BlockStack>
      </Collapsible>
    </BlockStack>
  );
}

const STATUS_TONES: Record<TaskView["status"], "success" | "critical" | "attention" | "info" | undefined> = {
  queued: "info", running: "attention", succeeded: "success", failed: "critical", dead: "critical", cancelled: undefined,
};

/** Seed 004's "Sync status" and "Recent tasks" blocks: counts per store, Sync all, progress of background tasks. */
function SyncStatus({ tasks, counts, statuses, primary }: { tasks: TaskView[]; counts: Record<string, { linked: number; available: number | null }>; statuses: Record<string, ConnectionStatus>; primary: string | null }) {
  const t = useT();
  const fetcher = useFetcher<ActionNotice>();
  const toasted = useSuccessToast(fetcher.data);
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
          <Text as="h2" variant="headingMd">{t("dashboard.syncStatus")}</Text>
          <InlineStack gap="200">
            <Button
              onClick={() => fetcher.submit({ intent: "check-stock" }, { method: "post", action: "/app/sync" })}
              disabled={fetcher.state !== "idle"}
              accessibilityLabel={t("dashboard.checkStockLabel")}
            >
              {t("dashboard.checkStock")}
            </Button>
            <fetcher.Form method="post" action="/app/sync">
              <input type="hidden" name="intent" value="sync-all" />
              <Button submit variant="primary" loading={fetcher.state !== "idle"}>{t("dashboard.syncAll")}</Button>
            </fetcher.Form>
          </InlineStack>
        </InlineStack>
        {primary ? <Text as="p">{t("dashboard.syncedFrom", { shop: primary })}</Text> : null}
        {fetcher.data && !toasted ? <Banner tone="warning"><p>{t.text(fetcher.data.message)}</p></Banner> : null}
        {Object.entries(counts).map(([store, count]) => (
          <InlineStack key={store} gap="200">
            <Text as="span" fontWeight="semibold">{store}</Text>
            <Text as="span">{count.available === null ? t("dashboard.linked", { linked: count.linked }) : t("dashboard.linkedOf", { linked: count.linked, available: count.available })}</Text>
            {statuses[store] && statuses[store] !== "connected" ? <ConnectionStatusBadge status={statuses[store]} /> : null}
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

/** Seed 004's "Recent tasks": each task with its time, what it did and where; routine stock and order tasks folded. */
function RecentTasks({ lines }: { lines: TaskLine[] }) {
  const t = useT();
  const fetcher = useFetcher<ActionNotice>();
  const toasted = useSuccessToast(fetcher.data);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("dashboard.recentTasks")}</Text>
        {fetcher.data && !toasted ? <Banner tone="warning"><p>{t.text(fetcher.data.message)}</p></Banner> : null}
        {lines.length === 0 ? <Text as="p" tone="subdued">{t("dashboard.noTask")}</Text> : null}
        {lines.map((line) => "task" in line ? (
          <TaskRow key={line.task.id} task={line.task} onAct={(intent) => fetcher.submit({ intent, jobId: line.task.id }, { method: "post", action: "/app/sync" })} />
        ) : (
          <InlineStack key={`routine-${line.routine.to}`} gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">{t("task.routine")}</Text>
            <Text as="span">{t("task.routineCount", { count: line.routine.count, changes: line.routine.changes })}</Text>
            <Text as="span" tone="subdued">{t("task.routineBetween", { from: t.dateTime(line.routine.from), to: t.dateTime(line.routine.to) })}</Text>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

// Errors of this page show inside the app's layout, in the admin's language.
export { RouteError as ErrorBoundary } from "../components/RouteError";
