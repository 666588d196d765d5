import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv({ TANDEM_JOB_RETENTION_DAYS: "14", TANDEM_LEDGER_RETENTION_DAYS: "365", TANDEM_NETWORK_RETENTION_DAYS: "30" });
const { default: prisma } = await import("../db.server");
const { pruneOldRows } = await import("./retention.server");

const DAY = 86_400_000;
const NOW = new Date("2026-12-06T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const SHOP = "retention-a.myshopify.com";
const PRIMARY = "retention-primary.myshopify.com";

test("old finished rows go, by each table's retention; what is waiting, pending or recent stays", async () => {
  let n = 0;
  const job = (status: string, finishedDaysAgo: number | null) => prisma.job.create({
    data: { kind: "reconcile-stock", lane: SHOP, primaryShop: PRIMARY, payload: "{}", status, runAt: ago(100), createdAt: ago(100), finishedAt: finishedDaysAgo === null ? null : ago(finishedDaysAgo), dedupeKey: status === "queued" ? `retention-${n++}` : null },
  });
  for (const [status, days] of [["succeeded", 15], ["dead", 40], ["cancelled", 20]] as const) await job(status, days);
  const keptJobs = [await job("succeeded", 2), await job("queued", null), await job("failed", 13)];

  const movement = (key: string, status: string, days: number) => prisma.stockMovement.create({
    data: { key, primaryShop: PRIMARY, dependentShop: SHOP, kind: key.startsWith("restock") ? "restock" : "sale", sku: "LAMP", lineItemId: `line-${key}`, quantity: 1, status, createdAt: ago(days), appliedAt: status === "applied" || status === "skipped" ? ago(days) : null },
  });
  await movement("sale-old-applied", "applied", 400);
  await movement("sale-old-skipped", "skipped", 366);
  await movement("restock-old-waiting", "waiting", 400);
  const keptMovements = [await movement("sale-old-pending", "pending", 500), await movement("sale-recent-applied", "applied", 300)];

  await prisma.mirroredOrder.create({ data: { dependentShop: SHOP, dependentOrderId: "old", primaryShop: PRIMARY, primaryOrderId: "p-old", primaryOrderName: "#1", createdAt: ago(400) } });
  await prisma.mirroredOrder.create({ data: { dependentShop: SHOP, dependentOrderId: "recent", primaryShop: PRIMARY, primaryOrderId: "p-recent", primaryOrderName: "#2", createdAt: ago(10) } });
  await prisma.keyAttempt.create({ data: { shop: SHOP, succeeded: false, createdAt: ago(31) } });
  const keptAttempt = await prisma.keyAttempt.create({ data: { shop: SHOP, succeeded: false, createdAt: ago(1) } });
  await prisma.invite.create({ data: { primaryShop: PRIMARY, dependentShop: "declined.myshopify.com", status: "declined", expiresAt: ago(30), respondedAt: ago(40), createdAt: ago(44) } });
  await prisma.invite.create({ data: { primaryShop: PRIMARY, dependentShop: "expired.myshopify.com", status: "pending", expiresAt: ago(31), createdAt: ago(45) } });
  const keptInvites = [
    await prisma.invite.create({ data: { primaryShop: PRIMARY, dependentShop: "waiting.myshopify.com", status: "pending", expiresAt: ago(-10), createdAt: ago(4) } }),
    await prisma.invite.create({ data: { primaryShop: PRIMARY, dependentShop: "accepted.myshopify.com", status: "accepted", expiresAt: ago(2), respondedAt: ago(10), createdAt: ago(16) } }),
  ];

  const pruned = await pruneOldRows(NOW);
  expect(pruned).toMatchObject({ jobs: 3, movements: 3, mirroredOrders: 1, keyAttempts: 1, invites: 2 });
  expect((await prisma.job.findMany({ where: { lane: SHOP } })).map((j) => j.id).sort()).toEqual(keptJobs.map((j) => j.id).sort());
  expect((await prisma.stockMovement.findMany({ where: { dependentShop: SHOP } })).map((m) => m.key).sort()).toEqual(keptMovements.map((m) => m.key).sort());
  expect((await prisma.mirroredOrder.findMany({ where: { dependentShop: SHOP } })).map((o) => o.dependentOrderId)).toEqual(["recent"]);
  expect((await prisma.keyAttempt.findMany({ where: { shop: SHOP } })).map((a) => a.id)).toEqual([keptAttempt.id]);
  expect((await prisma.invite.findMany({ where: { primaryShop: PRIMARY } })).map((i) => i.id).sort()).toEqual(keptInvites.map((i) => i.id).sort());
  // A second pass finds nothing more.
  expect(Object.values(await pruneOldRows(NOW)).every((count) => count === 0)).toBe(true);
});
