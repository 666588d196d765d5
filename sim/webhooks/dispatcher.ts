import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { parse as parseToml } from "smol-toml";
import type { AppRegistration } from "../admin-frame";
import type { StoreEvent, WebhookTopic } from "../world";
import { buildPayload } from "./payloads";

/** webhookTailRate: a share of deliveries (0–1) later by webhookTailMs, the tail of Shopify's delivery times. */
export type WebhookChaos = { duplicateRate: number; reorderWindowMs: number; delayMs: number; dropRate: number; webhookTailRate: number; webhookTailMs: number };

export type WebhookSubscription = { topic: string; uri: string };

export type DeliveryRecord = {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  attempts: number;
  status: "pending" | "delivered" | "failed" | "dropped";
  lastStatusCode: number | null;
  duplicate: boolean;
  /** What the event is about: its body's admin_graphql_api_id (an order, a refund, a product…), or null. */
  subject: string | null;
  /** When the event happened, and when its first delivery attempt left (epoch ms): Shopify's own delay. */
  triggeredAtMs: number;
  firstAttemptAtMs: number | null;
};

export type WebhookStats = {
  events: number; deliveries: number; delivered: number; duplicated: number; dropped: number; retried: number; failed: number;
  /** How long the app took to answer delivered webhooks, from the request to its response: summed, and the slowest. */
  answerMsTotal: number; answerMsMax: number;
  /** How long due deliveries waited for a place in flight: summed (over delivery attempts), and the longest. */
  queuedMsTotal: number; queuedMsMax: number;
};

/** Shopify retries a failed delivery 8 times over 4 hours; the simulator keeps the shape on a compressible clock. */
const RETRY_DELAYS_S = [1, 2, 4, 8, 16, 32, 64, 128];
const RESPONSE_TIMEOUT_MS = 5000;
/**
 * Deliveries in flight to the app at once; the rest wait their turn, in the order they became due.
 * Shopify does not publish its figure, but it does not open one connection per event: without a
 * bound, a bulk write of 50 products here fired some 350 requests at once, and the simulator spent
 * a tenth of its CPU opening connections the app then served in a crowd (commit 220b48d).
 */
const MAX_DELIVERIES_IN_FLIGHT = 32;

/**
 * What the simulator needs from the app's shopify.app.toml: the webhook subscriptions
 * ([[webhooks.subscriptions]] with topics / compliance_topics and uri), their API version, and the
 * access scopes granted when the app is installed.
 */
export function readAppToml(tomlPath: string): { apiVersion: string; subscriptions: WebhookSubscription[]; scopes: string[] } {
  const config = parseToml(fs.readFileSync(tomlPath, "utf8")) as {
    access_scopes?: { scopes?: string };
    webhooks?: { api_version?: string; subscriptions?: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }> };
  };
  const subscriptions = (config.webhooks?.subscriptions ?? []).flatMap((entry) =>
    [...(entry.topics ?? []), ...(entry.compliance_topics ?? [])].map((topic) => ({ topic, uri: entry.uri })),
  );
  const scopes = (config.access_scopes?.scopes ?? "").split(",").map((scope) => scope.trim()).filter(Boolean);
  const apiVersion = config.webhooks?.api_version;
  if (!apiVersion) throw new Error(`${tomlPath}: [webhooks] api_version is required`);
  return { apiVersion, subscriptions, scopes };
}

export function signWebhook(body: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/**
 * One POST and its status code, over a pool of kept-alive connections (as many as deliveries in
 * flight). Plain node:http rather than fetch: fetch's streams cost the simulator several times
 * more CPU per request, and during a Sync all it sends thousands of webhooks a second to an app
 * on the same cores (commit 4c3875c).
 */
function postWebhook(agents: { http: http.Agent; https: https.Agent }, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(url, { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, agent: secure ? agents.https : agents.http }, (response) => {
      response.on("error", fail);
      response.on("end", () => {
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
      });
      response.resume();
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${RESPONSE_TIMEOUT_MS} ms`)), RESPONSE_TIMEOUT_MS);
    function fail(error: Error) {
      clearTimeout(deadline);
      reject(error);
    }
    request.on("error", fail);
    request.end(body);
  });
}

export class WebhookDispatcher {
  readonly log: DeliveryRecord[] = [];
  readonly stats: WebhookStats = { events: 0, deliveries: 0, delivered: 0, duplicated: 0, dropped: 0, retried: 0, failed: 0, answerMsTotal: 0, answerMsMax: 0, queuedMsTotal: 0, queuedMsMax: 0 };
  private pending = 0;
  private inFlight = 0;
  /** Deliveries due, waiting for a place in flight (a queue read from `dueHead`). */
  private due: Array<{ run: () => Promise<void>; dueAt: number }> = [];
  private dueHead = 0;
  private idleWaiters: Array<() => void> = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: MAX_DELIVERIES_IN_FLIGHT }),
    https: new https.Agent({ keepAlive: true, maxSockets: MAX_DELIVERIES_IN_FLIGHT }),
  };

  constructor(
    private readonly options: {
      app: AppRegistration;
      apiVersion: string;
      subscriptions: () => WebhookSubscription[];
      chaos: () => WebhookChaos;
      random: () => number;
      /** Multiplies every retry delay: 1 is Shopify's pace (seconds), 0.001 turns seconds into milliseconds. */
      timeScale: number;
    },
  ) {}

  /** Called for every store event: one delivery per matching subscription, with the chaos configured. */
  enqueue(event: StoreEvent) {
    if (this.closed || !event.store.installation) return;
    const targets = this.options.subscriptions().filter((s) => s.topic === event.topic);
    if (targets.length === 0) return;
    const payload = buildPayload(event, this.options.apiVersion);
    if (!payload) return;
    this.stats.events++;
    const body = JSON.stringify(payload);
    const signed = { body, hmac: signWebhook(body, this.options.app.apiSecret) };
    const eventId = crypto.randomUUID();
    const triggeredAtMs = Date.now();
    const triggeredAt = new Date(triggeredAtMs).toISOString();
    for (const target of targets) {
      const chaos = this.options.chaos();
      const record: DeliveryRecord = {
        webhookId: crypto.randomUUID(), eventId, topic: event.topic, shop: event.store.domain,
        attempts: 0, status: "pending", lastStatusCode: null, duplicate: false,
        subject: typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : null,
        triggeredAtMs, firstAttemptAtMs: null,
      };
      this.log.push(record);
      this.stats.deliveries++;
      if (chaos.dropRate > 0 && this.options.random() < chaos.dropRate) {
        record.status = "dropped";
        this.stats.dropped++;
        continue;
      }
      const delay = () => chaos.delayMs + (chaos.reorderWindowMs > 0 ? this.options.random() * chaos.reorderWindowMs : 0)
        + (chaos.webhookTailRate > 0 && this.options.random() < chaos.webhookTailRate ? chaos.webhookTailMs : 0);
      this.schedule(delay(), () => this.attempt(record, target, signed, triggeredAt));
      if (chaos.duplicateRate > 0 && this.options.random() < chaos.duplicateRate) {
        // A duplicate is another delivery of the same event: same X-Shopify-Event-Id, its own
        // X-Shopify-Webhook-Id (https://shopify.dev/apps/build/webhooks/ignore-duplicates).
        const copy: DeliveryRecord = { ...record, webhookId: crypto.randomUUID(), duplicate: true };
        this.log.push(copy);
        this.stats.duplicated++;
        this.schedule(delay(), () => this.attempt(copy, target, signed, triggeredAt));
      }
    }
  }

  private schedule(delayMs: number, run: () => Promise<void>) {
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.due.push({ run, dueAt: performance.now() });
      this.sendDue();
    }, delayMs);
    this.timers.add(timer);
  }

  private sendDue() {
    while (!this.closed && this.inFlight < MAX_DELIVERIES_IN_FLIGHT && this.dueHead < this.due.length) {
      const { run, dueAt } = this.due[this.dueHead++];
      const queuedMs = performance.now() - dueAt;
      this.stats.queuedMsTotal += queuedMs;
      this.stats.queuedMsMax = Math.max(this.stats.queuedMsMax, queuedMs);
      if (this.dueHead >= 1024 || this.dueHead === this.due.length) {
        this.due = this.due.slice(this.dueHead);
        this.dueHead = 0;
      }
      this.inFlight++;
      void run().finally(() => {
        this.inFlight--;
        this.pending--;
        if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        this.sendDue();
      });
    }
  }

  private async attempt(record: DeliveryRecord, target: WebhookSubscription, signed: { body: string; hmac: string }, triggeredAt: string) {
    if (this.closed) return;
    record.attempts++;
    record.firstAttemptAtMs ??= Date.now();
    let ok = false;
    const sentAt = performance.now();
    try {
      const status = await postWebhook(this.agents, new URL(target.uri, this.options.app.appUrl), {
        "Content-Type": "application/json",
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": record.topic,
        "X-Shopify-Hmac-Sha256": signed.hmac,
        "X-Shopify-Shop-Domain": record.shop,
        "X-Shopify-API-Version": this.options.apiVersion,
        "X-Shopify-Webhook-Id": record.webhookId,
        "X-Shopify-Event-Id": record.eventId,
        "X-Shopify-Triggered-At": triggeredAt,
      }, signed.body);
      record.lastStatusCode = status;
      ok = status >= 200 && status < 300;
    } catch {
      record.lastStatusCode = null;
    }
    if (ok) {
      record.status = "delivered";
      this.stats.delivered++;
      const answerMs = performance.now() - sentAt;
      this.stats.answerMsTotal += answerMs;
      this.stats.answerMsMax = Math.max(this.stats.answerMsMax, answerMs);
      return;
    }
    const retryDelay = RETRY_DELAYS_S[record.attempts - 1];
    if (retryDelay === undefined) {
      record.status = "failed";
      this.stats.failed++;
      return;
    }
    this.stats.retried++;
    this.schedule(retryDelay * 1000 * this.options.timeScale, () => this.attempt(record, target, signed, triggeredAt));
  }

  /** Resolves when no delivery is waiting or in flight (retries included). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close() {
    this.closed = true;
    this.agents.http.destroy();
    this.agents.https.destroy();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.due = [];
    this.dueHead = 0;
    this.pending = 0;
    this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

export type { WebhookTopic };
