import type { Invite } from "@prisma/client";
import prisma from "../db.server";

/** Invitations that ended (answered, revoked or expired) before `before`; pending ones stay until they expire. */
export async function pruneEndedInvites(before: Date): Promise<number> {
  const { count } = await prisma.invite.deleteMany({
    where: { OR: [{ status: { not: "pending" }, respondedAt: { lt: before } }, { status: { not: "pending" }, respondedAt: null, createdAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return count;
}

/** A pending invite from this primary to this store, made or given a new expiry. */
export async function upsertPendingInvite(primaryShop: string, dependentShop: string, expiresAt: Date): Promise<Invite> {
  const existing = await prisma.invite.findFirst({ where: { primaryShop, dependentShop, status: "pending" } });
  return existing
    ? prisma.invite.update({ where: { id: existing.id }, data: { expiresAt } })
    : prisma.invite.create({ data: { primaryShop, dependentShop, status: "pending", expiresAt } });
}

/** Invites addressed to this store that it can still accept, including those sent before it installed. */
export async function pendingInvitesFor(dependentShop: string, now = new Date()): Promise<Invite[]> {
  return prisma.invite.findMany({ where: { dependentShop, status: "pending", expiresAt: { gt: now } }, orderBy: { createdAt: "asc" } });
}

export async function invitesSentBy(primaryShop: string): Promise<Invite[]> {
  return prisma.invite.findMany({ where: { primaryShop }, orderBy: { createdAt: "desc" } });
}

/** An invite by id, only if `shop` is on the side named: its primary, or the store invited. */
export async function inviteById(id: string, shop: string, side: "primary" | "dependent"): Promise<Invite | null> {
  return prisma.invite.findFirst({ where: side === "primary" ? { id, primaryShop: shop } : { id, dependentShop: shop } });
}

export async function endInvite(id: string, status: "declined" | "revoked", at = new Date()): Promise<Invite> {
  return prisma.invite.update({ where: { id }, data: { status, respondedAt: at } });
}
