import type { PrimaryLevel } from "@prisma/client";
import prisma, { execute, join, query, sql } from "../db.server";
import { isUniqueViolation } from "../db/engine";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import { CLOCK_MARGIN_MS, type KnownLevel, type LevelObservation, mergeLevelObservation, type ObservationOutcome } from "../sync/primaryLevels";

export type PrimaryLevelObservation = { inventoryItemId: string; locationId: string; observation: LevelObservation };
/** A whole item as one read gave it: tracked, and each level with Shopify's time of its last change (whole seconds, ms). */
/** An item as a read gives it (store-reader's InventoryItemState); a level without its time leaves the item unknown. */
export type PrimaryItemRead = { tracked: boolean; available: Record<string, number>; changedAt?: Record<string, number> };

/** Merges that lose a race with another one are tried again this many times, after a short random pause. */
const MERGE_ATTEMPTS = 50;
const pause = () => new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 4));

function knownOf(row: PrimaryLevel): KnownLevel {
  return { available: row.available, changedAt: row.changedAt.getTime(), recordedAt: row.recordedAt.getTime(), conflict: row.conflict, echoes: JSON.parse(row.echoes) as number[] };
}

function columnsOf(level: KnownLevel) {
  return { available: level.available, changedAt: new Date(level.changedAt), recordedAt: new Date(level.recordedAt), conflict: level.conflict, echoes: JSON.stringify(level.echoes) };
}

/**
 * The version of each stored level (by levelKey) a reader loaded before it sent its read: a read
 * meeting the same version is later than that level whatever the clocks of the processes say.
 */
export type SeenLevelVersions = Map<string, number>;

export const levelKey = (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`;

/** Applies one level's observations in order to what is stored; `changed` when something is to be written. */
function mergeAll(row: PrimaryLevel | null, observations: LevelObservation[], now: number, seenVersion?: number) {
  const start = row ? knownOf(row) : null;
  let level = start;
  const outcomes: ObservationOutcome[] = [];
  for (const given of observations) {
    const observation = given.source === "read" && level === start && row !== null && row.version === seenVersion ? { ...given, afterRecorded: true } : given;
    const merged = mergeLevelObservation(level, observation, now);
    level = merged.level;
    outcomes.push(merged.outcome);
  }
  return { level: level!, outcomes, changed: level !== start };
}

/** One level's merge against the stored row, written only if nobody else wrote it in between. */
async function mergeLevel(primaryShop: string, inventoryItemId: string, locationId: string, observations: LevelObservation[], known?: PrimaryLevel | null, seenVersion?: number): Promise<ObservationOutcome[]> {
  // Plain SQL (ADR 0017): every stock webhook and sale of a primary merges its levels.
  const stored = async () => (await levelAt(primaryShop, inventoryItemId, locationId)) ?? null;
  let row = known === undefined ? await stored() : known;
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const { level, outcomes, changed } = mergeAll(row, observations, Date.now(), seenVersion);
    if (!changed) return outcomes;
    const columns = columnsOf(level);
    if (row) {
      const count = await execute(sql`
        UPDATE "PrimaryLevel" SET "available" = ${columns.available}, "changedAt" = ${columns.changedAt}, "recordedAt" = ${columns.recordedAt},
          "conflict" = ${columns.conflict}, "echoes" = ${columns.echoes}, "version" = ${row.version + 1}
        WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId} AND "version" = ${row.version}`);
      if (count === 1) return outcomes;
    } else {
      try {
        await execute(sql`
          INSERT INTO "PrimaryLevel" ("primaryShop", "inventoryItemId", "locationId", "available", "changedAt", "recordedAt", "conflict", "echoes", "version")
          VALUES (${primaryShop}, ${inventoryItemId}, ${locationId}, ${columns.available}, ${columns.changedAt}, ${columns.recordedAt}, ${columns.conflict}, ${columns.echoes}, 1)`);
        return outcomes;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    await pause();
    row = await stored();
  }
  throw new Error(`the primary level ${inventoryItemId} at ${locationId} kept changing while Tandem recorded it`);
}

/**
 * Merges what Tandem just learned about a primary's levels (app/sync/primaryLevels.ts) and returns
 * each observation's outcome, in the order given. Recorded before the stock pushes it causes are
 * marked, so a push never sends a level older than the change that queued it.
 */
export async function recordPrimaryLevels(primaryShop: string, observations: PrimaryLevelObservation[]): Promise<ObservationOutcome[]> {
  if (observations.length === 0) return [];
  return mergeObservations(primaryShop, observations, await storedLevels(primaryShop, observations.map((o) => o.inventoryItemId)));
}

async function levelAt(primaryShop: string, inventoryItemId: string, locationId: string): Promise<PrimaryLevel | undefined> {
  const [row] = await query<PrimaryLevel>(sql`
    SELECT * FROM "PrimaryLevel" WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId}`);
  return row;
}

/** Plain SQL, as the other reads of every stock change (ADR 0017). At most IDS_PER_QUERY ids. */
async function levelsOfItems(primaryShop: string, inventoryItemIds: string[]): Promise<PrimaryLevel[]> {
  if (inventoryItemIds.length === 0) return [];
  return query<PrimaryLevel>(sql`SELECT * FROM "PrimaryLevel" WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" IN (${join(inventoryItemIds)})`);
}

async function storedLevels(primaryShop: string, inventoryItemIds: string[]): Promise<Map<string, PrimaryLevel>> {
  const rows = new Map<string, PrimaryLevel>();
  for (const ids of chunks([...new Set(inventoryItemIds)], IDS_PER_QUERY)) {
    for (const row of await levelsOfItems(primaryShop, ids)) rows.set(levelKey(row.inventoryItemId, row.locationId), row);
  }
  return rows;
}

async function mergeObservations(primaryShop: string, observations: PrimaryLevelObservation[], rows: Map<string, PrimaryLevel>, seen?: SeenLevelVersions): Promise<ObservationOutcome[]> {
  const byKey = new Map<string, { inventoryItemId: string; locationId: string; indexes: number[] }>();
  observations.forEach(({ inventoryItemId, locationId }, index) => {
    const key = levelKey(inventoryItemId, locationId);
    const entry = byKey.get(key) ?? { inventoryItemId, locationId, indexes: [] };
    entry.indexes.push(index);
    byKey.set(key, entry);
  });
  const outcomes: ObservationOutcome[] = new Array(observations.length);
  // Levels never seen (a stock check's first read of a large catalogue) go in one statement.
  const fresh = [...byKey].filter(([key]) => !rows.has(key));
  if (fresh.length > 1) {
    const now = Date.now();
    const created = fresh.map(([, { inventoryItemId, locationId, indexes }]) => ({ inventoryItemId, locationId, indexes, ...mergeAll(null, indexes.map((index) => observations[index].observation), now) }));
    try {
      await prisma.primaryLevel.createMany({ data: created.map(({ inventoryItemId, locationId, level }) => ({ primaryShop, inventoryItemId, locationId, ...columnsOf(level) })) });
      for (const { indexes, outcomes: merged } of created) merged.forEach((outcome, position) => (outcomes[indexes[position]] = outcome));
      for (const [key] of fresh) byKey.delete(key);
    } catch (error) {
      // Another process recorded one of them meanwhile: each is merged on its own below.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  for (const [key, { inventoryItemId, locationId, indexes }] of byKey) {
    const merged = await mergeLevel(primaryShop, inventoryItemId, locationId, indexes.map((index) => observations[index].observation), rows.get(key) ?? null, seen?.get(key));
    merged.forEach((outcome, position) => (outcomes[indexes[position]] = outcome));
  }
  return outcomes;
}

/**
 * Records whole items read from the primary (request sent at `sentAt`; for a bulk export, when it
 * started): every level, whether the store tracks the item, and the read's time. Levels at
 * locations the read no longer shows are dropped, unless recorded after the read was sent (a
 * location stocked since). `seen`: the levels the reader loaded before sending (knownPrimaryItems),
 * known to be older than the read whatever the clocks say. A stock check records its whole
 * catalogue this way, so only what changed is written.
 */
export async function recordPrimaryItemReads(primaryShop: string, items: Map<string, PrimaryItemRead>, sentAt: number, seen?: SeenLevelVersions) {
  const readAt = new Date(sentAt);
  for (const batch of chunks([...items], IDS_PER_QUERY)) {
    const ids = batch.map(([id]) => id);
    const rows = await storedLevels(primaryShop, ids);
    const recordedBefore = (row: PrimaryLevel) => seen?.get(levelKey(row.inventoryItemId, row.locationId)) === row.version || row.recordedAt.getTime() < sentAt - CLOCK_MARGIN_MS;
    const gone = [...rows.values()].filter((row) => !(row.locationId in items.get(row.inventoryItemId)!.available) && recordedBefore(row));
    if (gone.length > 0) {
      await prisma.primaryLevel.deleteMany({ where: { primaryShop, OR: gone.map(({ inventoryItemId, locationId }) => ({ inventoryItemId, locationId })) } });
    }
    await mergeObservations(primaryShop, batch.flatMap(([inventoryItemId, item]) => Object.entries(item.available).flatMap(([locationId, available]) => {
      const changedAt = item.changedAt?.[locationId];
      return changedAt === undefined ? [] : [{ inventoryItemId, locationId, observation: { source: "read" as const, available, changedAt, sentAt } }];
    })), rows, seen);
    // A level without its time cannot be ordered against webhooks: its item is not known.
    const complete = batch.filter(([, item]) => Object.keys(item.available).every((locationId) => item.changedAt?.[locationId] !== undefined));
    const existing = new Map((await query<{ inventoryItemId: string; tracked: boolean }>(sql`
      SELECT "inventoryItemId", "tracked" FROM "PrimaryItem" WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" IN (${join(ids)})`)).map((row) => [row.inventoryItemId, Boolean(row.tracked)]));
    const completeIds = new Set(complete.map(([id]) => id));
    const incomplete = ids.filter((id) => !completeIds.has(id) && existing.has(id));
    if (incomplete.length > 0) await prisma.primaryItem.deleteMany({ where: { primaryShop, inventoryItemId: { in: incomplete } } });
    for (const tracked of [true, false]) {
      const same = complete.filter(([id, item]) => item.tracked === tracked && existing.get(id) === tracked).map(([id]) => id);
      if (same.length > 0) await execute(sql`UPDATE "PrimaryItem" SET "readAt" = ${readAt} WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" IN (${join(same)})`);
    }
    const unseen = complete.filter(([id]) => !existing.has(id));
    if (unseen.length > 0) {
      try {
        await prisma.primaryItem.createMany({ data: unseen.map(([inventoryItemId, item]) => ({ primaryShop, inventoryItemId, tracked: item.tracked, readAt })) });
        for (const [id, item] of unseen) existing.set(id, item.tracked);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const others = complete.filter(([id, item]) => existing.get(id) !== item.tracked);
    if (others.length > 0) {
      await prisma.$transaction(others.map(([inventoryItemId, item]) => prisma.primaryItem.upsert({
        where: { primaryShop_inventoryItemId: { primaryShop, inventoryItemId } },
        create: { primaryShop, inventoryItemId, tracked: item.tracked, readAt },
        update: { tracked: item.tracked, readAt },
      })));
    }
  }
}

/**
 * The items whose stock Tandem knows without reading: read whole within `maxAgeMs`, and none of
 * their levels in conflict. Each as InventoryItemState (tracked, available by location). `seen`:
 * the versions of the other levels loaded, for the read that settles them (recordPrimaryItemReads).
 */
export async function knownPrimaryItems(primaryShop: string, inventoryItemIds: string[], maxAgeMs: number, now = Date.now()): Promise<{ known: Map<string, { tracked: boolean; available: Record<string, number> }>; seen: SeenLevelVersions }> {
  const known = new Map<string, { tracked: boolean; available: Record<string, number> }>();
  const seen: SeenLevelVersions = new Map();
  if (maxAgeMs <= 0) return { known, seen };
  for (const ids of chunks([...new Set(inventoryItemIds)], IDS_PER_QUERY)) {
    const items = await query<{ inventoryItemId: string; tracked: boolean }>(sql`
      SELECT "inventoryItemId", "tracked" FROM "PrimaryItem" WHERE "primaryShop" = ${primaryShop} AND "inventoryItemId" IN (${join(ids)}) AND "readAt" > ${new Date(now - maxAgeMs)}`);
    if (items.length === 0) continue;
    const levels = await levelsOfItems(primaryShop, items.map((item) => item.inventoryItemId));
    const conflicting = new Set(levels.filter((level) => level.conflict).map((level) => level.inventoryItemId));
    for (const item of items) if (!conflicting.has(item.inventoryItemId)) known.set(item.inventoryItemId, { tracked: item.tracked, available: {} });
    for (const level of levels) {
      const item = known.get(level.inventoryItemId);
      if (item) item.available[level.locationId] = level.available;
      else seen.set(levelKey(level.inventoryItemId, level.locationId), level.version);
    }
  }
  return { known, seen };
}

/** Items whose stock Tandem can no longer vouch for (a change it could not place in time): the next push reads them. */
export async function forgetPrimaryItems(primaryShop: string, inventoryItemIds: string[]) {
  if (inventoryItemIds.length === 0) return;
  await prisma.primaryItem.deleteMany({ where: { primaryShop, inventoryItemId: { in: [...new Set(inventoryItemIds)] } } });
}
