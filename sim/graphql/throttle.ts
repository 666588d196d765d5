/**
 * Shopify's leaky bucket per app and store: a request needs its requested cost available, is
 * charged it, and is refunded the difference once the actual cost is known; the bucket refills
 * continuously at the restore rate. https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm
 */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    readonly maximum: number,
    readonly restoreRate: number,
    private readonly clock: () => number,
  ) {
    this.available = maximum;
    this.updatedAt = clock();
  }

  currentlyAvailable(): number {
    const now = this.clock();
    this.available = Math.min(this.maximum, this.available + ((now - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = now;
    return this.available;
  }

  tryTake(cost: number): boolean {
    if (this.currentlyAvailable() < cost) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number) {
    this.currentlyAvailable();
    this.available = Math.min(this.maximum, this.available + points);
  }

  status() {
    return { maximumAvailable: this.maximum, currentlyAvailable: Math.floor(this.currentlyAvailable()), restoreRate: this.restoreRate };
  }
}
