import { GraphQLError } from "graphql";

export type ConnectionArgs = { first?: number | null; last?: number | null; after?: string | null; before?: string | null; reverse?: boolean | null };

const MAX_PAGE = 250;

/**
 * Bulk operations read whole connections (no first/last needed, no 250 cap). Execution of our
 * resolvers is synchronous, so a flag set around one synchronous execute() call is safe.
 */
let unlimitedPages = false;

export function withUnlimitedPages<T>(run: () => T): T {
  unlimitedPages = true;
  try {
    return run();
  } finally {
    unlimitedPages = false;
  }
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const id = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")).last_id;
    if (typeof id === "number") return id;
  } catch {
    // fall through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

export function pageSize(args: ConnectionArgs): number {
  if (unlimitedPages && args.first == null && args.last == null) return Number.POSITIVE_INFINITY;
  const size = args.first ?? args.last;
  if (size === null || size === undefined) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if (size < 0 || (size > MAX_PAGE && !unlimitedPages)) {
    throw new GraphQLError(`The number of results requested must be between 0 and ${MAX_PAGE}.`, { extensions: { code: "BAD_REQUEST" } });
  }
  return size;
}

/** A Relay connection over items already sorted by ascending numeric id, paged by id cursors. */
export function connection<T extends { id: number }, V>(items: Iterable<T>, args: ConnectionArgs, view: (item: T) => V) {
  const size = pageSize(args);
  const afterId = args.after ? decodeCursor(args.after) : null;
  const beforeId = args.before ? decodeCursor(args.before) : null;
  const descending = Boolean(args.reverse);
  let window: T[] = [];
  const all = descending ? [...items].reverse() : items;
  const passedAfter = (id: number) => afterId === null || (descending ? id < afterId : id > afterId);
  const beforeBefore = (id: number) => beforeId === null || (descending ? id > beforeId : id < beforeId);
  let hasMoreAfter = false;
  let hasMoreBefore = false;
  if (args.last !== undefined && args.last !== null && (args.first === undefined || args.first === null)) {
    for (const item of all) {
      if (!passedAfter(item.id)) continue;
      if (!beforeBefore(item.id)) break;
      window.push(item);
    }
    hasMoreBefore = window.length > size;
    window = window.slice(Math.max(0, window.length - size));
  } else {
    for (const item of all) {
      if (!passedAfter(item.id)) {
        hasMoreBefore = true;
        continue;
      }
      if (!beforeBefore(item.id)) break;
      if (window.length === size) {
        hasMoreAfter = true;
        break;
      }
      window.push(item);
    }
  }
  const edges = window.map((item) => ({ cursor: encodeCursor(item.id), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: hasMoreAfter,
      hasPreviousPage: hasMoreBefore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
