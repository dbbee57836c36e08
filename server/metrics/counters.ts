/**
 * Plain counts kept by the domains on their own paths (a number incremented, nothing more) and read
 * by /metrics when Prometheus scrapes (server/metrics/index.ts). They count on this node since it
 * started, as Prometheus counters do; without METRICS_TOKEN nobody reads them.
 */
export class CommerceCounters {
  /** Orders placed through checkout (POST /api/orders), idempotent replays not counted. */
  ordersPlaced = 0;
  /** Orders placed in a flash sale. */
  flashOrdersPlaced = 0;
  /** Orders that became paid (by a notification, or by asking the provider before a cancel). */
  ordersPaid = 0;
  /** Payment notifications received, by result: `ok`, or the error code they were refused with. */
  readonly notifications = new Map<string, number>();

  notified(result: string) {
    this.notifications.set(result, (this.notifications.get(result) ?? 0) + 1);
  }
}
