import { gid } from "./ids";

export type ShopPlanName = "standard" | "advanced" | "plus";

/** Shopify's GraphQL Admin rate limits by plan: restore rate in points/s; bucket = 20 s of restore. */
export const PLAN_LIMITS: Record<ShopPlanName, { restoreRate: number; displayName: string }> = {
  standard: { restoreRate: 100, displayName: "Shopify" },
  advanced: { restoreRate: 200, displayName: "Advanced" },
  plus: { restoreRate: 1000, displayName: "Shopify Plus" },
};

export type InventoryPolicy = "DENY" | "CONTINUE";
export type WeightUnit = "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS";

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";

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
  /** The search engine listing's title and description; absent until set (null fields: Shopify uses the title and description). */
  seo?: { title: string | null; description: string | null };
  /** By `namespace.key` (namespace resolved); absent until one is set, to keep large catalogues small. */
  metafields?: Map<string, SimMetafield>;
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
  selectedOptions: ReadonlyArray<Readonly<{ name: string; value: string }>>;
  /** Whether it sells when out of stock; absent means DENY, Shopify's default. */
  inventoryPolicy?: InventoryPolicy;
  inventoryItem: SimInventoryItem;
  createdAt: string;
  updatedAt: string;
};

/** Quantities Shopify keeps per item and location; on_hand is derived (available + committed + …). */
export type SimLevel = { available: number; committed: number; incoming: number; reserved: number; updatedAt: string };

type LevelQuantityName = "available" | "committed" | "incoming" | "reserved";

// One level takes STRIDE numbers in LevelMap's array: location id, the four quantities, updatedAt (ms).
const STRIDE = 6;
const QUANTITY_OFFSET: Record<LevelQuantityName, number> = { available: 1, committed: 2, incoming: 3, reserved: 4 };
const UPDATED_AT_OFFSET = 5;

/**
 * An item's levels by location id, kept by the item in one exactly sized array of numbers. The
 * simulator holds millions of items: an object per level plus growable arrays cost three times as
 * much (issue 4's memory target). This map and the levels it hands out are short-lived views that
 * read and write through to that array.
 */
export class LevelMap {
  constructor(private readonly item: { levelNumbers: number[] }) {}

  /** Replaced (not grown) when a location is added. */
  get numbers() {
    return this.item.levelNumbers;
  }

  get size() {
    return this.numbers.length / STRIDE;
  }
  private indexOf(locationId: number): number {
    for (let index = 0; index < this.numbers.length; index += STRIDE) if (this.numbers[index] === locationId) return index;
    return -1;
  }
  get(locationId: number): SimLevel | undefined {
    const index = this.indexOf(locationId);
    return index === -1 ? undefined : new LevelView(this, index);
  }
  has(locationId: number): boolean {
    return this.indexOf(locationId) !== -1;
  }
  set(locationId: number, level: SimLevel): this {
    const values = [locationId, level.available, level.committed, level.incoming, level.reserved, Date.parse(level.updatedAt)];
    const index = this.indexOf(locationId);
    // concat allocates exactly what is needed, where push would leave room for 16 more numbers.
    if (index === -1) this.item.levelNumbers = this.numbers.concat(values);
    else for (let offset = 0; offset < STRIDE; offset++) this.numbers[index + offset] = values[offset];
    return this;
  }
  keys(): number[] {
    const ids: number[] = [];
    for (let index = 0; index < this.numbers.length; index += STRIDE) ids.push(this.numbers[index]);
    return ids;
  }
  values(): SimLevel[] {
    return this.keys().map((id) => this.get(id)!);
  }
  entriesList(): Array<[number, SimLevel]> {
    return this.keys().map((id) => [id, this.get(id)!]);
  }
}

class LevelView implements SimLevel {
  constructor(
    private readonly levels: LevelMap,
    private readonly index: number,
  ) {}
  private read(name: LevelQuantityName) {
    return this.levels.numbers[this.index + QUANTITY_OFFSET[name]];
  }
  private write(name: LevelQuantityName, value: number) {
    this.levels.numbers[this.index + QUANTITY_OFFSET[name]] = value;
  }
  get available() { return this.read("available"); }
  set available(value: number) { this.write("available", value); }
  get committed() { return this.read("committed"); }
  set committed(value: number) { this.write("committed", value); }
  get incoming() { return this.read("incoming"); }
  set incoming(value: number) { this.write("incoming", value); }
  get reserved() { return this.read("reserved"); }
  set reserved(value: number) { this.write("reserved", value); }
  get updatedAt() { return new Date(this.levels.numbers[this.index + UPDATED_AT_OFFSET]).toISOString(); }
  set updatedAt(value: string) { this.levels.numbers[this.index + UPDATED_AT_OFFSET] = Date.parse(value); }
}

export class SimInventoryItem {
  /** See LevelMap. */
  levelNumbers: number[] = [];
  /**
   * Quantities written (2026-10+) at locations the item is not stocked at: inactive levels, listed
   * only when asked for with includeInactive. Rare, so made only when needed.
   */
  inactiveLevels?: Map<number, SimLevel>;
  /** Cost per unit in the store's currency; absent until set (declared, so millions of items carry no slot for it). */
  declare unitCost?: string;
  /** Absent until set: Shopify then answers a weight of 0 in the store's unit (kilograms here). */
  declare weight?: { value: number; unit: WeightUnit };

  constructor(
    readonly id: number,
    public tracked: boolean,
    readonly createdAt: string,
    public updatedAt: string,
  ) {}

  get levels(): LevelMap {
    return new LevelMap(this);
  }
  get variantId(): number {
    return InventoryItemIndex.variantIdOf(this.id);
  }
}

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
  /**
   * Where the line's stock is taken: its fulfillment order's assigned location (Shopify's order
   * routing picks it for online orders; a POS sale takes it at the register's location).
   */
  locationId: number;
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
  metafields?: Map<string, SimMetafield>;
  /** The POS location the order was placed at (Shopify's location_id, retailLocation); null online. */
  locationId: number | null;
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
  /**
   * Whether Shopify approved the app for protected customer fields (level 2: names, e-mails,
   * addresses, phones). Without it those fields answer ACCESS_DENIED and webhooks carry them as null.
   */
  protectedCustomerFields: boolean;
};

/**
 * Inventory items by id without a map of their own: an item is created together with its variant
 * and takes the id just before the variant's (world.addVariant), so the variant map finds it. A
 * store of a million variants saves a map entry (about 50 bytes) for each.
 */
export class InventoryItemIndex {
  constructor(private readonly variants: Map<number, SimVariant>) {}

  static variantIdOf(itemId: number) {
    return itemId + 1;
  }
  get(itemId: number): SimInventoryItem | undefined {
    const item = this.variants.get(InventoryItemIndex.variantIdOf(itemId))?.inventoryItem;
    return item?.id === itemId ? item : undefined;
  }
  has(itemId: number): boolean {
    return this.get(itemId) !== undefined;
  }
}

/** The app the simulator serves, as the number in its reserved namespaces. */
const SIM_APP_ID = 1;

/**
 * `$app` (or none) is the calling app's reserved namespace and `$app:x` a sub-namespace of it;
 * Shopify stores them as `app--{app id}` and `app--{app id}--x`
 * (https://shopify.dev/docs/apps/build/metafields#app-owned-metafields).
 */
export function resolveNamespace(namespace: string | null | undefined): string {
  if (!namespace || namespace === "$app") return `app--${SIM_APP_ID}`;
  if (namespace.startsWith("$app:")) return `app--${SIM_APP_ID}--${namespace.slice("$app:".length)}`;
  return namespace;
}

export type SimMetafield = { id: number; namespace: string; key: string; type: string; value: string };
export type MetafieldOwnerType = "PRODUCT" | "ORDER";
export type SimMetafieldDefinition = { id: number; name: string; namespace: string; key: string; type: string; ownerType: MetafieldOwnerType };

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
  readonly inventoryItems = new InventoryItemIndex(this.variants);
  readonly collections = new Map<number, SimCollection>();
  readonly orders = new Map<number, SimOrder>();
  readonly customers = new Map<number, SimCustomer>();
  /** handle → product id, so that unique handles are found without scanning the catalogue. */
  readonly handles = new Map<string, number>();
  /** By `ownerType namespace.key`. */
  readonly metafieldDefinitions = new Map<string, SimMetafieldDefinition>();
  /** Values of `id` metafields (custom IDs, unique per definition) → their owner's id: `ownerType namespace.key value`. */
  readonly customIds = new Map<string, number>();
  installation: SimInstallation | null = null;
  orderNumber = 1000;
  /** A development (or trial) store: Shopify limits some of its writes (orderCreate: 5 a minute). */
  development = false;
  /**
   * Shopify's throttle on new variants once a store holds many (50,000, then 1,000 new a day);
   * null: not applied (the default, as benchmark catalogues go past it). Creation times are kept
   * while it applies.
   */
  variantCreationLimit: { storeVariants: number; perDay: number; dayMs?: number } | null = null;
  readonly variantCreations: number[] = [];
  /** The store's time zone as Shopify names it (`Shop.ianaTimezone`): the merchant's, chosen in the admin. */
  ianaTimezone = "UTC";

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

type SelectedOptions = ReadonlyArray<Readonly<{ name: string; value: string }>>;

const selectedOptionLists = new Map<string, SelectedOptions>();

/** …and one frozen list per combination of them (a catalogue repeats a few sizes and colours). */
export function selectedOptionList(options: SelectedOptions): SelectedOptions {
  const key = options.map((o) => `${o.name}\u0000${o.value}`).join("\u0001");
  let list = selectedOptionLists.get(key);
  if (!list) selectedOptionLists.set(key, (list = Object.freeze([...options])));
  return list;
}

/** The store's installed app may read customers' names, e-mails and addresses (SimInstallation.protectedCustomerFields). */
export function readsProtectedCustomerFields(store: SimStore): boolean {
  return store.installation?.protectedCustomerFields ?? true;
}
