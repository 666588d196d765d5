import {
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, getNamedType, getNullableType, isCompositeType, isInterfaceType, isLeafType,
  isListType, isObjectType, valueFromASTUntyped,
} from "graphql";

/**
 * Shopify's calculated query cost (https://shopify.dev/docs/api/usage/limits#cost-calculation):
 * scalars and enums 0, objects 1, connections 2 + (first|last) × the cost of one node, lists that
 * take `first` that many times the cost of one element, mutations 10. The requested cost is computed before execution from the query; the actual cost after,
 * from what was returned (fewer nodes, null objects), and the difference is refunded.
 */
export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

type Walk = {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
};

function collectFields(walk: Walk, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, out: Array<{ node: FieldNode; parent: GraphQLCompositeType }> = []) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === "Field") out.push({ node: selection, parent });
    else if (selection.kind === "InlineFragment") {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) collectFields(walk, type, selection.selectionSet, out);
    } else {
      const fragment = walk.fragments[selection.name.value];
      const type = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (fragment && type && isCompositeType(type)) collectFields(walk, type, fragment.selectionSet, out);
    }
  }
  return out;
}

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function argument(walk: Walk, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, walk.variables) : undefined;
}

function isConnection(type: GraphQLCompositeType) {
  return type.name.endsWith("Connection") && isObjectType(type) && "edges" in type.getFields();
}

/** The cost of one node of a connection: 1 for the object plus its selections (edges.node and nodes). */
function connectionNodeCost(walk: Walk, connectionType: GraphQLCompositeType, node: FieldNode, nodeData?: unknown): number {
  let cost = 1;
  for (const { node: child } of collectFields(walk, connectionType, node.selectionSet!)) {
    const name = child.name.value;
    const childKey = child.alias?.value ?? name;
    if (name === "nodes") {
      const nodeType = getNamedType(fieldDefinition(connectionType, "nodes")!.type) as GraphQLCompositeType;
      cost += selectionCost(walk, nodeType, child.selectionSet!, nodeData === undefined ? undefined : (nodeData as Record<string, unknown>));
    } else if (name === "edges") {
      const edgeType = getNamedType(fieldDefinition(connectionType, "edges")!.type) as GraphQLCompositeType;
      for (const { node: edgeChild } of collectFields(walk, edgeType, child.selectionSet!)) {
        if (edgeChild.name.value !== "node") continue;
        const nodeType = getNamedType(fieldDefinition(edgeType, "node")!.type) as GraphQLCompositeType;
        const edgeNodeKey = edgeChild.alias?.value ?? "node";
        const data = nodeData === undefined ? undefined : ((nodeData as Record<string, Record<string, unknown>>)[`__edge_${childKey}`]?.[edgeNodeKey] as Record<string, unknown>);
        cost += selectionCost(walk, nodeType, edgeChild.selectionSet!, data);
      }
    }
  }
  return cost;
}

/** Cost of a selection set; with `data`, the actual cost of what was returned for it. */
export function selectionCost(walk: Walk, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, data?: Record<string, unknown> | null): number {
  let total = 0;
  for (const { node, parent: owner } of collectFields(walk, parent, selectionSet)) {
    const definition = fieldDefinition(owner, node.name.value);
    if (!definition) continue;
    const type = getNamedType(definition.type);
    if (isLeafType(type) || !node.selectionSet) continue;
    const key = node.alias?.value ?? node.name.value;
    const value = data === undefined ? undefined : data?.[key];
    const composite = type as GraphQLCompositeType;

    if (isConnection(composite)) {
      if (data !== undefined) {
        if (!value) continue;
        const connection = value as { edges?: Array<Record<string, unknown>>; nodes?: Array<Record<string, unknown>> };
        const edgeKey = node.selectionSet.selections.find((s) => s.kind === "Field" && s.name.value === "edges");
        const edges = connection.edges ?? [];
        const nodes = connection.nodes ?? [];
        const count = Math.max(edges.length, nodes.length);
        let cost = CONNECTION_BASE_COST;
        for (let i = 0; i < count; i++) {
          const nodeData: Record<string, unknown> = { ...(nodes[i] ?? {}) };
          if (edgeKey && edgeKey.kind === "Field") nodeData[`__edge_${edgeKey.alias?.value ?? "edges"}`] = edges[i] ?? {};
          cost += connectionNodeCost(walk, composite, node, nodeData);
        }
        total += cost;
      } else {
        const size = Number(argument(walk, node, "first") ?? argument(walk, node, "last") ?? 0);
        total += CONNECTION_BASE_COST + size * connectionNodeCost(walk, composite, node);
      }
      continue;
    }

    // nodes(ids:) costs each id; a plain list that takes `first` (an order's refunds(first:)) is
    // sized like a connection: by what it may hold, not by one element.
    const listSize = isListType(getNullableType(definition.type)) ? Number(argument(walk, node, "first") ?? 1) : 1;
    const multiplier = node.name.value === "nodes" && owner.name === "QueryRoot" ? ((argument(walk, node, "ids") as unknown[] | undefined)?.length ?? 0) : listSize;
    if (data !== undefined) {
      if (value === null || value === undefined) {
        total += 1;
      } else if (Array.isArray(value)) {
        total += value.reduce((sum: number, item) => sum + (item === null ? 1 : 1 + selectionCost(walk, composite, node.selectionSet!, item as Record<string, unknown>)), 0) || 1;
      } else {
        total += 1 + selectionCost(walk, composite, node.selectionSet, value as Record<string, unknown>);
      }
    } else {
      total += multiplier * (1 + selectionCost(walk, composite, node.selectionSet));
    }
  }
  return total;
}

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  const walk: Walk = { schema, variables, fragments };
  if (operation.operation === "mutation") {
    return operation.selectionSet.selections.filter((s) => s.kind === "Field" && s.name.value !== "__typename").length * MUTATION_COST;
  }
  return selectionCost(walk, schema.getQueryType()!, operation.selectionSet, data);
}
