import prisma from "../db.server";

/** Invitations that ended (answered, revoked or expired) before `before`; pending ones stay until they expire. */
export async function pruneEndedInvites(before: Date): Promise<number> {
  const { count } = await prisma.invite.deleteMany({
    where: { OR: [{ status: { not: "pending" }, respondedAt: { lt: before } }, { status: { not: "pending" }, respondedAt: null, createdAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return count;
}
