import crypto from "node:crypto";
import {
  type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, execute, GraphQLError, Kind, parse, print, validate,
} from "graphql";
import { withUnlimitedPages } from "./graphql/connection";
import { buildAdminSchema, type SimulatedApiVersion } from "./schema/admin-schema";
import { mutationResolvers, queryResolvers } from "./graphql/root";
import type { AdminApiChaos } from "./graphql/handler";
import type { Context } from "./graphql/views";
import { gid } from "./ids";
import type { SimStore } from "./store";
import { SimUserError, type SimWorld } from "./world";

export type BulkOperation = {
  id: number;
  shop: string;
  type: "QUERY" | "MUTATION";
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  query: string;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  result: string | null;
};

export { bulkOperationView } from "./bulk-view";

/** Rows of the top-level connection read per step: bounds memory and lets other requests interleave. */
const ROWS_PER_STEP = 250;

/**
 * Bulk operations (https://shopify.dev/docs/api/usage/bulk-operations): a query's whole result as
 * JSONL, nested connections flattened into their own lines with `__parentId`; a mutation run once
 * per line of an uploaded JSONL file. Neither draws on the rate-limit bucket. Five operations of
 * any type at a time per store (2026-01+). Ungrouped query output (groupObjects false, the default
 * from 2026-01) puts each object's children before it: Shopify then promises no order, and this is
 * the order that breaks readers assuming one.
 * Completion fires bulk_operations/finish.
 */
export class BulkOperations {
  readonly operations = new Map<number, BulkOperation>();
  readonly uploads = new Map<string, string>();

  constructor(
    private readonly world: SimWorld,
    private readonly chaos: () => Pick<AdminApiChaos, "bulkMutationLineMs" | "bulkPaused" | "searchIndexLagMs" | "bulkQueueMs"> = () => ({ bulkMutationLineMs: 0, bulkPaused: false, searchIndexLagMs: 0, bulkQueueMs: 0 }),
  ) {}

  /** Holds an operation queued while the chaos setting pauses bulk work (everywhere, or in its shop). */
  private async queued(shop: string) {
    // Read again while waiting, so lowering the setting lets a queued operation go.
    const since = performance.now();
    while (performance.now() - since < this.chaos().bulkQueueMs) await new Promise((resolve) => setTimeout(resolve, 5));
    const paused = () => {
      const setting = this.chaos().bulkPaused;
      return Array.isArray(setting) ? setting.includes(shop) : setting;
    };
    while (paused()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** How many bulk operations of each type a store has run, and the mutation lines they ran (control API stats). */
  countsFor(shop: string): Record<"QUERY" | "MUTATION" | "mutationLines", number> {
    const counts = { QUERY: 0, MUTATION: 0, mutationLines: 0 };
    for (const op of this.operations.values()) {
      if (op.shop !== shop) continue;
      counts[op.type]++;
      if (op.type === "MUTATION") counts.mutationLines += op.objectCount;
    }
    return counts;
  }

  current(store: SimStore, type: "QUERY" | "MUTATION"): BulkOperation | null {
    let latest: BulkOperation | null = null;
    for (const op of this.operations.values()) if (op.shop === store.domain && op.type === type) latest = op;
    return latest;
  }

  /**
   * This app's operations in a store, oldest first, filtered by bulkOperations(query:) terms:
   * `status:<status>` and `operation_type:<query|mutation>` (OR between terms of one field, AND
   * between fields), `created_at:>=<time>` (also >, <=, <), `id:<n>`.
   */
  search(store: SimStore, query: string | undefined): BulkOperation[] {
    const filters: Array<(op: BulkOperation) => boolean> = [];
    const byField = new Map<string, string[]>();
    for (const term of (query ?? "").split(/\s+/).filter((t) => t && t.toUpperCase() !== "OR")) {
      const match = /^(status|operation_type|created_at|id):(.+)$/.exec(term);
      if (!match) throw new GraphQLError(`Invalid search term: ${term}`, { extensions: { code: "BAD_REQUEST" } });
      byField.set(match[1], [...(byField.get(match[1]) ?? []), match[2].replace(/^'(.*)'$/, "$1")]);
    }
    for (const [field, values] of byField) {
      if (field === "status") filters.push((op) => values.some((v) => v.toUpperCase() === op.status));
      else if (field === "operation_type") filters.push((op) => values.some((v) => v.toUpperCase() === op.type));
      else if (field === "id") filters.push((op) => values.some((v) => String(op.id) === v.replace(/^gid:\/\/shopify\/BulkOperation\//, "")));
      else for (const value of values) {
        const [, comparator = "", time] = /^(>=|<=|>|<)?'?(.+?)'?$/.exec(value)!;
        const at = Date.parse(time);
        filters.push((op) => {
          const created = Date.parse(op.createdAt);
          return comparator === ">=" ? created >= at : comparator === ">" ? created > at : comparator === "<=" ? created <= at : comparator === "<" ? created < at : created === at;
        });
      }
    }
    return [...this.operations.values()].filter((op) => op.shop === store.domain && filters.every((keep) => keep(op)));
  }

  /**
   * At most five of this app's operations, of any type, run at once per store (2026-01+,
   * https://shopify.dev/changelog/faster-bulk-operations); the sixth is refused with LIMIT_REACHED
   * (BulkOperationUserErrorCode: "Bulk operations limit reached. Please try again later.").
   */
  private assertRoomFor(store: SimStore) {
    const running = [...this.operations.values()].filter((op) => op.shop === store.domain && isRunning(op));
    if (running.length >= CONCURRENT_OPERATIONS) throw new SimUserError("LIMIT_REACHED", null, "Bulk operations limit reached. Please try again later.");
  }

  private create(store: SimStore, type: "QUERY" | "MUTATION", query: string): BulkOperation {
    const op: BulkOperation = {
      id: this.world.id(), shop: store.domain, type, status: "CREATED", query, errorCode: null,
      createdAt: this.world.timestamp(), completedAt: null, objectCount: 0, rootObjectCount: 0, result: null,
    };
    this.operations.set(op.id, op);
    return op;
  }

  runQuery(store: SimStore, query: string, origin: string, { apiVersion, groupObjects = false }: { apiVersion: SimulatedApiVersion; groupObjects?: boolean }): BulkOperation {
    this.assertRoomFor(store);
    const schema = buildAdminSchema(apiVersion);
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      throw new SimUserError("INVALID", ["query"], `Invalid bulk query: ${(error as Error).message}`);
    }
    const errors = validate(schema, document);
    if (errors.length > 0) throw new SimUserError("INVALID", ["query"], `Invalid bulk query: ${errors[0].message}`);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const roots = operation?.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD) ?? [];
    if (!operation || operation.operation !== "query" || roots.length !== 1) {
      throw new SimUserError("INVALID", ["query"], "Bulk queries must contain exactly one top-level connection field.");
    }
    const op = this.create(store, "QUERY", query);
    void this.runQueryInSteps(store, op, { schema, apiVersion, operation, root: roots[0], origin, groupObjects });
    return op;
  }

  private async runQueryInSteps(store: SimStore, op: BulkOperation, { schema, apiVersion, operation, root, origin, groupObjects }: {
    schema: GraphQLSchema; apiVersion: SimulatedApiVersion; operation: OperationDefinitionNode; root: FieldNode; origin: string; groupObjects: boolean;
  }) {
    await this.queued(store.domain);
    op.status = "RUNNING";
    const lines: string[] = [];
    let after: string | null = null;
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const paged = pageOfRoot(operation, root, after);
        const result = withUnlimitedPages(() =>
          execute({ schema, document: paged, contextValue: { world: this.world, store, origin, apiVersion, searchIndexLagMs: this.chaos().searchIndexLagMs } satisfies Context, rootValue: queryResolvers }),
        ) as { data?: Record<string, { edges?: Array<{ node: unknown }>; nodes?: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>; errors?: unknown[] };
        if (result.errors?.length) throw new Error(String((result.errors[0] as Error).message));
        const page = result.data![root.alias?.value ?? root.name.value];
        const nodes = page.nodes ?? (page.edges ?? []).map((edge) => edge.node);
        for (const node of nodes) {
          op.rootObjectCount++;
          const objectLines: string[] = [];
          flatten(node as Record<string, unknown>, null, objectLines, op);
          lines.push(...(groupObjects ? objectLines : objectLines.reverse()));
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      op.result = lines.length ? `${lines.join("\n")}\n` : "";
      op.status = "COMPLETED";
    } catch {
      op.status = "FAILED";
      op.errorCode = "INTERNAL_SERVER_ERROR";
    }
    this.finish(store, op);
  }

  stageUpload(): { url: string; key: string } {
    const key = `tmp/${crypto.randomUUID()}/bulk/${crypto.randomUUID()}/bulk_op_vars`;
    return { url: "/_staged/upload", key };
  }

  runMutation(store: SimStore, mutation: string, stagedUploadPath: string, origin: string, apiVersion: SimulatedApiVersion): BulkOperation {
    this.assertRoomFor(store);
    const schema = buildAdminSchema(apiVersion);
    const upload = this.uploads.get(stagedUploadPath);
    if (upload === undefined) throw new SimUserError("NO_SUCH_FILE", ["stagedUploadPath"], "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.");
    let document: DocumentNode;
    try {
      document = parse(mutation);
    } catch (error) {
      throw new SimUserError("INVALID_MUTATION", ["mutation"], `Invalid mutation: ${(error as Error).message}`);
    }
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!operation || operation.operation !== "mutation" || validate(schema, document).length > 0) {
      throw new SimUserError("INVALID_MUTATION", ["mutation"], "Invalid mutation: it must be one valid mutation operation.");
    }
    const op = this.create(store, "MUTATION", mutation);
    void this.runMutationLines(store, op, { schema, apiVersion, document, upload, origin });
    return op;
  }

  private async runMutationLines(store: SimStore, op: BulkOperation, { schema, apiVersion, document, upload, origin }: {
    schema: GraphQLSchema; apiVersion: SimulatedApiVersion; document: DocumentNode; upload: string; origin: string;
  }) {
    await this.queued(store.domain);
    op.status = "RUNNING";
    const results: string[] = [];
    const lines = upload.split("\n").filter((line) => line.trim() !== "");
    for (const [lineNumber, line] of lines.entries()) {
      const lineMs = this.chaos().bulkMutationLineMs;
      if (lineMs > 0) await new Promise((resolve) => setTimeout(resolve, lineMs));
      else if (lineNumber % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      let variables: Record<string, unknown>;
      try {
        variables = JSON.parse(line);
      } catch {
        results.push(JSON.stringify({ errors: [{ message: "Invalid JSON on this line" }], __lineNumber: lineNumber }));
        continue;
      }
      const result = (await execute({ schema, document, variableValues: variables, contextValue: { world: this.world, store, origin, apiVersion } satisfies Context, rootValue: mutationResolvers })) as { data?: unknown; errors?: Array<{ message: string }> };
      op.objectCount++;
      results.push(JSON.stringify({ ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message })) } : {}), data: result.data ?? null, __lineNumber: lineNumber }));
    }
    op.rootObjectCount = op.objectCount;
    op.result = results.length ? `${results.join("\n")}\n` : "";
    op.status = "COMPLETED";
    this.finish(store, op);
  }

  private finish(store: SimStore, op: BulkOperation) {
    op.completedAt = this.world.timestamp();
    this.world.emit(store, "bulk_operations/finish", {
      admin_graphql_api_id: gid("BulkOperation", op.id),
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: op.errorCode?.toLowerCase() ?? null,
      status: op.status.toLowerCase(),
      type: op.type.toLowerCase(),
    });
  }
}

/** Bulk operations an app may run at once per store, of any type (2026-01+). */
const CONCURRENT_OPERATIONS = 5;

function isRunning(op: BulkOperation): boolean {
  return op.status === "CREATED" || op.status === "RUNNING";
}

/** The query with the top-level connection limited to one page after the cursor. */
function pageOfRoot(operation: OperationDefinitionNode, root: FieldNode, after: string | null): DocumentNode {
  const args = (root.arguments ?? []).filter((arg) => !["first", "last", "after", "before"].includes(arg.name.value));
  const rootPage: FieldNode = {
    ...root,
    arguments: [
      ...args,
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "first" }, value: { kind: Kind.INT, value: String(ROWS_PER_STEP) } },
      ...(after ? [{ kind: Kind.ARGUMENT as const, name: { kind: Kind.NAME as const, value: "after" }, value: { kind: Kind.STRING as const, value: after } }] : []),
    ],
    selectionSet: {
      ...root.selectionSet!,
      selections: [
        ...root.selectionSet!.selections,
        ...(parse("{ pageInfo { hasNextPage endCursor } }").definitions[0] as OperationDefinitionNode).selectionSet.selections,
      ],
    },
  };
  return parse(print({ kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: { ...operation.selectionSet, selections: [rootPage] } }] }));
}

function isConnection(value: unknown): value is { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Array<Record<string, unknown>> } {
  return Boolean(value && typeof value === "object" && !Array.isArray(value) && (Array.isArray((value as { edges?: unknown }).edges) || Array.isArray((value as { nodes?: unknown }).nodes)));
}

/**
 * One JSONL line per node; nested connections become their own lines pointing at the node that
 * holds them, including connections inside plain objects (a variant's inventoryItem.inventoryLevels
 * point at the variant).
 */
function flatten(node: Record<string, unknown>, parentId: string | null, lines: string[], op: BulkOperation) {
  const children: Array<Record<string, unknown>> = [];
  const line = withoutConnections(node, children) as Record<string, unknown>;
  if (parentId) line.__parentId = parentId;
  lines.push(JSON.stringify(line));
  op.objectCount++;
  for (const child of children) flatten(child, String(node.id), lines, op);
}

function withoutConnections(value: Record<string, unknown>, children: Array<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "pageInfo") continue;
    if (isConnection(item)) children.push(...(item.nodes ?? (item.edges ?? []).map((edge) => edge.node)));
    else if (item && typeof item === "object" && !Array.isArray(item)) copy[key] = withoutConnections(item as Record<string, unknown>, children);
    else copy[key] = item;
  }
  return copy;
}
