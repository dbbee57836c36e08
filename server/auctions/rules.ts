/**
 * The auction's rules (docs/AUCTIONS.md), pure: what a bid does to the auction's price and leader,
 * the anti-sniping extension, and who is offered the lot when a winner never pays. The service runs
 * them under the auction row's lock, one bid after another.
 */

/** One band of the increment table: below `belowFen` (null: no upper bound) the price rises by `stepFen`. */
export type Increment = { belowFen: number | null; stepFen: number };

/** <¥100: ¥5, <¥1,000: ¥20, else ¥50. */
export const DEFAULT_INCREMENTS: Increment[] = [
  { belowFen: 10_000, stepFen: 500 },
  { belowFen: 100_000, stepFen: 2_000 },
  { belowFen: null, stepFen: 5_000 },
];

/** Rule A1: bands rise strictly, steps never shrink, only the last band is open-ended. */
export function incrementsValid(table: Increment[]): boolean {
  if (!table.length || table.length > 20) return false;
  for (let i = 0; i < table.length; i++) {
    const band = table[i]!;
    const last = i === table.length - 1;
    if (!Number.isSafeInteger(band.stepFen) || band.stepFen < 1) return false;
    if (last !== (band.belowFen === null)) return false;
    if (i > 0) {
      const prev = table[i - 1]!;
      if (band.stepFen < prev.stepFen) return false;
      if (band.belowFen !== null && band.belowFen <= prev.belowFen!) return false;
    }
  }
  return true;
}

export function stepAt(table: Increment[], priceFen: number): number {
  for (const band of table) if (band.belowFen === null || priceFen < band.belowFen) return band.stepFen;
  return table[table.length - 1]!.stepFen;
}

export type Standing = {
  startFen: number;
  increments: Increment[];
  /** null until the first bid. */
  priceFen: number | null;
  leaderId: string | null;
  leaderMaxFen: number | null;
};

/** Rule B1: the least the next bid (or proxy maximum) may be. */
export function minNext(s: Standing): number {
  return s.priceFen === null ? s.startFen : s.priceFen + stepAt(s.increments, s.priceFen);
}

export type BidKind = 'bid' | 'proxy';
export type Refusal = { refused: 'AUCTION_BID_TOO_LOW' | 'AUCTION_PROXY_TOO_LOW'; minFen: number };

/**
 * Rules B1–B5: a bid of `amountFen` (kind `bid`: the bidder pays that much if it leads; kind `proxy`:
 * a maximum the platform bids up to on the bidder's behalf). Returns the new standing or a refusal.
 */
export function applyBid(s: Standing, userId: string, kind: BidKind, amountFen: number): Standing | Refusal {
  const min = minNext(s);
  const refuse = (minFen: number): Refusal => ({ refused: kind === 'bid' ? 'AUCTION_BID_TOO_LOW' : 'AUCTION_PROXY_TOO_LOW', minFen });
  // B4: the leader raises their own maximum; the price does not move (nobody bids against themselves).
  if (s.leaderId === userId) {
    const least = Math.max(min, s.leaderMaxFen! + 1);
    if (amountFen < least) return refuse(least);
    return { ...s, leaderMaxFen: amountFen };
  }
  if (amountFen < min) return refuse(min);
  // B2: the first bid.
  if (s.leaderId === null) return { ...s, leaderId: userId, leaderMaxFen: amountFen, priceFen: kind === 'bid' ? amountFen : s.startFen };
  const leaderMax = s.leaderMaxFen!;
  // B3: above the leader's maximum: a new leader, at its amount (bid) or one step over the old maximum, capped at its own (proxy).
  if (amountFen > leaderMax) {
    const price = kind === 'bid' ? amountFen : Math.min(amountFen, Math.max(min, leaderMax + stepAt(s.increments, leaderMax)));
    return { ...s, leaderId: userId, leaderMaxFen: amountFen, priceFen: price };
  }
  // B5: at or below the leader's maximum: the leader's proxy answers, one step over, capped at its maximum; a tie goes to the earlier maximum.
  return { ...s, priceFen: Math.min(leaderMax, amountFen + stepAt(s.increments, amountFen)) };
}

/** Rule C1: a bid at `atMs` within the last `extendMs` moves the close to atMs + extendMs, never past the cap. */
export function extendedClose(closesAtMs: number, atMs: number, extendMs: number, capMs: number, suddenDeath: boolean): number {
  if (suddenDeath || extendMs <= 0 || closesAtMs - atMs >= extendMs) return closesAtMs;
  return Math.max(closesAtMs, Math.min(atMs + extendMs, capMs));
}

/**
 * Rule D2: when the bidder offered the lot never pays, the next bidder is the one with the highest
 * maximum (earlier on a tie) among those not offered it yet; the price is what the proxy rule gives
 * among the bidders left (one step over the next maximum, capped at theirs, at least the start and
 * their own highest plain bid).
 */
export function nextOffer(
  bids: { user_id: string; kind: BidKind; amount_fen: number; seq: number }[],
  excluded: Set<string>,
  startFen: number,
  increments: Increment[],
): { userId: string; priceFen: number } | null {
  const maxes = new Map<string, { max: number; seq: number; firm: number }>();
  for (const b of [...bids].sort((x, y) => x.seq - y.seq)) {
    if (excluded.has(b.user_id)) continue;
    const m = maxes.get(b.user_id) ?? { max: 0, seq: b.seq, firm: 0 };
    if (b.amount_fen > m.max) {
      m.max = b.amount_fen;
      m.seq = b.seq;
    }
    if (b.kind === 'bid') m.firm = Math.max(m.firm, b.amount_fen);
    maxes.set(b.user_id, m);
  }
  const ranked = [...maxes].sort((a, b) => b[1].max - a[1].max || a[1].seq - b[1].seq);
  const first = ranked[0];
  if (!first) return null;
  const second = ranked[1];
  const competing = second ? Math.min(first[1].max, second[1].max + stepAt(increments, second[1].max)) : startFen;
  return { userId: first[0], priceFen: Math.max(startFen, first[1].firm, Math.min(first[1].max, competing)) };
}
