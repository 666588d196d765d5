import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;

beforeAll(async () => {
  env = await simulatorWithStore({ shop: "bulk.myshopify.com" });
  await env.sim.control.seed(env.shop, { products: 600, variantsPerProduct: 2, seed: 3 });
});
afterAll(() => env.sim.close());

async function waitForCompletion(id: string) {
  for (let i = 0; i < 500; i++) {
    const { body } = await env.graphql(`query Op($id: ID!) { node(id: $id) { ... on BulkOperation { id status url objectCount rootObjectCount errorCode } } }`, { id });
    const op = body.data!.node;
    if (op.status === "COMPLETED" || op.status === "FAILED") return op;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("bulk operation did not finish");
}

describe("bulk query", () => {
  test("produces JSONL with nested connections flattened by __parentId, without drawing on the bucket", async () => {
    const before = (await env.sim.control.stats(env.shop)).throttleStatus.currentlyAvailable;
    const { body } = await env.graphql(`mutation Run($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { id status } userErrors { code field message } } }`, {
      query: `{ products(query: "tag:seed") { edges { node { id handle variants { edges { node { id sku inventoryItem { id } } } } } } } }`,
    });
    expect(body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(body.extensions!.cost.requestedQueryCost).toBe(10);

    const op = await waitForCompletion(body.data!.bulkOperationRunQuery.bulkOperation.id);
    expect(op).toMatchObject({ status: "COMPLETED", rootObjectCount: "600", objectCount: "1800" });
    const lines = (await fetch(op.url).then((r) => r.text())).trim().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1800);
    expect(lines[0]).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/Product\//), handle: "seed-00001" });
    expect(lines[1]).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/ProductVariant\//), sku: "TND-00001-1", inventoryItem: { id: expect.any(String) }, __parentId: lines[0].id });
    const after = (await env.sim.control.stats(env.shop)).throttleStatus.currentlyAvailable;
    expect(before - after).toBeLessThanOrEqual(40);
  });

  test("an operation waits in Shopify's queue (CREATED) for the time set, then runs", async () => {
    await env.sim.control.setChaos({ bulkQueueMs: 60_000 });
    const { body } = await env.graphql(`mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { bulkOperation { id status } userErrors { code message } } }`);
    const id = body.data!.bulkOperationRunQuery.bulkOperation.id;
    try {
      const queued = await env.graphql(`query Q($id: ID!) { node(id: $id) { ... on BulkOperation { status } } }`, { id });
      expect(queued.body.data!.node.status).toBe("CREATED");
    } finally {
      await env.sim.control.setChaos({ bulkQueueMs: 0 });
    }
    await waitForCompletion(id);
  });

  test("five run at once; a sixth is refused with LIMIT_REACHED until one ends; bulkOperations lists them newest first", async () => {
    const start = () => env.graphql(`mutation { bulkOperationRunQuery(query: "{ products { edges { node { id variants { edges { node { id } } } } } } }") { bulkOperation { id } userErrors { code message } } }`);
    await env.sim.control.setChaos({ bulkPaused: true });
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { body } = await start();
      expect(body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
      started.push(body.data!.bulkOperationRunQuery.bulkOperation.id);
    }
    const sixth = await start();
    expect(sixth.body.data!.bulkOperationRunQuery.userErrors).toEqual([{ code: "LIMIT_REACHED", message: "Bulk operations limit reached. Please try again later." }]);
    const running = await env.graphql(`{ bulkOperations(first: 10, query: "status:created OR status:running") { nodes { id type } } }`);
    expect(running.body.data!.bulkOperations.nodes.map((op: { id: string }) => op.id)).toEqual([...started].reverse());
    await env.sim.control.setChaos({ bulkPaused: false });
    await waitForCompletion(started[0]);
    const seventh = await start();
    expect(seventh.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    for (const id of [...started, seventh.body.data!.bulkOperationRunQuery.bulkOperation.id]) await waitForCompletion(id);
  });

  test("rejects a query with more than one top-level field", async () => {
    const { body } = await env.graphql(`mutation { bulkOperationRunQuery(query: "{ shop { name } products { edges { node { id } } } }") { userErrors { code message } } }`);
    expect(body.data!.bulkOperationRunQuery.userErrors).toEqual([{ code: "INVALID", message: "Bulk queries must contain exactly one top-level connection field." }]);
  });
});

describe("bulk mutation", () => {
  test("runs the mutation once per uploaded JSONL line and reports each result", async () => {
    const staged = await env.graphql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } userErrors { message } } }`);
    const target = staged.body.data!.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const parameter of target.parameters) form.append(parameter.name, parameter.value);
    const jsonl = [1, 2, 3].map((n) => JSON.stringify({ input: { title: `Bulk ${n}`, productOptions: [{ name: "Size", values: [{ name: "One" }] }], variants: [{ optionValues: [{ optionName: "Size", name: "One" }], sku: `BULK-${n}`, price: "9.00" }] } })).join("\n");
    form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "vars.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form });
    expect(upload.status).toBe(201);
    const key = target.parameters.find((p: { name: string }) => p.name === "key").value;

    const run = await env.graphql(`mutation Run($mutation: String!, $path: String!) { bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id } userErrors { code message } } }`, {
      mutation: `mutation Set($input: ProductSetInput!) { productSet(input: $input) { product { id title } userErrors { message } } }`,
      path: key,
    });
    expect(run.body.data!.bulkOperationRunMutation.userErrors).toEqual([]);
    const op = await waitForCompletion(run.body.data!.bulkOperationRunMutation.bulkOperation.id);
    const results = (await fetch(op.url).then((r) => r.text())).trim().split("\n").map((line) => JSON.parse(line));
    expect(results.map((r) => [r.__lineNumber, r.data.productSet.product.title])).toEqual([[0, "Bulk 1"], [1, "Bulk 2"], [2, "Bulk 3"]]);
    const snapshot = await env.sim.control.snapshot(env.shop);
    expect(snapshot.products.filter((p) => p.title.startsWith("Bulk ")).map((p) => p.variants[0].sku)).toEqual(["BULK-1", "BULK-2", "BULK-3"]);
    // Counted for benchmarks, which turn lines into Shopify's processing time.
    expect((await env.sim.control.stats(env.shop)).bulkOperations).toMatchObject({ MUTATION: 1, mutationLines: 3 });
  });

  test("refuses an unknown staged upload path", async () => {
    const run = await env.graphql(`mutation { bulkOperationRunMutation(mutation: "mutation { productDelete(input: {id: \\"gid://shopify/Product/1\\"}) { deletedProductId } }", stagedUploadPath: "tmp/nope") { userErrors { code } } }`);
    expect(run.body.data!.bulkOperationRunMutation.userErrors).toEqual([{ code: "NO_SUCH_FILE" }]);
  });
});
