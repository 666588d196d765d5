/**
 * The part of Shopify's search syntax the simulator understands: space-separated terms joined by
 * AND, each `field:value`, `field:>value`, `field:<value` (also >= and <=), `-field:value` to
 * negate, values optionally in double quotes, and bare words matched against the title.
 * https://shopify.dev/docs/api/usage/search-syntax
 */
export type SearchTerm = { field: string | null; comparator: "=" | ">" | "<" | ">=" | "<="; value: string; negated: boolean };

/** Alternatives: the query matches when every term of any one group matches. */
export type SearchQuery = SearchTerm[][];

export function parseSearch(query: string | null | undefined): SearchQuery {
  if (!query) return [[]];
  const groups: SearchQuery = [[]];
  const pattern = /(-)?(?:([a-z_]+):(>=|<=|>|<)?)?("([^"]*)"|'([^']*)'|\S+)/g;
  for (const match of query.matchAll(pattern)) {
    const raw = match[5] ?? match[6] ?? match[4];
    if (!match[2] && !match[4].startsWith('"') && raw === "AND") continue;
    if (!match[2] && !match[4].startsWith('"') && raw === "OR") {
      groups.push([]);
      continue;
    }
    groups[groups.length - 1].push({
      negated: Boolean(match[1]),
      field: match[2] ?? null,
      comparator: (match[3] as SearchTerm["comparator"]) ?? "=",
      value: raw,
    });
  }
  return groups;
}

export type FieldAccessor<T> = (item: T) => string | number | string[] | null | undefined;

/** True when the item satisfies every term; unknown fields match nothing, as an unknown filter would. */
export function matchesSearch<T>(item: T, query: SearchQuery, fields: Record<string, FieldAccessor<T>>, titleOf: (item: T) => string): boolean {
  return query.some((terms) =>
    terms.every((term) => {
      const result = termMatches(item, term, fields, titleOf);
      return term.negated ? !result : result;
    }),
  );
}

function termMatches<T>(item: T, term: SearchTerm, fields: Record<string, FieldAccessor<T>>, titleOf: (item: T) => string) {
  if (term.field === null) return titleOf(item).toLowerCase().includes(term.value.toLowerCase());
  const accessor = fields[term.field];
  if (!accessor) return false;
  const actual = accessor(item);
  if (actual === null || actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some((value) => value.toLowerCase() === term.value.toLowerCase());
  if (term.comparator === "=") {
    if (term.value.endsWith("*")) return String(actual).toLowerCase().startsWith(term.value.slice(0, -1).toLowerCase());
    return String(actual).toLowerCase() === term.value.toLowerCase();
  }
  const left = typeof actual === "number" ? actual : Date.parse(actual);
  const right = typeof actual === "number" ? Number(term.value) : Date.parse(term.value);
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  switch (term.comparator) {
    case ">": return left > right;
    case "<": return left < right;
    case ">=": return left >= right;
    case "<=": return left <= right;
  }
}
