import { gid } from "./ids";

export type ShopPlanName = "standard" | "advanced" | "plus";

/** Shopify's GraphQL Admin rate limits by plan: restore rate in points/s; bucket = 20 s of restore. */
export const PLAN_LIMITS: Record<ShopPlanName, { restoreRate: number; displayName: string }> = {
  standard: { restoreRate: 100, displayName: "Shopify" },
  advanced: { restoreRate: 200, displayName: "Advanced" },
  plus: { restoreRate: 1000, displayName: "Shopify Plus" },
};

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED";

export type SimLocation = { id: number; name: string; isActive: boolean; isPrimary: boolean; createdAt: string };

export type SimOption = { id: number; name: string; position: number; values: { id: number; name: string }[] };

export type SimMedia = { id: number; alt: string; url: string };

export type SimProduct = {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  options: SimOption[];
  variantIds: number[];
  media: SimMedia[];
  createdAt: string;
  updatedAt: string;
};

export type SimVariant = {
  id: number;
  productId: number;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  taxable: boolean;
  position: number;
  selectedOptions: { name: string; value: string }[];
  inventoryItemId: number;
  createdAt: string;
  updatedAt: string;
};

/** Quantities Shopify keeps per item and location; on_hand is derived (available + committed + …). */
export type SimLevel = { available: number; committed: number; incoming: number; reserved: number; updatedAt: string };

/**
 * An item's levels by location id. A store has a handful of locations, so two parallel arrays
 * cost far less memory than a Map per item (the simulator holds millions of items).
 */
export class LevelMap {
  private readonly locationIds: number[] = [];
  private readonly entries: SimLevel[] = [];

  get size() {
    return this.locationIds.length;
  }
  get(locationId: number): SimLevel | undefined {
    const index = this.locationIds.indexOf(locationId);
    return index === -1 ? undefined : this.entries[index];
  }
  has(locationId: number): boolean {
    return this.locationIds.includes(locationId);
  }
  set(locationId: number, level: SimLevel): this {
    const index = this.locationIds.indexOf(locationId);
    if (index === -1) {
      this.locationIds.push(locationId);
      this.entries.push(level);
    } else {
      this.entries[index] = level;
    }
    return this;
  }
  keys(): number[] {
    return [...this.locationIds];
  }
  values(): SimLevel[] {
    return [...this.entries];
  }
  entriesList(): Array<[number, SimLevel]> {
    return this.locationIds.map((id, index) => [id, this.entries[index]]);
  }
}

export type SimInventoryItem = {
  id: number;
  variantId: number;
  tracked: boolean;
  levels: LevelMap;
  createdAt: string;
  updatedAt: string;
};

export type SimCollection = {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  sortOrder: string;
  productIds: number[];
  updatedAt: string;
};

export type SimLineItem = {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  quantity: number;
  currentQuantity: number;
  price: string;
};

/** A refund; `cancel` marks the one Shopify creates when an order is cancelled with restock. */
export type SimRefund = { id: number; createdAt: string; cancel: boolean; lines: { lineItemId: number; quantity: number; restock: boolean }[] };

export type SimCustomer = { id: number; email: string | null; firstName: string | null; lastName: string | null; createdAt: string; updatedAt: string };

export type SimOrder = {
  id: number;
  name: string;
  email: string | null;
  /** The buyer as the order names them (webhook payloads); customerId is the store's customer record. */
  customer: { firstName: string | null; lastName: string | null; email: string | null } | null;
  customerId: number | null;
  currencyCode: string;
  tags: string[];
  sourceName: string | null;
  sourceIdentifier: string | null;
  note: string | null;
  financialStatus: "PAID" | "PENDING" | "REFUNDED" | "PARTIALLY_REFUNDED";
  locationId: number;
  lineItems: SimLineItem[];
  refunds: SimRefund[];
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type SimSubscription = {
  id: number;
  name: string;
  status: "PENDING" | "ACTIVE" | "DECLINED" | "CANCELLED";
  test: boolean;
  trialDays: number;
  returnUrl: string;
  price: { amount: string; currencyCode: string };
  createdAt: string;
  currentPeriodEnd: string | null;
};

export type SimOnlineToken = { accessToken: string; userId: number; expiresAt: number };

export type SimInstallation = {
  accessToken: string;
  scopes: string[];
  installedAt: string;
  subscriptions: SimSubscription[];
  /** User-scoped tokens handed out by token exchange; they expire after 24 hours. */
  onlineTokens: SimOnlineToken[];
};

export class SimStore {
  readonly id: number;
  readonly domain: string;
  name: string;
  email: string;
  plan: ShopPlanName;
  currencyCode: string;
  readonly locations = new Map<number, SimLocation>();
  readonly products = new Map<number, SimProduct>();
  readonly variants = new Map<number, SimVariant>();
  readonly inventoryItems = new Map<number, SimInventoryItem>();
  readonly collections = new Map<number, SimCollection>();
  readonly orders = new Map<number, SimOrder>();
  readonly customers = new Map<number, SimCustomer>();
  /** handle → product id, so that unique handles are found without scanning the catalogue. */
  readonly handles = new Map<string, number>();
  installation: SimInstallation | null = null;
  orderNumber = 1000;

  constructor(init: { id: number; domain: string; name: string; plan: ShopPlanName; currencyCode: string }) {
    this.id = init.id;
    this.domain = init.domain;
    this.name = init.name;
    this.email = `owner@${init.domain}`;
    this.plan = init.plan;
    this.currencyCode = init.currencyCode;
  }

  get gid() {
    return gid("Shop", this.id);
  }

  primaryLocation(): SimLocation {
    for (const location of this.locations.values()) if (location.isPrimary) return location;
    throw new Error(`${this.domain} has no primary location`);
  }

  variantsOf(product: SimProduct): SimVariant[] {
    return product.variantIds.map((id) => this.variants.get(id)!);
  }
}

export function onHand(level: SimLevel): number {
  return level.available + level.committed + level.reserved;
}

export function emptyLevel(now: string): SimLevel {
  return { available: 0, committed: 0, incoming: 0, reserved: 0, updatedAt: now };
}

const selectedOptions = new Map<string, Readonly<{ name: string; value: string }>>();

/** Variants share one frozen object per option name and value (they are replaced, never edited). */
export function selectedOption(name: string, value: string): Readonly<{ name: string; value: string }> {
  const key = `${name}\u0000${value}`;
  let option = selectedOptions.get(key);
  if (!option) selectedOptions.set(key, (option = Object.freeze({ name, value })));
  return option;
}
