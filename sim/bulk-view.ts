import type { BulkOperation } from "./bulk";
import { gid } from "./ids";

export function bulkOperationView(origin: string, op: BulkOperation) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    type: op.type,
    query: op.query,
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.result === null ? null : String(Buffer.byteLength(op.result)),
    url: op.status === "COMPLETED" && op.result !== null ? `${origin}/_bulk/${op.id}.jsonl` : null,
    partialDataUrl: null,
  };
}
