/**
 * Strict stock mode (issue 34, ADR 0033): every store sells only from its own allocation of the
 * primary's units, held as an escrow, so the units all stores offer never add up to more than the
 * primary really has. Pure: the books Tandem keeps of one pool (an item at a primary location and
 * the dependent levels it feeds), the rule of each store's share, and the moves that bring
 * allocations to their shares. No I/O.
 *
 * Where the units are in Shopify: the primary's `available` is its own share; the dependents'
 * units stay in the primary's `on_hand`, moved to its `reserved` state under Tandem's ledger
 * document (so the primary cannot sell them and its real count stays true); a dependent's
 * `available` is its allocation. A dependent's sale takes its units out of that reserve.
 */

/** Tandem's books of one pool: what it counts in the primary's reserve and who holds it. */
export type Books = {
  /** Units in the primary's `reserved` state under Tandem's ledger document, as Tandem counts them. */
  escrow: number;
  /** Units of the escrow each dependent holds: given, less taken, less its sales applied, plus its restocks applied. */
  allocated: Record<string, number>;
};

/**
 * One write to Shopify that changes the books.
 * reserve: the primary's available → the escrow (`inventoryMoveQuantities`, compare-and-set on available).
 * release: the escrow → the primary's available.
 * give: the escrow → a dependent's available (`inventoryAdjustQuantities`, compare-and-set).
 * take: a dependent's available → the escrow (compare-and-set).
 * sale / restock: a dependent's sale or restock, from its ledger row: the reserve −n or +n.
 */
export type Move =
  | { kind: "reserve" | "release"; quantity: number }
  | { kind: "give" | "take" | "sale" | "restock"; shop: string; quantity: number };

export const NO_BOOKS: Books = { escrow: 0, allocated: {} };

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/** Units of the escrow no store holds: what Tandem may give. Negative only if the books were broken. */
export function unallocated(books: Books): number {
  return books.escrow - sum(Object.values(books.allocated));
}

function withAllocated(books: Books, shop: string, delta: number): Books {
  return { ...books, allocated: { ...books.allocated, [shop]: (books.allocated[shop] ?? 0) + delta } };
}

/**
 * The books once a move is decided, before it is sent: a move that takes units out of the escrow
 * (give, release, a sale) counts at once, as if done, so no answer lost, no crash and no second
 * process can spend the same units twice; a move that brings units in counts only once Shopify
 * confirms it (`settled`). Recorded durably before the write is sent. So the books never count
 * more in the escrow than the primary's reserve holds.
 */
export function decided(books: Books, move: Move): Books {
  if (move.kind === "give") return withAllocated(books, move.shop, move.quantity);
  if (move.kind === "release") return { ...books, escrow: books.escrow - move.quantity };
  if (move.kind === "sale") return withAllocated({ ...books, escrow: books.escrow - move.quantity }, move.shop, -move.quantity);
  return books;
}

/**
 * Whether a move may be decided now. A dependent's sale waits while the escrow holds fewer units
 * than it sold: it sold a unit a refund put back on its shelf whose restock is not applied yet
 * (late, or lost until the stock check finds it); taking the sale first would drive the primary's
 * reserve below zero. Waiting is safe: until applied, the sale's units stay counted as the store's.
 */
export function canDecide(books: Books, move: Move): boolean {
  return move.kind !== "sale" || books.escrow >= move.quantity;
}

/**
 * The books once Shopify's answer to a decided move is known: `applied` when it made the change
 * (or the idempotent resend says it had), false when it refused it (a stale compare-and-set).
 * A sale or restock moves the escrow and its store's allocation together, so what is unallocated
 * does not change whether or not its answer is known yet.
 */
export function settled(books: Books, move: Move, applied: boolean): Books {
  switch (move.kind) {
    case "give": return applied ? books : withAllocated(books, move.shop, -move.quantity);
    case "release": return applied ? books : { ...books, escrow: books.escrow + move.quantity };
    case "take": return applied ? withAllocated(books, move.shop, -move.quantity) : books;
    case "reserve": return applied ? { ...books, escrow: books.escrow + move.quantity } : books;
    case "sale": return applied ? books : withAllocated({ ...books, escrow: books.escrow + move.quantity }, move.shop, move.quantity);
    case "restock": return applied ? withAllocated({ ...books, escrow: books.escrow + move.quantity }, move.shop, move.quantity) : books;
  }
}

/** The primary's name among the stores of a pool. */
export const PRIMARY = "";

export type ShareRules = {
  /** Units each store gets before any is shared by sales, while the pool allows. */
  minimumPerStore: number;
  /** The primary keeps at least this percentage of the pool for its own sales. */
  primaryPercent: number;
};

export const DEFAULT_SHARE_RULES: ShareRules = { minimumPerStore: 1, primaryPercent: 0 };

/**
 * Stores in the order they get scarce units: most recent sales first; on a tie the primary (it
 * sells the unit with no write at all), then dependents by name.
 */
function byPriority(stores: { shop: string; recentSales: number }[]) {
  return [...stores].sort((a, b) => b.recentSales - a.recentSales || (a.shop === PRIMARY ? -1 : b.shop === PRIMARY ? 1 : a.shop.localeCompare(b.shop)));
}

/**
 * Each store's share of `total` units: first the minimum per store, in priority order (so when
 * units are fewer than stores, the busiest stores get the last ones); then the primary's own
 * percentage; the rest in proportion to recent sales plus one (a store that sold nothing lately
 * still gets a part), by largest remainder, ties in priority order. The shares add up to `total`.
 */
export function shares(total: number, stores: { shop: string; recentSales: number }[], rules: ShareRules = DEFAULT_SHARE_RULES): Record<string, number> {
  const ordered = byPriority(stores);
  const share: Record<string, number> = Object.fromEntries(ordered.map(({ shop }) => [shop, 0]));
  let left = Math.max(0, total);
  for (let round = 0; round < rules.minimumPerStore && left > 0; round++) {
    for (const { shop } of ordered) if (left > 0) { share[shop]++; left--; }
  }
  if (PRIMARY in share) {
    const primaryExtra = Math.min(left, Math.max(0, Math.floor((total * rules.primaryPercent) / 100) - share[PRIMARY]));
    share[PRIMARY] += primaryExtra;
    left -= primaryExtra;
  }
  const weights = ordered.map(({ recentSales }) => Math.max(0, recentSales) + 1);
  const weightTotal = sum(weights);
  const exact = ordered.map((_, index) => (left * weights[index]) / weightTotal);
  const whole = exact.map(Math.floor);
  let remainder = left - sum(whole);
  const byFraction = ordered.map((_, index) => index).sort((a, b) => (exact[b] - whole[b]) - (exact[a] - whole[a]) || a - b);
  for (const index of byFraction) if (remainder > 0) { whole[index]++; remainder--; }
  ordered.forEach(({ shop }, index) => { share[shop] += whole[index]; });
  return share;
}

/** What a rebalance knows of a pool: the books and Shopify's levels as last read (the compare-and-set bases). */
export type PoolView = {
  books: Books;
  /** The primary's available quantity. */
  primaryAvailable: number;
  /** Each dependent's available quantity. */
  available: Record<string, number>;
  /** Units each store sold lately (the primary under PRIMARY). */
  recentSales: Record<string, number>;
};

/** A store runs low when it holds at most half its share (and less than the share). */
const runsLow = (holds: number, share: number) => holds < share && holds <= Math.floor(share / 2);

/**
 * The moves that bring a pool's allocations to their shares, taking before giving: gives and
 * releases spend only what the books hold unallocated now, never units a take of the same plan
 * has not brought in yet, so a plan is safe whatever part of it Shopify applies. Run again after
 * the takes settle to give what they freed. Nothing moves while no store runs low and nothing is
 * unallocated, so a pool at rest makes no writes.
 */
export function planRebalance(view: PoolView, rules: ShareRules = DEFAULT_SHARE_RULES): Move[] {
  const dependents = Object.keys(view.available).sort();
  const spare = Math.max(0, unallocated(view.books));
  const holds = (shop: string) => (shop === PRIMARY ? view.primaryAvailable : view.available[shop]);
  const total = view.primaryAvailable + sum(dependents.map((shop) => Math.max(0, view.available[shop]))) + spare;
  const target = shares(total, [PRIMARY, ...dependents].map((shop) => ({ shop, recentSales: view.recentSales[shop] ?? 0 })), rules);
  const low = [PRIMARY, ...dependents].filter((shop) => runsLow(holds(shop), target[shop]));
  if (low.length === 0 && spare === 0) return [];

  const moves: Move[] = [];
  if (low.length > 0) {
    if (view.primaryAvailable > target[PRIMARY]) moves.push({ kind: "reserve", quantity: view.primaryAvailable - target[PRIMARY] });
    for (const shop of dependents) {
      // Never more than the store holds of the escrow: units a restock put there are counted once it is applied.
      const surplus = Math.min(view.available[shop] - target[shop], view.books.allocated[shop] ?? 0);
      if (surplus > 0) moves.push({ kind: "take", shop, quantity: surplus });
    }
  }
  let left = spare;
  const needing = byPriority(dependents.map((shop) => ({ shop, recentSales: view.recentSales[shop] ?? 0 })));
  for (const { shop } of needing) {
    const deficit = target[shop] - Math.max(0, view.available[shop]);
    const quantity = Math.min(deficit, left);
    if (quantity > 0) { moves.push({ kind: "give", shop, quantity }); left -= quantity; }
  }
  // What no dependent needs goes back to the primary's own sale.
  if (left > 0) moves.push({ kind: "release", quantity: left });
  return moves;
}
