import type { PrismaClient } from "@prisma/client";
import { databaseEngine } from "../../app/db/engine";

/**
 * A real database fault: from now on the database refuses to write a Job row for `lane` (as a
 * lock timeout or a full disk would), in whichever process asks. Returns the way to lift it.
 * A trigger, so the app's own statements fail exactly where they would.
 */
export async function refuseJobWrites(prisma: PrismaClient, databaseUrl: string, lane: string): Promise<() => Promise<void>> {
  const name = `tandem_test_fault_${Math.random().toString(36).slice(2, 10)}`;
  const quoted = lane.replace(/'/g, "''");
  if (databaseEngine(databaseUrl) === "sqlite") {
    for (const event of ["INSERT", "UPDATE"]) {
      await prisma.$executeRawUnsafe(`CREATE TRIGGER ${name}_${event.toLowerCase()} BEFORE ${event} ON "Job" WHEN NEW."lane" = '${quoted}' BEGIN SELECT RAISE(ABORT, 'injected fault: Job rows of ${quoted} refused'); END`);
    }
    return async () => {
      for (const event of ["insert", "update"]) await prisma.$executeRawUnsafe(`DROP TRIGGER ${name}_${event}`);
    };
  }
  await prisma.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW."lane" = '${quoted}' THEN RAISE EXCEPTION 'injected fault: Job rows of ${quoted} refused'; END IF; RETURN NEW; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON "Job" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER ${name} ON "Job"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  };
}
