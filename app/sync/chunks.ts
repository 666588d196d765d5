/** `items` cut into runs of at most `size`, in order (API inputs and SQL parameter lists have limits). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Ids per `IN (…)` list: SQLite (through Prisma) refuses a statement with more than 999 parameters. */
export const IDS_PER_QUERY = 500;
