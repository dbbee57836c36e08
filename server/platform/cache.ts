/**
 * A small read-through cache: a value is kept `ttlMs` from when it arrived, a load in flight is
 * shared (a crowd asking at once costs one load per key), and a failed load is not kept. Bounded to
 * 50,000 keys (the oldest goes first). `get` may name the loader for that call when the key alone
 * does not carry what loading needs.
 */
export function cached<T>(ttlMs: number, load?: (key: string) => Promise<T>) {
  // `at` is when the value arrived (Infinity while it is loading).
  const entries = new Map<string, { value: Promise<T>; at: number }>();
  return {
    get(key: string, loadNow: (key: string) => Promise<T> = load!): Promise<T> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const entry = { value: loadNow(key), at: Infinity };
      entries.set(key, entry);
      if (entries.size > 50_000) entries.delete(entries.keys().next().value!);
      entry.value.then(
        () => (entry.at = Date.now()),
        // A failed load is not kept: the next caller tries again.
        () => entries.get(key) === entry && entries.delete(key),
      );
      return entry.value;
    },
    forget(key: string) {
      entries.delete(key);
    },
  };
}
