import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from "graphql";

/** How long Shopify remembers an idempotency key (per store), after which it counts as new. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

type Json = Record<string, unknown>;
type Remembered = { parameters: string; payload: Json; failed: boolean; at: number };

/**
 * The @idempotent(key:) directive of API 2026-01+ (https://shopify.dev/docs/api/usage/implementing-idempotency):
 * a key seen again with the same parameters returns the first result without running the mutation
 * again; with other parameters it is refused; after a failed attempt the key cannot be reused.
 * Keys are per store and expire after 24 hours.
 */
export class IdempotencyKeys {
  private readonly keys = new Map<string, Remembered>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Runs `mutate` once per key; `parameters` are the mutation's arguments as received. */
  run(shop: string, key: string, parameters: Json, mutate: () => Json): Json {
    const now = this.clock();
    const id = `${shop}\n${key}`;
    const fingerprint = JSON.stringify(parameters);
    const seen = this.keys.get(id);
    if (seen && now - seen.at < IDEMPOTENCY_WINDOW_MS) {
      if (seen.parameters !== fingerprint) {
        return userError("IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "The same idempotency key cannot be used with different operation parameters.");
      }
      if (seen.failed) return userError("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED", "A previous request with this idempotency key failed. Retry with a new idempotency key.");
      return seen.payload;
    }
    const payload = mutate();
    const failed = Array.isArray(payload.userErrors) && payload.userErrors.length > 0;
    this.keys.delete(id); // re-inserted at the end: the map stays in time order for prune
    this.keys.set(id, { parameters: fingerprint, payload, failed, at: now });
    this.prune(now);
    return payload;
  }

  get size(): number {
    return this.keys.size;
  }

  clear() {
    this.keys.clear();
  }

  private prune(now: number) {
    // Insertion order is time order: drop expired keys from the front.
    for (const [id, remembered] of this.keys) {
      if (now - remembered.at < IDEMPOTENCY_WINDOW_MS) break;
      this.keys.delete(id);
    }
  }
}

/** The key of the field's @idempotent directive, or a BAD_REQUEST error as Shopify gives when it is required and missing. */
export function requiredIdempotencyKey(info: GraphQLResolveInfo): string {
  const directive = info.schema.getDirective("idempotent");
  const values = directive ? getDirectiveValues(directive, info.fieldNodes[0], info.variableValues) : undefined;
  const key = values?.key;
  if (typeof key !== "string" || key.trim() === "") {
    throw new GraphQLError("The @idempotent directive is required for this mutation but was not provided.", { extensions: { code: "BAD_REQUEST" } });
  }
  return key;
}

/** The key of the field's @idempotent directive, or null when the request gives none (optional at 2026-01). */
export function optionalIdempotencyKey(info: GraphQLResolveInfo): string | null {
  const directive = info.schema.getDirective("idempotent");
  const values = directive ? getDirectiveValues(directive, info.fieldNodes[0], info.variableValues) : undefined;
  return typeof values?.key === "string" && values.key.trim() !== "" ? values.key : null;
}

function userError(code: string, message: string): Json {
  return { userErrors: [{ code, field: null, message }] };
}
