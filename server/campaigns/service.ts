import { sql } from 'kysely';
import type { AuthUser } from '../accounts/service.ts';
import type { Shop } from '../commerce/shop.ts';
import { couponView } from '../commerce/shop.ts';
import type { Clock } from '../platform/clock.ts';
import { cached } from '../platform/cache.ts';
import type { Db } from '../platform/db.ts';
import type { CampaignsTable, CouponsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { CampaignCouponInput, CreateCampaignInput } from './schema.ts';

/** How long a node reuses a campaign's leaderboard (the page polls every 2 s): rule 6 of docs/CAMPAIGNS.md. */
export const LEADERBOARD_TTL_MS = 1000;
/** Rows per board. */
const BOARD_SIZE = 20;

export type CampaignsDeps = {
  db: Db;
  clock: Clock;
  shop: Shop;
  /** Online viewers of a live session (the room's counts). */
  viewers: (sessionId: string) => Promise<number>;
};

export type Phase = 'upcoming' | 'warmup' | 'running' | 'ended';

export function phaseOf(c: Pick<CampaignsTable, 'warmup_at' | 'starts_at' | 'ends_at'>, at: string): Phase {
  if (at >= c.ends_at) return 'ended';
  if (at >= c.starts_at) return 'running';
  if (c.warmup_at && at >= c.warmup_at) return 'warmup';
  return 'upcoming';
}

function campaignView(c: CampaignsTable, at: string) {
  return {
    id: c.id,
    name: c.name,
    theme: c.theme,
    bannerUrl: c.banner_url,
    coverUrl: c.cover_url,
    warmupAt: c.warmup_at,
    startsAt: c.starts_at,
    endsAt: c.ends_at,
    phase: phaseOf(c, at),
    createdAt: c.created_at,
  };
}

const iso = (v: string) => new Date(v).toISOString();

export function createCampaigns(deps: CampaignsDeps) {
  const { db, clock, shop } = deps;
  const now = () => clock.now().toISOString();
  const boards = cached<Leaderboard>(LEADERBOARD_TTL_MS);

  async function row(id: string) {
    const c = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw new AppError('CAMPAIGN_NOT_FOUND');
    return c;
  }
  async function open(id: string) {
    const c = await row(id);
    if (now() >= c.ends_at) throw new AppError('CAMPAIGN_ENDED');
    return c;
  }
  async function approvedBrand(orgId: string) {
    const org = await db.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', orgId).executeTakeFirst();
    if (!org || org.kind !== 'brand' || org.status !== 'approved') throw new AppError('CAMPAIGN_BRAND_NOT_FOUND', { brandOrgId: orgId });
  }
  async function brandIn(campaignId: string, brandOrgId: string) {
    const r = await db.selectFrom('campaign_brands').select('status').where('campaign_id', '=', campaignId).where('brand_org_id', '=', brandOrgId).executeTakeFirst();
    return r?.status === 'approved';
  }

  async function addSessionRow(campaignId: string, sessionId: string, asBrand?: string) {
    const s = await db.selectFrom('live_sessions').select(['id', 'brand_org_id', 'status']).where('id', '=', sessionId).executeTakeFirst();
    // A brand adds only its own lives: another brand's looks missing.
    if (!s || (asBrand && s.brand_org_id !== asBrand)) throw new AppError('CAMPAIGN_SESSION_NOT_FOUND');
    if (s.brand_org_id && !(await brandIn(campaignId, s.brand_org_id))) throw new AppError('CAMPAIGN_SESSION_BRAND_NOT_IN');
    const inserted = await db.insertInto('campaign_sessions').values({ campaign_id: campaignId, session_id: sessionId, added_at: now() }).onConflict((oc) => oc.doNothing()).returning('session_id').executeTakeFirst();
    if (!inserted) throw new AppError('CAMPAIGN_SESSION_EXISTS');
    boards.forget(campaignId);
  }

  async function sessions(campaignId: string) {
    const rows = await db
      .selectFrom('campaign_sessions')
      .innerJoin('live_sessions', 'live_sessions.id', 'campaign_sessions.session_id')
      .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
      .leftJoin('organisations', 'organisations.id', 'live_sessions.brand_org_id')
      .select([
        'live_sessions.id',
        'live_sessions.title',
        'live_sessions.status',
        'live_sessions.scheduled_at',
        'live_sessions.started_at',
        'live_sessions.ended_at',
        'live_sessions.cover_url',
        'live_sessions.streamer_id',
        'users.display_name as streamer_name',
        'live_sessions.brand_org_id',
        'organisations.name as brand_name',
      ])
      .where('campaign_sessions.campaign_id', '=', campaignId)
      .orderBy('live_sessions.scheduled_at')
      .execute();
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        scheduledAt: r.scheduled_at,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        coverUrl: r.cover_url,
        viewers: r.status === 'live' ? await deps.viewers(r.id) : null,
        streamer: { id: r.streamer_id, displayName: r.streamer_name },
        brand: r.brand_org_id ? { id: r.brand_org_id, name: r.brand_name ?? '' } : null,
      })),
    );
  }

  async function brands(campaignId: string, status?: 'applied' | 'approved' | 'rejected') {
    let q = db
      .selectFrom('campaign_brands')
      .innerJoin('organisations', 'organisations.id', 'campaign_brands.brand_org_id')
      .select(['campaign_brands.brand_org_id', 'organisations.name', 'campaign_brands.status', 'campaign_brands.note', 'campaign_brands.created_at', 'campaign_brands.decided_at'])
      .where('campaign_brands.campaign_id', '=', campaignId);
    if (status) q = q.where('campaign_brands.status', '=', status);
    const rows = await q.orderBy('campaign_brands.created_at').execute();
    return rows.map((r) => ({ id: r.brand_org_id, name: r.name, status: r.status, note: r.note, appliedAt: r.created_at, decidedAt: r.decided_at }));
  }

  async function coupons(campaignId: string) {
    const rows = await db.selectFrom('coupons').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at').execute();
    return rows.map((c) => couponView(c));
  }

  /**
   * GMV by session and by brand (docs/CAMPAIGNS.md rule 5): orders paid within the campaign's window
   * (from its warm-up) that were placed in one of its sessions or used one of its coupons; each counts
   * total − refunded, plus the platform's subsidy on what was not refunded.
   */
  async function computeBoard(campaignId: string): Promise<Leaderboard> {
    const c = await row(campaignId);
    const from = c.warmup_at ?? c.starts_at;
    const gmv = sql<number>`cast(coalesce(sum(o.total_fen - o.refunded_fen + case when o.total_fen > 0 then o.subsidy_fen * (o.total_fen - o.refunded_fen) / o.total_fen else 0 end), 0) as bigint)`;
    const attributed = sql`o.paid_at is not null and o.paid_at >= ${from} and o.paid_at < ${c.ends_at}`;
    const bySession = await sql<{ session_id: string; title: string; streamer_name: string; gmv_fen: number; orders: number }>`
      select o.session_id, s.title, u.display_name as streamer_name, ${gmv} as gmv_fen, count(*) as orders
      from orders o
      join campaign_sessions cs on cs.session_id = o.session_id and cs.campaign_id = ${campaignId}
      join live_sessions s on s.id = o.session_id
      join users u on u.id = s.streamer_id
      where ${attributed}
      group by o.session_id, s.title, u.display_name
      order by gmv_fen desc, o.session_id
      limit ${BOARD_SIZE}`.execute(db);
    const byBrand = await sql<{ brand_org_id: string; name: string; gmv_fen: number; orders: number }>`
      select o.brand_org_id, g.name, ${gmv} as gmv_fen, count(*) as orders
      from orders o
      join campaign_brands cb on cb.brand_org_id = o.brand_org_id and cb.campaign_id = ${campaignId} and cb.status = 'approved'
      join organisations g on g.id = o.brand_org_id
      where ${attributed}
        and (o.session_id in (select session_id from campaign_sessions where campaign_id = ${campaignId})
          or o.user_coupon_id in (select uc.id from user_coupons uc join coupons k on k.id = uc.coupon_id where k.campaign_id = ${campaignId}))
      group by o.brand_org_id, g.name
      order by gmv_fen desc, o.brand_org_id
      limit ${BOARD_SIZE}`.execute(db);
    return {
      at: now(),
      sessions: bySession.rows.map((r, i) => ({ rank: i + 1, sessionId: r.session_id, title: r.title, streamer: r.streamer_name, gmvFen: Number(r.gmv_fen), orders: Number(r.orders) })),
      brands: byBrand.rows.map((r, i) => ({ rank: i + 1, brandOrgId: r.brand_org_id, name: r.name, gmvFen: Number(r.gmv_fen), orders: Number(r.orders) })),
    };
  }

  const leaderboard = (campaignId: string) => boards.get(campaignId, computeBoard);

  return {
    /** For checkout (commerce.orders.setCampaignScope): a campaign's coupon covers its approved brands. */
    brandIn,
    leaderboard,
    phaseOf,

    async create(user: AuthUser, input: CreateCampaignInput) {
      const startsAt = iso(input.startsAt);
      const endsAt = iso(input.endsAt);
      const warmupAt = input.warmupAt ? iso(input.warmupAt) : null;
      if (endsAt <= startsAt || (warmupAt !== null && warmupAt >= startsAt)) throw new AppError('CAMPAIGN_DATES_INVALID');
      if (endsAt <= now()) throw new AppError('CAMPAIGN_DATES_INVALID');
      for (const orgId of new Set(input.brandOrgIds ?? [])) await approvedBrand(orgId);
      const c: CampaignsTable = { id: newId(), name: input.name, theme: input.theme, banner_url: input.bannerUrl ?? null, cover_url: input.coverUrl ?? null, warmup_at: warmupAt, starts_at: startsAt, ends_at: endsAt, created_by: user.id, created_at: now() };
      const sessionIds = [...new Set(input.sessionIds ?? [])];
      if (sessionIds.length) {
        const found = await db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('id', 'in', sessionIds).execute();
        const missing = sessionIds.find((id) => !found.some((f) => f.id === id));
        if (missing) throw new AppError('CAMPAIGN_SESSION_NOT_FOUND');
        const brandsIn = new Set(input.brandOrgIds ?? []);
        if (found.some((f) => f.brand_org_id && !brandsIn.has(f.brand_org_id))) throw new AppError('CAMPAIGN_SESSION_BRAND_NOT_IN');
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('campaigns').values(c).execute();
        const brandIds = [...new Set(input.brandOrgIds ?? [])];
        if (brandIds.length)
          await trx.insertInto('campaign_brands').values(brandIds.map((b) => ({ campaign_id: c.id, brand_org_id: b, status: 'approved' as const, note: null, applied_by: null, decided_by: user.id, created_at: c.created_at, decided_at: c.created_at }))).execute();
        if (sessionIds.length) await trx.insertInto('campaign_sessions').values(sessionIds.map((s) => ({ campaign_id: c.id, session_id: s, added_at: c.created_at }))).execute();
      });
      return campaignView(c, now());
    },

    /** Campaigns not ended (warm-up, running, upcoming), soonest first; `all` adds the ended ones (operators). */
    async list(all = false) {
      const at = now();
      let q = db.selectFrom('campaigns').selectAll();
      if (!all) q = q.where('ends_at', '>', at);
      const rows = await q.orderBy('starts_at').limit(100).execute();
      return rows.map((c) => campaignView(c, at));
    },

    /** The landing page: the campaign, what is live now and next, its brands, coupons (with mine) and the leaderboard. */
    async landing(campaignId: string, user: AuthUser | null) {
      const c = await row(campaignId);
      const at = now();
      const [list, brandList, couponList, board] = await Promise.all([sessions(campaignId), brands(campaignId, 'approved'), coupons(campaignId), leaderboard(campaignId)]);
      let mine = new Map<string, number>();
      if (user && couponList.length) {
        const held = await db
          .selectFrom('user_coupons')
          .select(['coupon_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('user_id', '=', user.id)
          .where('coupon_id', 'in', couponList.map((k) => k.id))
          .groupBy('coupon_id')
          .execute();
        mine = new Map(held.map((h) => [h.coupon_id, Number(h.n)]));
      }
      return {
        campaign: campaignView(c, at),
        now: at,
        live: list.filter((s) => s.status === 'live'),
        next: list.filter((s) => s.status === 'scheduled'),
        ended: list.filter((s) => s.status === 'ended'),
        brands: brandList.map(({ id, name }) => ({ id, name })),
        coupons: couponList.map((k) => ({ ...k, claimed: mine.get(k.id) ?? 0 })),
        leaderboard: board,
      };
    },

    /** The operator's view: every brand with its status, and every session. */
    async admin(campaignId: string) {
      const c = await row(campaignId);
      return { campaign: campaignView(c, now()), brands: await brands(campaignId), sessions: await sessions(campaignId), coupons: await coupons(campaignId) };
    },

    async addBrand(user: AuthUser, campaignId: string, brandOrgId: string) {
      await open(campaignId);
      await approvedBrand(brandOrgId);
      const at = now();
      const existing = await db.selectFrom('campaign_brands').select('status').where('campaign_id', '=', campaignId).where('brand_org_id', '=', brandOrgId).executeTakeFirst();
      if (existing?.status === 'approved') throw new AppError('CAMPAIGN_BRAND_EXISTS');
      if (existing) await db.updateTable('campaign_brands').set({ status: 'approved', decided_by: user.id, decided_at: at }).where('campaign_id', '=', campaignId).where('brand_org_id', '=', brandOrgId).execute();
      else await db.insertInto('campaign_brands').values({ campaign_id: campaignId, brand_org_id: brandOrgId, status: 'approved', note: null, applied_by: null, decided_by: user.id, created_at: at, decided_at: at }).execute();
      boards.forget(campaignId);
      return brands(campaignId);
    },

    /** A brand applies to join (its owner or admin); an operator decides. A rejected brand may apply again. */
    async apply(user: AuthUser, orgId: string, campaignId: string, note?: string) {
      await open(campaignId);
      await approvedBrand(orgId);
      const at = now();
      const existing = await db.selectFrom('campaign_brands').select('status').where('campaign_id', '=', campaignId).where('brand_org_id', '=', orgId).executeTakeFirst();
      if (existing && existing.status !== 'rejected') throw new AppError('CAMPAIGN_BRAND_EXISTS');
      if (existing) {
        await db.updateTable('campaign_brands').set({ status: 'applied', note: note ?? null, applied_by: user.id, decided_by: null, decided_at: null, created_at: at }).where('campaign_id', '=', campaignId).where('brand_org_id', '=', orgId).where('status', '=', 'rejected').execute();
      } else {
        await db.insertInto('campaign_brands').values({ campaign_id: campaignId, brand_org_id: orgId, status: 'applied', note: note ?? null, applied_by: user.id, decided_by: null, created_at: at, decided_at: null }).execute();
      }
      return { status: 'applied' as const };
    },

    async decide(user: AuthUser, campaignId: string, orgId: string, approve: boolean) {
      await open(campaignId);
      const updated = await db
        .updateTable('campaign_brands')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: user.id, decided_at: now() })
        .where('campaign_id', '=', campaignId)
        .where('brand_org_id', '=', orgId)
        .where('status', '=', 'applied')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CAMPAIGN_APPLICATION_NOT_FOUND');
      boards.forget(campaignId);
      return brands(campaignId);
    },

    /** A brand's own campaigns: the ones it applied to or joined, and those open to apply to. */
    async forBrand(orgId: string) {
      const at = now();
      const rows = await db.selectFrom('campaigns').selectAll().where('ends_at', '>', at).orderBy('starts_at').limit(100).execute();
      const mine = await db.selectFrom('campaign_brands').select(['campaign_id', 'status']).where('brand_org_id', '=', orgId).execute();
      return rows.map((c) => ({ ...campaignView(c, at), status: mine.find((m) => m.campaign_id === c.id)?.status ?? null }));
    },

    async addSession(campaignId: string, sessionId: string, asBrand?: string) {
      await open(campaignId);
      if (asBrand && !(await brandIn(campaignId, asBrand))) throw new AppError('CAMPAIGN_SESSION_BRAND_NOT_IN');
      await addSessionRow(campaignId, sessionId, asBrand);
      return sessions(campaignId);
    },

    /** A shared coupon of the campaign, paid by the platform: valid within the campaign (from its warm-up). */
    async createCoupon(campaignId: string, input: CampaignCouponInput) {
      const c = await open(campaignId);
      const from = c.warmup_at ?? c.starts_at;
      const startsAt = input.startsAt ? iso(input.startsAt) : from;
      const endsAt = input.endsAt ? iso(input.endsAt) : c.ends_at;
      if (startsAt < from || endsAt > c.ends_at || endsAt <= startsAt) throw new AppError('CAMPAIGN_COUPON_OUTSIDE_DATES', { from, to: c.ends_at });
      const k: CouponsTable = {
        id: newId(),
        brand_org_id: null,
        campaign_id: campaignId,
        session_id: null,
        drop_id: null,
        title: input.title,
        kind: input.kind,
        amount_off_fen: input.amountOffFen ?? null,
        threshold_fen: input.kind === 'threshold' ? (input.thresholdFen ?? null) : null,
        percent_off: input.kind === 'percent' ? (input.percentOff ?? null) : null,
        cap_fen: input.capFen ?? null,
        scope: 'brand',
        product_ids: '[]',
        starts_at: startsAt,
        ends_at: endsAt,
        per_user_limit: input.perUserLimit,
        total: input.total,
        issued: 0,
        created_at: now(),
      };
      await db.insertInto('coupons').values(k).execute();
      return couponView(k);
    },

    /** Claims a shared coupon: from its start (the warm-up), within its total and per-user limit (shop.claimCoupon). */
    async claim(user: AuthUser, campaignId: string, couponId: string) {
      await row(campaignId);
      const k = await db.selectFrom('coupons').select(['id', 'campaign_id', 'starts_at']).where('id', '=', couponId).executeTakeFirst();
      if (!k || k.campaign_id !== campaignId) throw new AppError('COUPON_NOT_FOUND');
      if (k.starts_at > now()) throw new AppError('CAMPAIGN_COUPON_NOT_OPEN', { startsAt: k.starts_at });
      return shop.claimCoupon(user.id, couponId);
    },
  };
}

export type Leaderboard = {
  at: string;
  sessions: { rank: number; sessionId: string; title: string; streamer: string; gmvFen: number; orders: number }[];
  brands: { rank: number; brandOrgId: string; name: string; gmvFen: number; orders: number }[];
};

export type Campaigns = ReturnType<typeof createCampaigns>;
