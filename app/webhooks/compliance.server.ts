import { logger } from "../logger.server";

/**
 * Mandatory compliance topics. Tandem keeps no customer records (orders are read, never stored),
 * so customers/data_request and customers/redact have nothing to return or erase; shop/redact
 * erasure of store data arrives with the store network (issue 5).
 */
export async function handleComplianceWebhook({ shop, topic }: { shop: string; topic: string; payload: unknown }) {
  logger.info({ shop, topic }, "compliance webhook received");
}
