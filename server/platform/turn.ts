/**
 * Gives the event loop a turn: the I/O waiting behind a long run of batches (HTTP requests, chat, RTMP) is
 * served before the next batch. On SQLite every statement runs synchronously and the promises between
 * two batches resolve as microtasks, so without this a settlement run or an event backlog held the whole
 * node for its full length (100,000 orders: 7.8 s; bench:ledger's settle_max_stall_ms, docs/BENCHMARKS.md).
 * A batch is the longest stall left.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
