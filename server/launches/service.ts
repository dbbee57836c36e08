import type { AuthUser } from '../accounts/service.ts';
import type { createCommerce } from '../commerce/index.ts';
import { flashPriceRefusal } from '../commerce/pricing.ts';
import type { Notifications } from '../notifications/index.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { LaunchesDb, LaunchesStore, LaunchLevel, LaunchRow } from './store.ts';

type Flash = ReturnType<typeof createCommerce>['flash'];

export type CreateLaunchInput = {
  productId: string;
  skuId: string;
  sessionId: string;
  level: LaunchLevel;
  title: string;
  description?: string;
  launchAt: string;
  teaserUrl?: string;
  coverUrl?: string;
  /** First-release price; the SKU's price when absent. */
  priceFen?: number;
  stock: number;
  perUserLimit: number;
  /** How long the first-release stock stays on sale from the launch. */
  durationMinutes: number;
};

export const LEVEL_NAMES: Record<LaunchLevel, { zh: string; en: string }> = {
  global: { zh: '全球首发', en: 'Global premiere' },
  asia: { zh: '亚洲首发', en: 'Asia premiere' },
  china: { zh: '中国首发', en: 'China premiere' },
  shanghai: { zh: '上海首发', en: 'Shanghai premiere' },
};

export type LaunchView = ReturnType<typeof viewOf>;

function viewOf(row: Awaited<ReturnType<LaunchesStore['launchDetails']>>[number], reservations: number, reserved: boolean | null) {
  return {
    id: row.id,
    brandOrgId: row.brand_org_id,
    brandName: row.brand_name,
    title: row.title,
    description: row.description,
    level: row.level,
    levelName: LEVEL_NAMES[row.level],
    launchAt: row.launch_at,
    teaserUrl: row.teaser_url,
    coverUrl: row.cover_url ?? (JSON.parse(row.product_images) as string[])[0] ?? null,
    product: { id: row.product_id, title: row.product_title, skuId: row.sku_id, spec: JSON.parse(row.sku_spec) as Record<string, string>, priceFen: row.sku_price_fen },
    session: { id: row.session_id, title: row.session_title, status: row.session_status, scheduledAt: row.session_scheduled_at, streamerId: row.streamer_id },
    firstRelease: { flashSaleId: row.flash_sale_id, priceFen: row.first_price_fen, stock: row.first_stock, remaining: row.first_remaining, perUserLimit: row.per_user_limit, endsAt: row.sale_ends_at },
    reservations,
    /** null when nobody is logged in. */
    reserved,
  };
}

/**
 * Launches (首发): a brand announces a product's first release with a level, a date and the live it
 * happens in; the first-release stock is a flash sale of the launch's SKU in that live, starting at
 * the launch (server/commerce/flash.ts: per-buyer limit, never oversold). Viewers reserve launches
 * and scheduled lives; the reminders are queued by reminders.ts.
 */
export function createLaunchesService(deps: { db: LaunchesDb; store: LaunchesStore; clock: Clock; flash: Flash; notifications: Notifications }) {
  const { db, store, clock, flash } = deps;
  const now = () => clock.now().toISOString();

  /** "Reserved": in the centre only (no SMS or e-mail for it), once per user and target. */
  async function confirm(userId: string, kind: 'launch' | 'live', targetId: string, title: string, startsAt: string) {
    const user = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
    const en = user?.locale === 'en';
    const when = new Date(startsAt).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    await deps.notifications.enqueue(db, {
      userId,
      kind: 'reservation.confirmed',
      dedupeKey: `reserved:${kind}:${targetId}:${userId}`,
      title: en ? `Reserved: ${title}` : `预约成功：「${title}」`,
      body: en ? `Starts ${when} (Beijing time). We will remind you before it starts.` : `${when}（北京时间）开始，开始前会提醒你。`,
      link: kind === 'launch' ? `/launches/${targetId}` : `/watch/${targetId}`,
      channels: ['site'],
    });
  }

  async function views(ids: string[], userId: string | null): Promise<LaunchView[]> {
    const rows = await store.launchDetails(ids);
    const counts = await store.reservationCounts('launch', ids);
    const mine = userId ? await store.reservedBy(userId, 'launch', ids) : null;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [viewOf(row, counts.get(id) ?? 0, mine ? mine.has(id) : null)] : [];
    });
  }

  return {
    async create(orgId: string, user: AuthUser, input: CreateLaunchInput): Promise<LaunchView> {
      const at = clock.now();
      const launchAt = new Date(input.launchAt);
      if (launchAt.getTime() <= at.getTime()) throw new AppError('LAUNCH_IN_PAST');
      const product = await db.selectFrom('products').select(['id', 'brand_org_id', 'status']).where('id', '=', input.productId).executeTakeFirst();
      if (!product || product.brand_org_id !== orgId || product.status !== 'on_sale') throw new AppError('PRODUCT_NOT_IN_BRAND', { productId: input.productId });
      await requireApprovedBrands(db, [orgId]);
      const sku = await db.selectFrom('skus').select(['id', 'price_fen']).where('id', '=', input.skuId).where('product_id', '=', product.id).executeTakeFirst();
      if (!sku) throw new AppError('SKU_NOT_FOUND');
      // The flash sale would refuse it too, but only after the product was put in the live's 小黄车.
      const aboveSkuPrice = flashPriceRefusal(input.priceFen ?? sku.price_fen, sku.price_fen);
      if (aboveSkuPrice) throw new AppError(aboveSkuPrice.refused, aboveSkuPrice.params);
      const session = await store.session(input.sessionId);
      if (!session || session.brand_org_id !== orgId) throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (session.status !== 'scheduled' || Date.parse(session.scheduled_at) > launchAt.getTime()) throw new AppError('LAUNCH_SESSION_INVALID');
      // The launch's product is put in the live's 小黄车 (at the end) if the streamer has not already.
      const listed = await db.selectFrom('session_products').select('product_id').where('session_id', '=', session.id).where('product_id', '=', product.id).executeTakeFirst();
      if (!listed) {
        const last = await db.selectFrom('session_products').select((eb) => eb.fn.max<number>('link').as('link')).where('session_id', '=', session.id).executeTakeFirst();
        await db
          .insertInto('session_products')
          .values({ session_id: session.id, product_id: product.id, link: Number(last?.link ?? 0) + 1, live_prices: '{}', added_at: now(), commission_bps: 0 })
          .onConflict((oc) => oc.columns(['session_id', 'product_id']).doNothing())
          .execute();
      }
      // The first-release stock: a flash sale created on the live's behalf (the brand owns the live).
      const streamer = await db.selectFrom('users').select(['id', 'display_name', 'platform_role', 'locale']).where('id', '=', session.streamer_id).executeTakeFirstOrThrow();
      const onBehalf: AuthUser = { id: streamer.id, displayName: streamer.display_name, platformRole: streamer.platform_role, locale: streamer.locale, sessionId: '' };
      const sale = await flash.create(session.id, onBehalf, {
        skuId: sku.id,
        priceFen: input.priceFen ?? sku.price_fen,
        stock: input.stock,
        perUserLimit: input.perUserLimit,
        startsInSeconds: (launchAt.getTime() - at.getTime()) / 1000,
        durationSeconds: input.durationMinutes * 60,
      });
      const row: LaunchRow = {
        id: newId(),
        brand_org_id: orgId,
        product_id: product.id,
        sku_id: sku.id,
        session_id: session.id,
        level: input.level,
        title: input.title,
        description: input.description ?? '',
        launch_at: launchAt.toISOString(),
        teaser_url: input.teaserUrl ?? null,
        cover_url: input.coverUrl ?? null,
        flash_sale_id: sale.id,
        created_by: user.id,
        created_at: now(),
      };
      await store.insertLaunch(row);
      return (await views([row.id], null))[0]!;
    },

    async get(id: string, userId: string | null): Promise<LaunchView> {
      const [view] = await views([id], userId);
      if (!view) throw new AppError('LAUNCH_NOT_FOUND');
      return view;
    },

    /** Launches still to come, and those started in the last day (their stock may still be on sale). */
    async upcoming(userId: string | null, limit = 50) {
      const from = new Date(clock.now().getTime() - 24 * 3600_000).toISOString();
      return views(await store.upcomingIds(from, limit), userId);
    },

    async forBrand(orgId: string) {
      return views(await store.brandIds(orgId), null);
    },

    /** The brand's lives on air or scheduled, oldest first: what a launch or an auction can be held in. */
    async brandLives(orgId: string) {
      return (await store.brandLives(orgId)).map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        scheduledAt: r.scheduled_at,
        startedAt: r.started_at,
        streamer: { id: r.streamer_id, displayName: r.display_name },
      }));
    },

    async reserveLaunch(userId: string, launchId: string) {
      const launch = await store.launch(launchId);
      if (!launch) throw new AppError('LAUNCH_NOT_FOUND');
      if (Date.parse(launch.launch_at) <= clock.now().getTime()) throw new AppError('RESERVATION_CLOSED');
      if (!(await store.reserve({ id: newId(), user_id: userId, target_kind: 'launch', target_id: launchId, created_at: now() }))) throw new AppError('RESERVATION_EXISTS');
      await confirm(userId, 'launch', launchId, launch.title, launch.launch_at);
      return { targetKind: 'launch' as const, targetId: launchId, startsAt: launch.launch_at };
    },

    async reserveLive(userId: string, sessionId: string) {
      const session = await store.session(sessionId);
      if (!session) throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (session.status !== 'scheduled' || Date.parse(session.scheduled_at) <= clock.now().getTime()) throw new AppError('RESERVATION_CLOSED');
      if (!(await store.reserve({ id: newId(), user_id: userId, target_kind: 'live', target_id: sessionId, created_at: now() }))) throw new AppError('RESERVATION_EXISTS');
      await confirm(userId, 'live', sessionId, session.title, session.scheduled_at);
      return { targetKind: 'live' as const, targetId: sessionId, startsAt: session.scheduled_at };
    },

    async cancel(userId: string, kind: 'launch' | 'live', targetId: string) {
      if (!(await store.cancel(userId, kind, targetId))) throw new AppError('RESERVATION_NOT_FOUND');
    },

    /** My reservations with what they are for. */
    async mine(userId: string) {
      const rows = await store.mine(userId);
      const launches = await views(rows.filter((r) => r.target_kind === 'launch').map((r) => r.target_id), userId);
      const lives = await store.sessionsByIds(rows.filter((r) => r.target_kind === 'live').map((r) => r.target_id));
      return {
        launches,
        lives: lives.map((s) => ({ id: s.id, title: s.title, status: s.status, scheduledAt: s.scheduled_at })),
      };
    },

    async liveReservation(userId: string | null, sessionId: string) {
      const counts = await store.reservationCounts('live', [sessionId]);
      const mine = userId ? await store.reservedBy(userId, 'live', [sessionId]) : null;
      return { reservations: counts.get(sessionId) ?? 0, reserved: mine ? mine.has(sessionId) : null };
    },
  };
}

export type LaunchesService = ReturnType<typeof createLaunchesService>;
