/** Shopify global IDs: gid://shopify/{Type}/{number}. The simulator numbers every object from one counter. */
export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

export function parseGid(value: unknown, type?: string): number | null {
  if (typeof value !== "string") return null;
  const match = value.match(/^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/);
  if (!match || (type && match[1] !== type)) return null;
  return Number(match[2]);
}

export function gidType(value: string): string | null {
  return value.match(/^gid:\/\/shopify\/([A-Za-z]+)\/\d+/)?.[1] ?? null;
}
