/**
 * Every GraphQL document Tandem sends to the Admin API. Each is validated against Shopify's
 * published schema by documents.test.ts; version-specific details stay in this folder.
 */

export const SHOP_INFO = `#graphql
  query TandemShopInfo {
    shop { id myshopifyDomain currencyCode }
    locations(first: 250) { nodes { id name isActive isPrimary } }
  }
`;

const VARIANT_FIELDS = "id sku price compareAtPrice barcode position inventoryPolicy selectedOptions { name value } inventoryItem { id tracked }";
/** An inventory item's unit cost and weight: 3 points an item, so read (ITEM_DETAILS) only for a store whose field rules take them. */
const ITEM_DETAIL_FIELDS = "unitCost { amount } measurement { weight { unit value } }";
const MEDIA_FIELDS = "alt ... on MediaImage { image { url } }";
const PAGE_INFO = "pageInfo { hasNextPage endCursor }";

/**
 * A product as the sync reads it. A product has up to 2,048 variants and 250 media: the first page
 * of each list comes here (100 variants keep the requested cost near 400 points), the rest through
 * PRODUCT_LIST_PAGES, so nothing beyond a page is ever left out (a productSet built from a cut list
 * would delete what was cut).
 */
const PRODUCT_FIELDS = `
  id title handle descriptionHtml vendor productType status tags updatedAt seo { title description }
  options { name position optionValues { name } }
  media(first: 50) { nodes { ${MEDIA_FIELDS} } ${PAGE_INFO} }
  collections(first: 50) { nodes { id } ${PAGE_INFO} }
  variants(first: 100) { nodes { ${VARIANT_FIELDS} } ${PAGE_INFO} }
`;

export const PRODUCT_FOR_SYNC = `#graphql
  query TandemProduct($id: ID!) {
    product(id: $id) { ${PRODUCT_FIELDS} }
  }
`;

/** The next page of one of a product's lists, after the page PRODUCT_FOR_SYNC (or productSet's answer) gave. */
export const PRODUCT_LIST_PAGES = {
  variants: `#graphql
  query TandemProductVariants($id: ID!, $after: String!) {
    product(id: $id) { id variants(first: 250, after: $after) { nodes { ${VARIANT_FIELDS} } ${PAGE_INFO} } }
  }
`,
  media: `#graphql
  query TandemProductMedia($id: ID!, $after: String!) {
    product(id: $id) { id media(first: 250, after: $after) { nodes { ${MEDIA_FIELDS} } ${PAGE_INFO} } }
  }
`,
  collections: `#graphql
  query TandemProductCollections($id: ID!, $after: String!) {
    product(id: $id) { id collections(first: 250, after: $after) { nodes { id } ${PAGE_INFO} } }
  }
`,
};

/**
 * One page of a catalogue for the Products page: 25 products with up to 20 variants each keeps the
 * requested cost near 550 points (Shopify refuses a query over 1,000).
 */
export const PRODUCT_EXISTS = `#graphql
  query ProductExists($id: ID!) {
    product(id: $id) { id title }
  }
`;

export const PRODUCTS_PAGE_SIZE = 25;
export const PRODUCTS_PAGE = `#graphql
  query TandemProductsPage($first: Int, $after: String, $last: Int, $before: String, $query: String) {
    products(first: $first, after: $after, last: $last, before: $before, query: $query) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id title status variants(first: 20) { nodes { id title sku } } }
    }
  }
`;

/** Stock of inventory items at every location, a page of items at a time (see inventoryLevelsPage). */
export const INVENTORY_LEVELS = `#graphql
  query TandemInventoryLevels($ids: [ID!]!, $levels: Int!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        tracked
        inventoryLevels(first: $levels) { pageInfo { hasNextPage } nodes { location { id } updatedAt quantities(names: ["available"]) { name quantity } } }
      }
    }
  }
`;
/** Levels per item INVENTORY_LEVELS asks for when the store's number of locations is not at hand. */
export const DEFAULT_LEVELS_PER_ITEM = 20;

/**
 * Items in the first INVENTORY_LEVELS request of a read, by Tandem's model of the cost: each item
 * costs 3 + 3 × levels points requested (the item, the connection, each level with its location
 * and quantities; pageInfo is free). The next pages follow the cost Shopify reports
 * (AdminGateway.requestInPages). Shopify refuses a query over 1,000 and a bucket must hold the
 * requested cost before it runs, so asking for no more levels than the store has locations keeps
 * each read small: 88 items a request at 2 locations, 12 at 20.
 */
export function inventoryLevelsPage(levelsPerItem: number): number {
  return Math.max(1, Math.min(250, Math.floor(MAX_REQUESTED_COST / inventoryItemReadCost(levelsPerItem))));
}

/** Unit cost and weight of inventory items, ITEM_DETAILS_PAGE at a time (4 points an item). */
export const ITEM_DETAILS = `#graphql
  query TandemItemDetails($ids: [ID!]!) {
    nodes(ids: $ids) { ... on InventoryItem { id ${ITEM_DETAIL_FIELDS} } }
  }
`;
export const ITEM_DETAILS_PAGE = 150;

/**
 * The most a document may ask for: 20% under Shopify's 1,000-point single-query limit, the headroom
 * for a cost model that is Shopify's only as far as it is documented (documents.test.ts holds every
 * document to it).
 */
export const MAX_REQUESTED_COST = 800;

/** Points one item costs in INVENTORY_LEVELS (requested, and actual when the item is stocked at every location). */
export function inventoryItemReadCost(levelsPerItem: number): number {
  return 3 + 3 * levelsPerItem;
}

export const VARIANTS_BY_SKU = `#graphql
  query TandemVariantsBySku($query: String!) {
    productVariants(first: 100, query: $query) {
      nodes { id sku product { id } inventoryItem { id } }
    }
  }
`;

/** A product write; a create names the primary product as its custom ID (identifier), so sending it again updates the same product (custom-ids.server.ts). */
export const PRODUCT_SET = `#graphql
  mutation TandemProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
    productSet(input: $input, identifier: $identifier, synchronous: true) {
      product { id variants(first: 250) { nodes { id sku inventoryItem { id } } ${PAGE_INFO} } }
      userErrors { code field message }
    }
  }
`;

export const PRODUCT_UPDATE = `#graphql
  mutation TandemProductUpdate($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product { id status }
      userErrors { field message }
    }
  }
`;

export const PRODUCT_DELETE = `#graphql
  mutation TandemProductDelete($input: ProductDeleteInput!) {
    productDelete(input: $input) {
      deletedProductId
      userErrors { field message }
    }
  }
`;

export const VARIANTS_BULK_UPDATE = `#graphql
  mutation TandemVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants) {
      productVariants { id }
      userErrors { code field message }
    }
  }
`;

/**
 * Ungrouped output (groupObjects false, the default from 2026-01: grouping is slower and times out
 * more): a child line may come before its parent, so readers take lines through parentsFirst.
 */
export const BULK_RUN_QUERY = `#graphql
  mutation TandemBulkRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation { id status }
      userErrors { code field message }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query TandemBulkOperation($id: ID!) {
    node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } }
  }
`;

/** This app's bulk operations still running in the store (up to 5 at once from 2026-01). */
export const RUNNING_BULK_OPERATIONS = `#graphql
  query TandemRunningBulkOperations {
    bulkOperations(first: 5, query: "status:created OR status:running") { nodes { id status type createdAt } }
  }
`;

/** This app's bulk mutations created since a time, newest first (a run that stopped looks for its own among them). */
export const BULK_MUTATIONS_SINCE = `#graphql
  query TandemBulkMutationsSince($query: String!) {
    bulkOperations(first: 5, query: $query) { nodes { id status type createdAt } }
  }
`;

export const STAGED_UPLOADS_CREATE = `#graphql
  mutation TandemStagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url parameters { name value } }
      userErrors { field message }
    }
  }
`;

export const BULK_RUN_MUTATION = `#graphql
  mutation TandemBulkRunMutation($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
      bulkOperation { id status }
      userErrors { code field message }
    }
  }
`;

/**
 * The whole catalogue for Sync all, read as a bulk operation (no cost limit, streamed JSONL).
 * Four connections, nesting depth two (products > variants > inventoryLevels): within Shopify's
 * limits of five and two. Each variant's levels come back as lines whose __parentId is the variant.
 * `productIds` narrows it to those products (search syntax `id:<number> OR …`): a burst of product
 * changes synced together.
 */
export function catalogueBulkQuery(productIds?: string[]): string {
  const filter = productIds ? `(query: ${JSON.stringify(productIds.map((id) => `id:${id.split("/").pop()}`).join(" OR "))})` : "";
  return `#graphql
  {
    products${filter} {
      edges {
        node {
          id title handle descriptionHtml vendor productType status tags updatedAt seo { title description }
          options { name position optionValues { name } }
          media { edges { node { alt ... on MediaImage { image { url } } } } }
          collections { edges { node { id } } }
          variants {
            edges {
              node {
                id sku price compareAtPrice barcode position inventoryPolicy selectedOptions { name value }
                inventoryItem {
                  id tracked ${ITEM_DETAIL_FIELDS}
                  inventoryLevels { edges { node { location { id } updatedAt quantities(names: ["available"]) { name quantity } } } }
                }
              }
            }
          }
        }
      }
    }
  }
`;
}

/** Every variant's inventory item with its stock, for reconciling large catalogues (a bulk query). */
export const STOCK_BULK_QUERY = `#graphql
  {
    productVariants {
      edges {
        node {
          id
          inventoryItem {
            id tracked
            inventoryLevels { edges { node { location { id } updatedAt quantities(names: ["available"]) { name quantity } } } }
          }
        }
      }
    }
  }
`;

/**
 * Refunds and their lines as reconciliation reads them. A list that takes `first` costs that many
 * elements, each with its lines (as a connection does; the simulator counts it so), so orders come 5 a page with 3 refunds of 10
 * lines each (about 650 points requested); an order with more refunds is read again with
 * ORDER_REFUNDS, a refund with more lines with REFUND_LINE_ITEMS.
 */
export const REFUNDS_WITH_ORDER = 3;
export const REFUNDS_PER_ORDER = 20;
const REFUND_LINE_FIELDS = "nodes { quantity restockType location { id } lineItem { id sku } } pageInfo { hasNextPage endCursor }";
const REFUND_FIELDS = `id refundLineItems(first: 10) { ${REFUND_LINE_FIELDS} }`;

/**
 * A dependent's orders changed since a moment: reconciliation reads back sales and restocks whose
 * webhooks were lost. Page sizes keep the requested cost under Shopify's 1,000 per query; an order
 * with more lines continues with ORDER_LINE_ITEMS.
 */
export const ORDERS_SINCE = `#graphql
  query TandemOrdersSince($query: String!, $after: String) {
    orders(first: 5, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id displayFinancialStatus
        retailLocation { id }
        lineItems(first: 25) { nodes { id sku quantity } pageInfo { hasNextPage endCursor } }
        refunds(first: ${REFUNDS_WITH_ORDER}) { ${REFUND_FIELDS} }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** An order with more refunds than ORDERS_SINCE reads with it: up to 20 (Shopify's refunds list has no cursor). */
export const ORDER_REFUNDS = `#graphql
  query TandemOrderRefunds($id: ID!) {
    order(id: $id) { id refunds(first: ${REFUNDS_PER_ORDER}) { ${REFUND_FIELDS} } }
  }
`;

/** The rest of a refund's lines, after the page read with its order. */
export const REFUND_LINE_ITEMS = `#graphql
  query TandemRefundLineItems($id: ID!, $after: String) {
    refund(id: $id) { id refundLineItems(first: 100, after: $after) { ${REFUND_LINE_FIELDS} } }
  }
`;

/**
 * Where Shopify routed these orders' lines, for sales recorded without a location: an online order
 * names none (location_id and retailLocation are null); its stock is taken at its fulfillment
 * orders' assigned locations. About 280 points requested per order (5 fulfillment orders of 25
 * lines), so ORDERS_PER_ROUTING_READ orders a request stay within MAX_REQUESTED_COST.
 */
export const ORDERS_FULFILLMENT_LOCATIONS = `#graphql
  query TandemOrdersFulfillmentLocations($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order { id fulfillmentOrders(first: 5) { nodes { assignedLocation { location { id } } lineItems(first: 25) { nodes { lineItem { id } } } } } }
    }
  }
`;
export const ORDERS_PER_ROUTING_READ = 2;

/** The rest of an order's lines, after the first page ORDERS_SINCE read. */
export const ORDER_LINE_ITEMS = `#graphql
  query TandemOrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) { nodes { id sku quantity } pageInfo { hasNextPage endCursor } }
    }
  }
`;

/**
 * Inventory writes name the quantity they expect (changeFromQuantity, null opts out: mandatory from
 * 2026-04) and carry an @idempotent key (optional from 2026-01, required from 2026-04).
 */
export const INVENTORY_SET_QUANTITIES = `#graphql
  mutation TandemInventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup { id createdAt changes(quantityNames: ["available"]) { name delta quantityAfterChange item { id } location { id } } }
      userErrors { code field message }
    }
  }
`;

export const INVENTORY_ADJUST_QUANTITIES = `#graphql
  mutation TandemAdjustStock($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup { id createdAt changes(quantityNames: ["available"]) { name delta quantityAfterChange item { id } location { id } } }
      userErrors { field message code }
    }
  }
`;

/**
 * Units moved between states of one level (strict stock mode: the primary's available ↔ its
 * reserve, under Tandem's ledger document), compare-and-set on each side (ADR 0033).
 */
export const INVENTORY_MOVE_QUANTITIES = `#graphql
  mutation TandemMoveStock($input: InventoryMoveQuantitiesInput!, $idempotencyKey: String!) {
    inventoryMoveQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup { id createdAt changes(quantityNames: ["available", "reserved"]) { name delta quantityAfterChange item { id } location { id } } }
      userErrors { field message code }
    }
  }
`;

/** The primary's collections, in Shopify's order, 50 at a time (seed 001). */
export const COLLECTIONS_PAGE = `#graphql
  query TandemCollections($after: String) {
    collections(first: 50, after: $after, sortKey: ID) {
      nodes { id title handle descriptionHtml sortOrder }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** Whether a collection id is one of this store's (another store's id reads as null). */
export const COLLECTION_EXISTS = `#graphql
  query TandemCollectionExists($id: ID!) {
    collection(id: $id) { id }
  }
`;

/** A collection's products in the collection's own order. */
export const COLLECTION_PRODUCTS_PAGE = `#graphql
  query TandemCollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      id title
      products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
    }
  }
`;

export const COLLECTION_CREATE = `#graphql
  mutation TandemCollectionCreate($input: CollectionInput!) {
    collectionCreate(input: $input) {
      collection { id }
      userErrors { field message }
    }
  }
`;

export const COLLECTION_UPDATE = `#graphql
  mutation TandemCollectionUpdate($input: CollectionInput!) {
    collectionUpdate(input: $input) {
      collection { id }
      userErrors { field message }
    }
  }
`;

export const COLLECTION_ADD_PRODUCTS = `#graphql
  mutation TandemCollectionAddProducts($id: ID!, $productIds: [ID!]!) {
    collectionAddProducts(id: $id, productIds: $productIds) {
      collection { id }
      userErrors { field message }
    }
  }
`;

export const COLLECTION_REMOVE_PRODUCTS = `#graphql
  mutation TandemCollectionRemoveProducts($id: ID!, $productIds: [ID!]!) {
    collectionRemoveProducts(id: $id, productIds: $productIds) {
      job { id }
      userErrors { field message }
    }
  }
`;

export const APP_SUBSCRIPTION_CREATE = `#graphql
  mutation TandemSubscribe($name: String!, $price: Decimal!, $returnUrl: URL!, $test: Boolean!) {
    appSubscriptionCreate(
      name: $name
      returnUrl: $returnUrl
      test: $test
      lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: $price, currencyCode: USD }, interval: EVERY_30_DAYS } } }]
    ) {
      appSubscription { id status }
      confirmationUrl
      userErrors { field message }
    }
  }
`;

export const APP_SUBSCRIPTION_CANCEL = `#graphql
  mutation TandemUnsubscribe($id: ID!) {
    appSubscriptionCancel(id: $id) {
      appSubscription { id status }
      userErrors { field message }
    }
  }
`;

export const ACTIVE_SUBSCRIPTIONS = `#graphql
  query TandemActiveSubscriptions {
    currentAppInstallation { activeSubscriptions { id name status createdAt } }
  }
`;

/** A dependent's order as order mirroring records it on the primary (seed 002). */
export const ORDER_FOR_MIRROR = `#graphql
  query TandemOrderForMirror($id: ID!) {
    order(id: $id) {
      id name createdAt currencyCode displayFinancialStatus cancelledAt test
      lineItems(first: 100) {
        nodes { sku title quantity originalUnitPriceSet { shopMoney { amount currencyCode } } }
        pageInfo { hasNextPage }
      }
    }
  }
`;

/**
 * The buyer of a dependent's order: protected customer data, read apart from the order, since an
 * app without Shopify's approval for it gets ACCESS_DENIED on these fields (the order still counts).
 */
export const ORDER_BUYER = `#graphql
  query TandemOrderBuyer($id: ID!) {
    order(id: $id) { id email customer { defaultEmailAddress { emailAddress } firstName lastName } }
  }
`;

/** A copy of a dependent's order on the primary, by its custom ID (found at once: no search index involved). */
export const MIRRORED_ORDER_BY_CUSTOM_ID = `#graphql
  query TandemMirroredOrder($identifier: OrderIdentifierInput!) {
    orderByIdentifier(identifier: $identifier) { id name customer { id } }
  }
`;

export const METAFIELD_DEFINITION_CREATE = `#graphql
  mutation TandemMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id }
      userErrors { code field message }
    }
  }
`;

/** A store's product metafield definitions, a page at a time (the primary's choice; a dependent's check before a write). */
export const PRODUCT_METAFIELD_DEFINITIONS = `#graphql
  query TandemProductMetafieldDefinitions($after: String) {
    metafieldDefinitions(ownerType: PRODUCT, first: 250, after: $after) {
      nodes { namespace key name type { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The chosen metafields of products, PRODUCT_METAFIELDS_PAGE at a time (53 points a product). */
export const PRODUCT_METAFIELDS = `#graphql
  query TandemProductMetafields($ids: [ID!]!, $keys: [String!]!) {
    nodes(ids: $ids) { ... on Product { id metafields(first: 50, keys: $keys) { nodes { namespace key type value } } } }
  }
`;
export const PRODUCT_METAFIELDS_PAGE = 15;

export const CUSTOMER_BY_EMAIL = `#graphql
  query TandemCustomerByEmail($query: String!) {
    customers(first: 5, query: $query) { nodes { id defaultEmailAddress { emailAddress } firstName lastName } }
  }
`;

export const CUSTOMER_CREATE = `#graphql
  mutation TandemCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer { id }
      userErrors { field message }
    }
  }
`;

export const ORDER_CREATE = `#graphql
  mutation TandemOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order { id name }
      userErrors { code field message }
    }
  }
`;

/** Products with a tag, ids only: how many a selection by tag would sync (counted up to a cap). */
export const PRODUCTS_TAGGED = `#graphql
  query TandemProductsTagged($query: String!, $after: String) {
    products(first: 250, query: $query, after: $after) {
      nodes { id }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The store's time zone (the merchant's, set in Shopify's admin): the admin pages show times in it. */
export const SHOP_TIME_ZONE = `#graphql
  query TandemShopTimeZone {
    shop { ianaTimezone }
  }
`;
