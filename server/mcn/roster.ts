import { sql } from 'kysely';
import { toSummary, type LiveStore } from '../live/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { parseRights } from './rights.ts';
import { contractWindow, inForceAt, overlaps, type Window } from './window.ts';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const TREND_WEEKS = 8;
export const CALENDAR_MAX_DAYS = 92;

type Signed = {
  id: string;
  displayName: string;
  /** The earliest moment any contract with this MCN was in force: figures count from here. */
  since: string;
  contract: { id: string; splitBps: number; exclusive: boolean; rights: ReturnType<typeof parseRights>; startsAt: string; endsAt: string | null; terminatedAt: string | null; state: 'active' | 'upcoming' };
  windows: Window[];
};

/**
 * The MCN's roster and calendar (docs/MCN.md). Every figure is about the MCN's own streamers and,
 * for each, only from the time they first signed with it: what a streamer did before, or for another
 * MCN, is not this MCN's to see. Money is integer fen.
 */
export function createRoster(deps: { db: Db; clock: Clock; liveStore: LiveStore }) {
  const { db, clock, liveStore } = deps;

  /** Streamers with a contract in force now or accepted to begin later; with their current (or next) contract. */
  async function signedStreamers(mcnOrgId: string, at: string): Promise<Signed[]> {
    const rows = await db
      .selectFrom('mcn_contracts')
      .innerJoin('users', 'users.id', 'mcn_contracts.streamer_id')
      .selectAll('mcn_contracts')
      .select('users.display_name')
      .where('mcn_contracts.mcn_org_id', '=', mcnOrgId)
      .where('mcn_contracts.status', 'in', ['accepted', 'terminated'])
      .orderBy('mcn_contracts.starts_at')
      .execute();
    const byStreamer = new Map<string, Signed>();
    const windows = new Map<string, Window[]>();
    for (const row of rows) {
      const w = contractWindow(row);
      if (!w) continue;
      windows.set(row.streamer_id, [...(windows.get(row.streamer_id) ?? []), w]);
      const current = inForceAt(row, at);
      const upcoming = at < w.from;
      if (!current && !upcoming) continue;
      const existing = byStreamer.get(row.streamer_id);
      // In force beats upcoming; of two upcoming, the sooner.
      if (existing && (existing.contract.state === 'active' || (!current && existing.contract.startsAt <= row.starts_at))) continue;
      byStreamer.set(row.streamer_id, {
        id: row.streamer_id,
        displayName: row.display_name,
        since: '',
        windows: [],
        contract: {
          id: row.id,
          splitBps: row.split_bps,
          exclusive: row.exclusive === 1,
          rights: parseRights(row.rights),
          startsAt: row.starts_at,
          endsAt: row.ends_at,
          terminatedAt: row.terminated_at,
          state: current ? 'active' : 'upcoming',
        },
      });
    }
    for (const s of byStreamer.values()) {
      s.windows = windows.get(s.id)!;
      s.since = s.windows.reduce((min, w) => (w.from < min ? w.from : min), s.windows[0]!.from);
    }
    return [...byStreamer.values()].sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
  }

  return {
    /**
     * Each signed streamer: their contract, sessions, GMV (paid minus refunded, of orders from their
     * sessions), followers, settled earnings under this MCN (the streamer's part only with the
     * 'view_earnings' right; the MCN's share always, it is the MCN's own money) and an 8-week trend.
     */
    async roster(mcnOrgId: string) {
      const nowMs = clock.now().getTime();
      const at = new Date(nowMs).toISOString();
      const signed = await signedStreamers(mcnOrgId, at);
      // Weeks end at the next full hour: the last is the 7 days up to it, the others the 7 days before each.
      const trendEnd = Math.floor(nowMs / HOUR) * HOUR + HOUR;
      const trendStart = new Date(trendEnd - TREND_WEEKS * WEEK).toISOString();
      const ids = signed.map((s) => s.id);
      const stats = new Map(ids.map((id) => [id, { sessions: { total: 0, scheduled: 0, live: 0, ended: 0 }, orders: 0, gmvFen: 0, followers: 0, mcnShareFen: 0, streamerFen: 0, weeks: new Array<number>(TREND_WEEKS).fill(0) }]));
      if (ids.length) {
        const sinceFor = (column: 'live_sessions.scheduled_at' | 'orders.paid_at') =>
          sql<boolean>`(${sql.join(signed.map((s) => sql`(live_sessions.streamer_id = ${s.id} and ${sql.ref(column)} >= ${s.since})`), sql` or `)})`;
        const sessions = await db
          .selectFrom('live_sessions')
          .select(['live_sessions.streamer_id', 'live_sessions.status', (eb) => eb.fn.countAll<number>().as('n')])
          .where(sinceFor('live_sessions.scheduled_at'))
          .where('live_sessions.mode', '=', 'public')
          .groupBy(['live_sessions.streamer_id', 'live_sessions.status'])
          .execute();
        for (const r of sessions) {
          const s = stats.get(r.streamer_id)!;
          s.sessions[r.status] += Number(r.n);
          s.sessions.total += Number(r.n);
        }
        const paidOrders = () =>
          db
            .selectFrom('orders')
            .innerJoin('live_sessions', 'live_sessions.id', 'orders.session_id')
            .where('orders.paid_at', 'is not', null)
            .where(sinceFor('orders.paid_at'));
        const gmv = await paidOrders()
          .select(['live_sessions.streamer_id', sql<number>`sum(orders.total_fen - orders.refunded_fen)`.as('fen'), (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('live_sessions.streamer_id')
          .execute();
        for (const r of gmv) Object.assign(stats.get(r.streamer_id)!, { gmvFen: Number(r.fen), orders: Number(r.n) });
        // By hour (the paid_at text up to the hour), then into weeks here: the same SQL on both databases.
        const hours = await paidOrders()
          .where('orders.paid_at', '>=', trendStart)
          .select(['live_sessions.streamer_id', sql<string>`substr(orders.paid_at, 1, 13)`.as('hour'), sql<number>`sum(orders.total_fen - orders.refunded_fen)`.as('fen')])
          .groupBy(['live_sessions.streamer_id', sql`substr(orders.paid_at, 1, 13)`])
          .execute();
        for (const r of hours) {
          const weeksAgo = Math.floor((trendEnd - 1 - Date.parse(`${r.hour}:00:00.000Z`)) / WEEK);
          if (weeksAgo >= 0 && weeksAgo < TREND_WEEKS) stats.get(r.streamer_id)!.weeks[TREND_WEEKS - 1 - weeksAgo]! += Number(r.fen);
        }
        const followers = await db
          .selectFrom('follows')
          .select(['streamer_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('streamer_id', 'in', ids)
          .groupBy('streamer_id')
          .execute();
        for (const r of followers) stats.get(r.streamer_id)!.followers = Number(r.n);
        // Settled money of orders split with this MCN: the streamer's part and the MCN's, net of clawbacks.
        const mcnAccount = `mcn:${mcnOrgId}`;
        const earnings = await db
          .selectFrom('ledger_postings')
          .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_postings.transfer_id')
          .innerJoin('ledger_orders', 'ledger_orders.order_id', 'ledger_transfers.order_id')
          .select(['ledger_orders.streamer_id', 'ledger_postings.account_id', sql<number>`sum(ledger_postings.amount_fen)`.as('fen')])
          .where('ledger_orders.mcn_org_id', '=', mcnOrgId)
          .where('ledger_orders.streamer_id', 'in', ids)
          .where('ledger_postings.account_id', 'in', [mcnAccount, ...ids.map((id) => `streamer:${id}`)])
          .groupBy(['ledger_orders.streamer_id', 'ledger_postings.account_id'])
          .execute();
        for (const r of earnings) {
          const s = r.streamer_id ? stats.get(r.streamer_id) : undefined;
          if (!s) continue;
          if (r.account_id === mcnAccount) s.mcnShareFen += Number(r.fen);
          else s.streamerFen += Number(r.fen);
        }
      }
      const streamers = signed.map((s) => {
        const st = stats.get(s.id)!;
        const seesEarnings = s.contract.rights.includes('view_earnings');
        const last = st.weeks[TREND_WEEKS - 1]!;
        const previous = st.weeks[TREND_WEEKS - 2]!;
        return {
          streamer: { id: s.id, displayName: s.displayName },
          contract: s.contract,
          signedSince: s.since,
          sessions: st.sessions,
          orders: st.orders,
          gmvFen: st.gmvFen,
          followers: st.followers,
          earnings: {
            mcnShareFen: st.mcnShareFen,
            streamerFen: seesEarnings ? st.streamerFen : null,
            commissionFen: seesEarnings ? st.streamerFen + st.mcnShareFen : null,
          },
          trend: {
            weeks: st.weeks.map((gmvFen, i) => ({
              from: new Date(trendEnd - (TREND_WEEKS - i) * WEEK).toISOString(),
              to: new Date(trendEnd - (TREND_WEEKS - 1 - i) * WEEK).toISOString(),
              gmvFen,
            })),
            last7DaysFen: last,
            previous7DaysFen: previous,
            // Change of the last 7 days against the 7 before, in basis points; null when there was nothing before.
            changeBps: previous === 0 ? null : Math.round(((last - previous) * 10_000) / previous),
          },
        };
      });
      return {
        streamers,
        totals: {
          streamers: streamers.length,
          gmvFen: streamers.reduce((sum, s) => sum + s.gmvFen, 0),
          mcnShareFen: streamers.reduce((sum, s) => sum + s.earnings.mcnShareFen, 0),
        },
      };
    },

    /** Upcoming (and on-air) lives of the MCN's streamers in [from, to), each inside a contract's term. */
    async calendar(mcnOrgId: string, range: { from?: string; to?: string }) {
      const nowMs = clock.now().getTime();
      const from = range.from ? new Date(range.from).toISOString() : new Date(nowMs).toISOString();
      const to = range.to ? new Date(range.to).toISOString() : new Date(Date.parse(from) + 30 * 24 * HOUR).toISOString();
      if (from >= to || Date.parse(to) - Date.parse(from) > CALENDAR_MAX_DAYS * 24 * HOUR) throw new AppError('CALENDAR_PERIOD_INVALID', { maxDays: CALENDAR_MAX_DAYS });
      const rows = await db
        .selectFrom('mcn_contracts')
        .select(['streamer_id', 'status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at'])
        .where('mcn_org_id', '=', mcnOrgId)
        .where('status', 'in', ['accepted', 'terminated'])
        .execute();
      const range_: Window = { from, to };
      const contracts = rows.filter((r) => {
        const w = contractWindow(r);
        return w !== null && overlaps(w, range_);
      });
      const streamerIds = [...new Set(contracts.map((c) => c.streamer_id))];
      const sessions = await liveStore.listScheduledFor(streamerIds, ['scheduled', 'live'], from, to);
      return {
        from,
        to,
        sessions: sessions.filter((s) => contracts.some((c) => c.streamer_id === s.streamer_id && inForceAt(c, s.scheduled_at))).map(toSummary),
      };
    },
  };
}

export type Roster = ReturnType<typeof createRoster>;
