import { sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { phaseOf } from './service.ts';

export type CampaignStatistics = {
  id: string;
  name: string;
  phase: ReturnType<typeof phaseOf>;
  warmupAt: string | null;
  startsAt: string;
  endsAt: string;
  brands: number;
  sessions: number;
  /** Sessions of the campaign that went live (live now or ended). */
  livesHeld: number;
  /** New-product launches (首发) whose launch live is one of the campaign's sessions. */
  launches: number;
  presales: number;
  auctions: number;
  /** The leaderboard's rule over every order (docs/CAMPAIGNS.md): paid in the window, in one of its lives or with one of its coupons, less refunds, plus the subsidy on what was not refunded. */
  gmvFen: number;
  orders: number;
  /** What the platform paid of shared coupons' discounts on those orders (before refunds). */
  subsidyFen: number;
};

/**
 * The commission's view of every campaign (docs/TALENT.md, 活动统计): lives, launches, GMV. Computed on
 * each request from the tables, so it agrees with the campaign's leaderboard.
 */
export async function campaignStatistics(db: Db, clock: Clock): Promise<CampaignStatistics[]> {
  const at = clock.now().toISOString();
  const campaigns = await db.selectFrom('campaigns').selectAll().orderBy('starts_at', 'desc').limit(200).execute();
  const out: CampaignStatistics[] = [];
  for (const c of campaigns) {
    const from = c.warmup_at ?? c.starts_at;
    const counts = await sql<{ brands: number; sessions: number; held: number; launches: number; presales: number; auctions: number }>`
      select
        (select count(*) from campaign_brands where campaign_id = ${c.id} and status = 'approved') as brands,
        (select count(*) from campaign_sessions where campaign_id = ${c.id}) as sessions,
        (select count(*) from campaign_sessions cs join live_sessions s on s.id = cs.session_id where cs.campaign_id = ${c.id} and s.started_at is not null) as held,
        (select count(*) from launches l where l.session_id in (select session_id from campaign_sessions where campaign_id = ${c.id})) as launches,
        (select count(*) from presales p where p.session_id in (select session_id from campaign_sessions where campaign_id = ${c.id})) as presales,
        (select count(*) from auctions a where a.session_id in (select session_id from campaign_sessions where campaign_id = ${c.id})) as auctions`.execute(db);
    const money = await sql<{ gmv_fen: number; orders: number; subsidy_fen: number }>`
      select
        cast(coalesce(sum(o.total_fen - o.refunded_fen + case when o.total_fen > 0 then o.subsidy_fen * (o.total_fen - o.refunded_fen) / o.total_fen else 0 end), 0) as bigint) as gmv_fen,
        count(*) as orders,
        cast(coalesce(sum(o.subsidy_fen), 0) as bigint) as subsidy_fen
      from orders o
      join campaign_brands cb on cb.brand_org_id = o.brand_org_id and cb.campaign_id = ${c.id} and cb.status = 'approved'
      where o.paid_at is not null and o.paid_at >= ${from} and o.paid_at < ${c.ends_at}
        and (o.session_id in (select session_id from campaign_sessions where campaign_id = ${c.id})
          or o.user_coupon_id in (select uc.id from user_coupons uc join coupons k on k.id = uc.coupon_id where k.campaign_id = ${c.id}))`.execute(db);
    const n = counts.rows[0]!;
    const m = money.rows[0]!;
    out.push({
      id: c.id,
      name: c.name,
      phase: phaseOf(c, at),
      warmupAt: c.warmup_at,
      startsAt: c.starts_at,
      endsAt: c.ends_at,
      brands: Number(n.brands),
      sessions: Number(n.sessions),
      livesHeld: Number(n.held),
      launches: Number(n.launches),
      presales: Number(n.presales),
      auctions: Number(n.auctions),
      gmvFen: Number(m.gmv_fen),
      orders: Number(m.orders),
      subsidyFen: Number(m.subsidy_fen),
    });
  }
  return out;
}
