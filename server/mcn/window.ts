/**
 * When an MCN contract is in force (docs/MCN.md). Pure, so the ledger's consumer uses the same rule
 * as the MCN's rights: a contract is in force only once the streamer accepted it, from its start (not
 * before the acceptance) until its end or its termination, whichever comes first. A contract never
 * accepted (offered, declined, cancelled) is never in force. Times are ISO-8601 UTC strings of one
 * format (Date#toISOString), so they compare as strings.
 */
export type ContractTimes = {
  status: string;
  starts_at: string;
  ends_at: string | null;
  accepted_at: string | null;
  terminated_at?: string | null;
};

export type Window = { from: string; to: string | null };

export function contractWindow(c: ContractTimes): Window | null {
  if ((c.status !== 'accepted' && c.status !== 'terminated') || !c.accepted_at) return null;
  const from = c.starts_at > c.accepted_at ? c.starts_at : c.accepted_at;
  const to = earliest(c.ends_at, c.terminated_at ?? null);
  if (to !== null && to <= from) return null; // ended (or terminated) before it began
  return { from, to };
}

/** Whether the contract is in force at `at` (half-open: in force at its start, no longer at its end). */
export function inForceAt(c: ContractTimes, at: string): boolean {
  const w = contractWindow(c);
  return w !== null && w.from <= at && (w.to === null || at < w.to);
}

/** Whether two windows share a moment (an open end runs forever). */
export function overlaps(a: Window, b: Window): boolean {
  return (b.to === null || a.from < b.to) && (a.to === null || b.from < a.to);
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
