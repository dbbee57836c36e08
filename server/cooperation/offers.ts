import { sql } from 'kysely';
import { checkCommissionBps } from '../ledger/schema.ts';
import type { CooperationApplicationsTable, CooperationOffersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import { displayNames, type Actor, type Context } from './context.ts';
import type { OfferInput, OfferPatchInput, SquareSearch } from './schema.ts';

/** What the square shows of an offer's product. */
type ProductFacts = { title: string; category: string; image: string | null; priceFen: number; maxPriceFen: number; status: string; brandName: string };

export function offerView(o: CooperationOffersTable, p: ProductFacts, salesUnits: number) {
  return {
    id: o.id,
    brand: { id: o.brand_org_id, name: p.brandName },
    product: { id: o.product_id, title: p.title, category: p.category, image: p.image, priceFen: Number(p.priceFen), maxPriceFen: Number(p.maxPriceFen), onSale: p.status === 'on_sale' },
    commissionBps: o.commission_bps,
    priceFloorFen: o.price_floor_fen === null ? null : Number(o.price_floor_fen),
    samples: { available: o.samples_available === 1, depositFen: Number(o.sample_deposit_fen), maxPerStreamer: o.sample_max_per_streamer },
    requirements: { minFollowers: o.min_followers, categories: JSON.parse(o.categories) as string[] },
    note: o.note,
    status: o.status,
    salesUnits: Number(salesUnits),
    createdAt: o.created_at,
    updatedAt: o.updated_at,
  };
}
export type OfferView = ReturnType<typeof offerView>;

export function applicationView(a: CooperationApplicationsTable, names: { product?: string; streamer?: string; brand?: string } = {}) {
  return {
    id: a.id,
    offerId: a.offer_id,
    brandOrgId: a.brand_org_id,
    brandName: names.brand ?? null,
    productId: a.product_id,
    productTitle: names.product ?? null,
    streamer: { id: a.streamer_id, displayName: names.streamer ?? null },
    appliedBy: a.applied_by,
    viaMcnOrgId: a.via_mcn_org_id,
    message: a.message,
    followers: a.followers,
    status: a.status,
    commissionBps: a.commission_bps,
    reason: a.reason,
    decidedAt: a.decided_at,
    revokedAt: a.revoked_at,
    createdAt: a.created_at,
  };
}

/**
 * Where a streamer stands against offers' requirements: their followers (counted from `follows`) and
 * the product categories they have sold in their lives (paid orders, not cancelled, of any of their
 * sessions), both the full paths (`美妆/护肤`) and the top-level ones (`美妆`) shown to people.
 */
export type Standing = { followers: number; soldCategories: string[]; categories: string[] };

/** An offer category covers a product category when it is the same or above it: `食品` covers `食品/糕点` (as the square's filter). */
export const coversCategory = (offerCategory: string, productCategory: string) => productCategory === offerCategory || productCategory.startsWith(`${offerCategory}/`);

/** Whether a streamer meets an offer's requirements, requirement by requirement (an empty category list asks nothing). */
export function eligibilityOf(requirements: { minFollowers: number; categories: string[] }, s: Standing) {
  const followers = { required: requirements.minFollowers, count: s.followers, met: s.followers >= requirements.minFollowers };
  const categoriesMet = requirements.categories.length === 0 || requirements.categories.some((c) => s.soldCategories.some((sold) => coversCategory(c, sold)));
  const categories = { required: requirements.categories, streamer: s.categories, met: categoriesMet };
  return { met: followers.met && categories.met, followers, categories };
}
export type Eligibility = ReturnType<typeof eligibilityOf>;

/** Escapes LIKE wildcards (the escape character is `!`). */
const likeEscape = (v: string) => v.replace(/[!%_]/g, '!$&');

export function createOffers(ctx: Context) {
  const { db } = ctx;

  // Correlated subqueries over the offer row `o`: the product's lowest and highest SKU price, and the
  // units sold of it in paid orders (not cancelled).
  const minPrice = sql<number>`(select min(s.price_fen) from skus s where s.product_id = o.product_id)`;
  const maxPrice = sql<number>`(select max(s.price_fen) from skus s where s.product_id = o.product_id)`;
  const salesUnits = sql<number>`(select coalesce(sum(oi.quantity), 0) from order_items oi inner join orders od on od.id = oi.order_id where oi.product_id = o.product_id and od.paid_at is not null and od.status <> 'cancelled')`;

  function base() {
    return db
      .selectFrom('cooperation_offers as o')
      .innerJoin('products as p', 'p.id', 'o.product_id')
      .innerJoin('organisations as b', 'b.id', 'o.brand_org_id');
  }
  function withFacts(q: ReturnType<typeof base>) {
    return q
      .selectAll('o')
      .select(['p.title', 'p.category', 'p.images', 'p.status as product_status', 'b.name as brand_name'])
      .select([minPrice.as('price_fen'), maxPrice.as('max_price_fen'), salesUnits.as('sales_units')]);
  }
  type Row = CooperationOffersTable & { title: string; category: string; images: string; product_status: string; brand_name: string; price_fen: number; max_price_fen: number; sales_units: number };
  const toView = (r: Row) =>
    offerView(r, { title: r.title, category: r.category, image: (JSON.parse(r.images) as string[])[0] ?? null, priceFen: r.price_fen ?? 0, maxPriceFen: r.max_price_fen ?? 0, status: r.product_status, brandName: r.brand_name }, r.sales_units ?? 0);

  /** `shownTo`: only offers of approved brands (server/orgs/approval.ts), and this brand's own when one is named. */
  async function offersByIds(ids: string[], shownTo?: { brandOrgId?: string }) {
    if (!ids.length) return [];
    let q = base().where('o.id', 'in', ids);
    if (shownTo) q = q.where((eb) => (shownTo.brandOrgId ? eb.or([eb('b.status', '=', 'approved'), eb('o.brand_org_id', '=', shownTo.brandOrgId)]) : eb('b.status', '=', 'approved')));
    const rows = (await withFacts(q).execute()) as Row[];
    const byId = new Map(rows.map((r) => [r.id, toView(r)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** The streamer's standing (see Standing): one count and one distinct-category query. */
  async function standing(streamerId: string): Promise<Standing> {
    const [followers, rows] = await Promise.all([
      ctx.followerCount(streamerId),
      db
        .selectFrom('orders as od')
        .innerJoin('live_sessions as ls', 'ls.id', 'od.session_id')
        .innerJoin('order_items as oi', 'oi.order_id', 'od.id')
        .innerJoin('products as p', 'p.id', 'oi.product_id')
        .select('p.category')
        .distinct()
        .where('ls.streamer_id', '=', streamerId)
        .where('od.paid_at', 'is not', null)
        .where('od.status', '<>', 'cancelled')
        .execute(),
    ]);
    const soldCategories = rows.map((r) => r.category).sort();
    const categories = [...new Set(soldCategories.map((c) => c.split('/')[0]!))].sort();
    return { followers, soldCategories, categories };
  }

  /** The offers with the viewer's eligibility when a streamer is named (null otherwise). */
  async function withEligibility<T extends OfferView>(offers: T[], streamerId?: string) {
    const s = streamerId ? await standing(streamerId) : null;
    return offers.map((o) => ({ ...o, eligibility: s ? eligibilityOf(o.requirements, s) : null }));
  }

  async function offerRow(id: string) {
    const row = await db.selectFrom('cooperation_offers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('OFFER_NOT_FOUND');
    return row;
  }

  async function applicationViews(rows: CooperationApplicationsTable[]) {
    const [products, names, brands] = await Promise.all([
      rows.length ? db.selectFrom('products').select(['id', 'title']).where('id', 'in', [...new Set(rows.map((r) => r.product_id))]).execute() : [],
      displayNames(db, rows.map((r) => r.streamer_id)),
      rows.length ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.brand_org_id))]).execute() : [],
    ]);
    const titles = new Map(products.map((p) => [p.id, p.title]));
    const brandNames = new Map(brands.map((b) => [b.id, b.name]));
    return rows.map((r) => applicationView(r, { product: titles.get(r.product_id), streamer: names.get(r.streamer_id), brand: brandNames.get(r.brand_org_id) }));
  }

  return {
    offerRow,

    // --- the brand's offers ---

    /** Lists a product of the brand in the square. One offer per product. */
    async create(orgId: string, input: OfferInput) {
      const commission = checkCommissionBps(input.commissionBps);
      const product = await db.selectFrom('products').select(['id', 'brand_org_id']).where('id', '=', input.productId).executeTakeFirst();
      if (!product || product.brand_org_id !== orgId) throw new AppError('PRODUCT_NOT_IN_BRAND', { productId: input.productId });
      const at = ctx.now();
      const row: CooperationOffersTable = {
        id: newId(),
        brand_org_id: orgId,
        product_id: input.productId,
        commission_bps: commission,
        price_floor_fen: input.priceFloorFen ?? null,
        samples_available: input.samples?.available ? 1 : 0,
        sample_deposit_fen: input.samples?.depositFen ?? 0,
        sample_max_per_streamer: input.samples?.maxPerStreamer ?? 1,
        min_followers: input.requirements?.minFollowers ?? 0,
        categories: JSON.stringify(input.requirements?.categories ?? []),
        note: input.note ?? '',
        status: 'active',
        created_at: at,
        updated_at: at,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('cooperation_offers').values(row).execute();
          await ctx.record(trx, 'offer.listed', row.id, { offerId: row.id, brandOrgId: orgId, productId: row.product_id, commissionBps: commission, priceFloorFen: row.price_floor_fen }, at);
        });
      } catch (error) {
        if (ctx.isUniqueViolation(error)) throw new AppError('OFFER_ALREADY_LISTED');
        throw error;
      }
      return (await offersByIds([row.id]))[0]!;
    },

    /** Changes an offer's terms. Approvals already given keep their agreed rate. */
    async update(orgId: string, offerId: string, patch: OfferPatchInput) {
      const offer = await offerRow(offerId);
      if (offer.brand_org_id !== orgId) throw new AppError('OFFER_NOT_FOUND');
      const commission = patch.commissionBps === undefined ? undefined : checkCommissionBps(patch.commissionBps);
      const at = ctx.now();
      const set: Partial<CooperationOffersTable> = {
        ...(commission !== undefined && { commission_bps: commission }),
        ...(patch.priceFloorFen !== undefined && { price_floor_fen: patch.priceFloorFen }),
        ...(patch.samples && { samples_available: patch.samples.available ? 1 : 0, sample_deposit_fen: patch.samples.depositFen, sample_max_per_streamer: patch.samples.maxPerStreamer }),
        ...(patch.requirements && { min_followers: patch.requirements.minFollowers, categories: JSON.stringify(patch.requirements.categories) }),
        ...(patch.note !== undefined && { note: patch.note }),
        ...(patch.status && { status: patch.status }),
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('cooperation_offers').set(set).where('id', '=', offerId).execute();
        await ctx.record(trx, 'offer.updated', offerId, { offerId, brandOrgId: orgId, productId: offer.product_id, changes: Object.keys(patch) }, at);
      });
      return (await offersByIds([offerId]))[0]!;
    },

    /** The brand's own offers, newest first, whatever their status. */
    async brandOffers(orgId: string) {
      const rows = (await withFacts(base().where('o.brand_org_id', '=', orgId)).orderBy('o.created_at', 'desc').orderBy('o.id').execute()) as Row[];
      return rows.map(toView);
    },

    // --- the square ---

    /** Active offers of on-sale products of approved brands: keyword, filters, sort, page; each with the viewer's eligibility when `viewerId` is given. */
    async search(s: SquareSearch, viewerId?: string) {
      let q = base().where('o.status', '=', 'active').where('p.status', '=', 'on_sale').where('b.status', '=', 'approved');
      if (s.q) q = q.where(sql<boolean>`lower(p.title) like ${`%${likeEscape(s.q.toLowerCase())}%`} escape '!'`);
      // A category matches itself and its subcategories: 食品 matches 食品/糕点.
      if (s.category) q = q.where(sql<boolean>`(p.category = ${s.category} or p.category like ${`${likeEscape(s.category)}/%`} escape '!')`);
      if (s.brandOrgId) q = q.where('o.brand_org_id', '=', s.brandOrgId);
      if (s.commissionMin !== undefined) q = q.where('o.commission_bps', '>=', s.commissionMin);
      if (s.commissionMax !== undefined) q = q.where('o.commission_bps', '<=', s.commissionMax);
      if (s.priceMin !== undefined) q = q.where(sql<boolean>`${minPrice} >= ${s.priceMin}`);
      if (s.priceMax !== undefined) q = q.where(sql<boolean>`${minPrice} <= ${s.priceMax}`);
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const defaults = { commission: 'desc', price: 'asc', sales: 'desc', newest: 'desc' } as const;
      const direction = s.order ?? defaults[s.sort];
      const column = { commission: sql.ref('o.commission_bps'), price: sql.ref('price_fen'), sales: sql.ref('sales_units'), newest: sql.ref('o.created_at') }[s.sort];
      const rows = (await withFacts(q)
        .orderBy(column, direction)
        .orderBy('o.id', direction)
        .limit(s.pageSize)
        .offset((s.page - 1) * s.pageSize)
        .execute()) as Row[];
      return { offers: await withEligibility(rows.map(toView), viewerId), total, page: s.page, pageSize: s.pageSize };
    },

    /** One offer, with its SKUs. Paused offers, and those of a brand not approved, are shown to their brand only. */
    async get(offerId: string, actor?: Actor, viewerId?: string) {
      const [offer] = await withEligibility(await offersByIds([offerId], { brandOrgId: actor?.kind === 'brand' ? actor.orgId : undefined }), viewerId);
      if (!offer || (offer.status !== 'active' && !(actor?.kind === 'brand' && actor.orgId === offer.brand.id))) throw new AppError('OFFER_NOT_FOUND');
      const skus = await db.selectFrom('skus').select(['id', 'spec', 'price_fen', 'stock']).where('product_id', '=', offer.product.id).orderBy('created_at').execute();
      return { ...offer, skus: skus.map((s) => ({ id: s.id, spec: JSON.parse(s.spec) as Record<string, string>, priceFen: Number(s.price_fen), stock: s.stock })) };
    },

    /** Several active offers side by side, in the order asked (unknown or paused ones, and those of brands not approved, are left out). */
    async compare(ids: string[], viewerId?: string) {
      return withEligibility((await offersByIds(ids, {})).filter((o) => o.status === 'active'), viewerId);
    },

    standing,

    /**
     * The approved brands for pickers (the square's brand filter, the MCN's 代主播排期), by name, with
     * how many offers each has in the square now (active, of an on-sale product; 0 for a brand without any).
     */
    async brands(page: number, pageSize: number, q?: string) {
      let base = db.selectFrom('organisations as b').where('b.kind', '=', 'brand').where('b.status', '=', 'approved');
      if (q) base = base.where(sql<boolean>`lower(b.name) like ${`%${likeEscape(q.toLowerCase())}%`} escape '!'`);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const offerCount = sql<number>`(select count(*) from cooperation_offers o inner join products p on p.id = o.product_id where o.brand_org_id = b.id and o.status = 'active' and p.status = 'on_sale')`;
      const rows = await base.select(['b.id', 'b.name', offerCount.as('offer_count')]).orderBy('b.name').orderBy('b.id').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { brands: rows.map((r) => ({ id: r.id, name: r.name, offerCount: Number(r.offer_count) })), total, page, pageSize };
    },

    // --- applications (带货申请) ---

    /**
     * A streamer applies to carry an offer's product, or an MCN applies for a streamer signed to it.
     * Refused when the offer is paused, the streamer is not verified, an application is already
     * approved (APPLICATION_ALREADY_APPROVED) or pending, the streamer has fewer followers than the
     * offer asks (REQUIREMENT_FOLLOWERS), or has sold nothing in the offer's categories in their lives
     * (REQUIREMENT_CATEGORIES; see Standing).
     */
    async apply(actor: Actor, offerId: string, streamerId: string, message?: string) {
      const offer = await offerRow(offerId);
      if (actor.kind === 'brand') throw new AppError('ORG_WRONG_KIND');
      await ctx.requireActingFor(actor, streamerId, 'manage_products');
      if (offer.status !== 'active') throw new AppError('OFFER_PAUSED');
      // A brand the operator has not approved sells nothing: no one can carry its products (server/orgs/approval.ts).
      await requireApprovedBrands(db, [offer.brand_org_id]);
      const product = await db.selectFrom('products').select('status').where('id', '=', offer.product_id).executeTakeFirstOrThrow();
      if (product.status !== 'on_sale') throw new AppError('PRODUCT_OFF_SALE');
      const profile = await db.selectFrom('streamer_profiles').select('status').where('user_id', '=', streamerId).executeTakeFirst();
      if (profile?.status !== 'approved') throw new AppError('STREAMER_NOT_APPROVED');
      const refuseOpen = async () => {
        const open = await db.selectFrom('cooperation_applications').select('status').where('product_id', '=', offer.product_id).where('streamer_id', '=', streamerId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
        if (open?.status === 'approved') throw new AppError('APPLICATION_ALREADY_APPROVED');
        if (open) throw new AppError('APPLICATION_PENDING');
      };
      await refuseOpen();
      const s = await standing(streamerId);
      const followers = s.followers;
      const eligible = eligibilityOf({ minFollowers: offer.min_followers, categories: JSON.parse(offer.categories) as string[] }, s);
      if (!eligible.followers.met) throw new AppError('REQUIREMENT_FOLLOWERS', { min: offer.min_followers, count: followers });
      if (!eligible.categories.met) throw new AppError('REQUIREMENT_CATEGORIES', { categories: eligible.categories.required.join('、'), streamerCategories: s.categories.join('、') || '—' });
      const at = ctx.now();
      const row: CooperationApplicationsTable = {
        id: newId(),
        offer_id: offer.id,
        brand_org_id: offer.brand_org_id,
        product_id: offer.product_id,
        streamer_id: streamerId,
        applied_by: actor.userId,
        via_mcn_org_id: actor.kind === 'mcn' ? actor.orgId : null,
        message: message ?? '',
        followers,
        status: 'pending',
        commission_bps: null,
        decided_by: null,
        decided_at: null,
        reason: null,
        created_at: at,
        revoked_at: null,
        revoked_by: null,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('cooperation_applications').values(row).execute();
          await ctx.record(trx, 'application.submitted', row.id, { applicationId: row.id, offerId: offer.id, brandOrgId: offer.brand_org_id, productId: offer.product_id, streamerId, viaMcnOrgId: row.via_mcn_org_id }, at);
        });
      } catch (error) {
        // Two applications at once: the unique index lets one in.
        if (ctx.isUniqueViolation(error)) await refuseOpen();
        throw error;
      }
      return (await applicationViews([row]))[0]!;
    },

    /** The brand approves (fixing the agreed rate: the offer's, or the one given) or rejects with a reason. */
    async decide(orgId: string, applicationId: string, userId: string, decision: { approve: true; commissionBps?: number } | { approve: false; reason: string }) {
      const app = await db.selectFrom('cooperation_applications').selectAll().where('id', '=', applicationId).executeTakeFirst();
      if (!app || app.brand_org_id !== orgId) throw new AppError('APPLICATION_NOT_FOUND');
      if (app.status !== 'pending') throw new AppError(app.status === 'approved' && decision.approve ? 'APPLICATION_ALREADY_APPROVED' : 'APPLICATION_STATE_CONFLICT', { status: app.status });
      const offer = await offerRow(app.offer_id);
      const rate = decision.approve ? checkCommissionBps(decision.commissionBps ?? offer.commission_bps) : null;
      const at = ctx.now();
      const updated = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('cooperation_applications')
          .set({ status: decision.approve ? 'approved' : 'rejected', commission_bps: rate, decided_by: userId, decided_at: at, reason: decision.approve ? null : decision.reason })
          .where('id', '=', applicationId)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await ctx.record(
          trx,
          decision.approve ? 'application.approved' : 'application.rejected',
          applicationId,
          { applicationId, offerId: app.offer_id, brandOrgId: orgId, productId: app.product_id, streamerId: app.streamer_id, commissionBps: rate, reason: row.reason },
          at,
        );
        return row;
      });
      if (!updated) {
        const now = await db.selectFrom('cooperation_applications').select('status').where('id', '=', applicationId).executeTakeFirstOrThrow();
        throw new AppError('APPLICATION_STATE_CONFLICT', { status: now.status });
      }
      return (await applicationViews([updated]))[0]!;
    },

    /**
     * The brand revokes an approval, with a reason. From then on the product cannot go into a new 小黄车
     * at that rate (terms() no longer answers it). In the same transaction it leaves the 小黄车 of the
     * streamer's scheduled lives (in a scheduled live of the product's own brand it stays, at 0 %, as
     * any own-brand product may), and the links after it move up. A live already running keeps it at
     * the agreed rate until it ends (commerce keeps a row it already holds); orders already paid keep
     * the commission the ledger captured when they were paid. The streamer may apply again.
     */
    async revoke(orgId: string, applicationId: string, userId: string, reason: string) {
      const app = await db.selectFrom('cooperation_applications').selectAll().where('id', '=', applicationId).executeTakeFirst();
      if (!app || app.brand_org_id !== orgId) throw new AppError('APPLICATION_NOT_FOUND');
      if (app.status !== 'approved') throw new AppError('APPLICATION_STATE_CONFLICT', { status: app.status });
      const at = ctx.now();
      const updated = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('cooperation_applications')
          .set({ status: 'revoked', reason, revoked_at: at, revoked_by: userId })
          .where('id', '=', applicationId)
          .where('status', '=', 'approved')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        const carts = await trx
          .selectFrom('session_products as sp')
          .innerJoin('live_sessions as ls', 'ls.id', 'sp.session_id')
          .select(['sp.session_id', 'ls.brand_org_id'])
          .where('ls.streamer_id', '=', app.streamer_id)
          .where('ls.status', '=', 'scheduled')
          .where('sp.product_id', '=', app.product_id)
          .execute();
        const removedFrom: string[] = [];
        for (const cart of carts) {
          if (cart.brand_org_id === app.brand_org_id) {
            await trx.updateTable('session_products').set({ commission_bps: 0 }).where('session_id', '=', cart.session_id).where('product_id', '=', app.product_id).execute();
            continue;
          }
          await trx.deleteFrom('session_products').where('session_id', '=', cart.session_id).where('product_id', '=', app.product_id).execute();
          const rest = await trx.selectFrom('session_products').select(['product_id', 'link']).where('session_id', '=', cart.session_id).orderBy('link').execute();
          for (const [i, r] of rest.entries()) if (r.link !== i + 1) await trx.updateTable('session_products').set({ link: i + 1 }).where('session_id', '=', cart.session_id).where('product_id', '=', r.product_id).execute();
          removedFrom.push(cart.session_id);
        }
        await ctx.record(
          trx,
          'application.revoked',
          applicationId,
          { applicationId, offerId: app.offer_id, brandOrgId: orgId, productId: app.product_id, streamerId: app.streamer_id, commissionBps: app.commission_bps, reason, removedFromSessionIds: removedFrom },
          at,
        );
        return row;
      });
      if (!updated) {
        const now = await db.selectFrom('cooperation_applications').select('status').where('id', '=', applicationId).executeTakeFirstOrThrow();
        throw new AppError('APPLICATION_STATE_CONFLICT', { status: now.status });
      }
      return (await applicationViews([updated]))[0]!;
    },

    /** Applications the actor may see: a brand's to its offers, a streamer's own, an MCN's streamers'. */
    async applications(actor: Actor, status?: CooperationApplicationsTable['status']) {
      let q = db.selectFrom('cooperation_applications').selectAll().where(ctx.visibleTo(actor));
      if (status) q = q.where('status', '=', status);
      return applicationViews(await q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute());
    },

    async application(actor: Actor, id: string) {
      const row = await db.selectFrom('cooperation_applications').selectAll().where('id', '=', id).executeTakeFirst();
      // Another party's application looks the same as a missing one.
      if (!row || !(await ctx.sees(actor, row))) throw new AppError('APPLICATION_NOT_FOUND');
      return (await applicationViews([row]))[0]!;
    },

    /** Whether the streamer holds an approved application for this product. */
    async approvedFor(streamerId: string, productId: string) {
      const row = await db.selectFrom('cooperation_applications').select('commission_bps').where('streamer_id', '=', streamerId).where('product_id', '=', productId).where('status', '=', 'approved').executeTakeFirst();
      return row ? Number(row.commission_bps ?? 0) : null;
    },

    /**
     * What commerce needs to list products in a streamer's 小黄车 (the CooperationTerms interface in
     * server/commerce/shop.ts): per product, the approved rate (null: no approval) and the offer's
     * live-price floor (null: none).
     */
    async terms(streamerId: string, productIds: string[]) {
      const result = new Map<string, { commissionBps: number | null; priceFloorFen: number | null }>();
      const ids = [...new Set(productIds)];
      if (!ids.length) return result;
      const [offers, approved] = await Promise.all([
        db.selectFrom('cooperation_offers').select(['product_id', 'price_floor_fen']).where('product_id', 'in', ids).execute(),
        db.selectFrom('cooperation_applications').select(['product_id', 'commission_bps']).where('streamer_id', '=', streamerId).where('product_id', 'in', ids).where('status', '=', 'approved').execute(),
      ]);
      for (const o of offers) result.set(o.product_id, { commissionBps: null, priceFloorFen: o.price_floor_fen === null ? null : Number(o.price_floor_fen) });
      for (const a of approved) result.set(a.product_id, { priceFloorFen: result.get(a.product_id)?.priceFloorFen ?? null, commissionBps: Number(a.commission_bps ?? 0) });
      return result;
    },

    /** The products a streamer holds an approved application for (the 小黄车 catalogue adds them). */
    async approvedProductIds(streamerId: string) {
      const rows = await db.selectFrom('cooperation_applications').select('product_id').where('streamer_id', '=', streamerId).where('status', '=', 'approved').orderBy('decided_at').execute();
      return rows.map((r) => r.product_id);
    },
  };
}

export type Offers = ReturnType<typeof createOffers>;
