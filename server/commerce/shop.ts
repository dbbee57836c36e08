import type { Transaction } from 'kysely';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { CouponsTable, Database, ReturnPolicy, UserCouponsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds, brandsApproved } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { RoomService } from '../room/service.ts';
import type { AssistantRight } from '../cockpit/rights.ts';

export type Brand = { id: string; name: string; licenceName: string | null; licenceNo: string | null };
export type ShopSku = { id: string; spec: Record<string, string>; priceFen: number; livePriceFen: number | null; stock: number };
export type ShopProduct = { id: string; title: string; description: string; category: string; images: string[]; returnPolicy: ReturnPolicy; brand: Brand; skus: ShopSku[] };
export type RoomShopProduct = ShopProduct & { link: number; priceFen: number; livePriceFen: number | null; traceable: boolean };

/**
 * What the 小黄车 needs from the product-selection square (server/cooperation), given in app.ts:
 * commerce never reads the cooperation tables itself.
 */
export type CooperationTerms = {
  /**
   * Per product: the rate (basis points) of this streamer's approved application, or null without
   * one; and the offer's live-price floor (fen), or null. Products with neither are left out.
   */
  terms(streamerId: string, productIds: string[]): Promise<Map<string, { commissionBps: number | null; priceFloorFen: number | null }>>;
  /** The products this streamer holds an approved application for. */
  approvedProductIds(streamerId: string): Promise<string[]>;
};

/** Without the square (tests of commerce alone): no approvals, no floors. */
const NO_COOPERATION: CooperationTerms = { terms: async () => new Map(), approvedProductIds: async () => [] };

export type ShopDeps = { db: Db; clock: Clock; room: RoomService; cooperation?: CooperationTerms };

export function couponView(c: CouponsTable) {
  return {
    id: c.id,
    brandOrgId: c.brand_org_id,
    sessionId: c.session_id,
    title: c.title,
    kind: c.kind,
    amountOffFen: c.amount_off_fen,
    thresholdFen: c.threshold_fen,
    percentOff: c.percent_off,
    capFen: c.cap_fen,
    scope: c.scope,
    productIds: JSON.parse(c.product_ids) as string[],
    startsAt: c.starts_at,
    endsAt: c.ends_at,
    perUserLimit: c.per_user_limit,
    total: c.total,
    issued: c.issued,
    /** A campaign's shared coupon (server/campaigns): usable on its brands, paid by the platform. */
    campaignId: c.campaign_id ?? null,
  };
}

export function userCouponView(uc: UserCouponsTable, c: CouponsTable) {
  return { id: uc.id, status: uc.status, coupon: couponView(c), orderId: uc.order_id, claimedAt: uc.claimed_at };
}

export function createShop(deps: ShopDeps) {
  const { db, clock, room } = deps;
  const cooperation = deps.cooperation ?? NO_COOPERATION;
  const now = () => clock.now().toISOString();
  /** Origin-certified products (server/origin, given in app.ts): commerce never reads the origin tables itself. */
  let traceable: (productIds: string[]) => Promise<Set<string>> = async () => new Set();

  async function brandOf(orgId: string): Promise<Brand> {
    const org = await db.selectFrom('organisations').select(['id', 'name', 'licence_name', 'licence_no']).where('id', '=', orgId).executeTakeFirstOrThrow();
    return { id: org.id, name: org.name, licenceName: org.licence_name, licenceNo: org.licence_no };
  }

  /**
   * Products with SKUs, for buyers; live prices from the session's list when given. `onSaleOnly`: what
   * a buyer may see, on sale and of an approved brand (server/orgs/approval.ts).
   */
  async function shopProducts(productIds: string[], livePrices: Map<string, Record<string, number>> = new Map(), { onSaleOnly = false } = {}): Promise<ShopProduct[]> {
    if (!productIds.length) return [];
    let query = db.selectFrom('products').selectAll().where('id', 'in', productIds);
    if (onSaleOnly) query = query.where('status', '=', 'on_sale').where('brand_org_id', 'in', approvedOrgIds(db));
    const products = await query.execute();
    const skus = await db.selectFrom('skus').selectAll().where('product_id', 'in', productIds).orderBy('created_at').execute();
    const brands = new Map<string, Brand>();
    for (const orgId of new Set(products.map((p) => p.brand_org_id))) brands.set(orgId, await brandOf(orgId));
    const byId = new Map(products.map((p) => [p.id, p]));
    return productIds.flatMap((id) => {
      const p = byId.get(id);
      if (!p) return [];
      const prices = livePrices.get(id) ?? {};
      return [
        {
          id: p.id,
          title: p.title,
          description: p.description,
          category: p.category,
          images: JSON.parse(p.images) as string[],
          returnPolicy: p.return_policy,
          brand: brands.get(p.brand_org_id)!,
          skus: skus.filter((s) => s.product_id === id).map((s) => ({ id: s.id, spec: JSON.parse(s.spec) as Record<string, string>, priceFen: s.price_fen, livePriceFen: prices[s.id] ?? null, stock: s.stock })),
        },
      ];
    });
  }

  async function sessionList(sessionId: string) {
    return db.selectFrom('session_products').selectAll().where('session_id', '=', sessionId).orderBy('link').execute();
  }

  /** The room's staff; an assistant also needs `right` when one is named (docs/COCKPIT.md). */
  async function requireStaff(sessionId: string, user: AuthUser, right?: AssistantRight) {
    return (await room.requireStaff(sessionId, user, right)).info;
  }

  return {
    brandOf,
    shopProducts,
    requireStaff,
    setTraceable(hook: typeof traceable) {
      traceable = hook;
    },

    /** The 小黄车: the session's products in link order, on sale only. */
    async roomProducts(sessionId: string): Promise<RoomShopProduct[]> {
      await room.session(sessionId);
      const rows = await sessionList(sessionId);
      const products = await shopProducts(
        rows.map((r) => r.product_id),
        new Map(rows.map((r) => [r.product_id, JSON.parse(r.live_prices) as Record<string, number>])),
        { onSaleOnly: true },
      );
      const traced = await traceable(products.map((p) => p.id));
      return products.map((p) => {
        const link = rows.find((r) => r.product_id === p.id)!.link;
        const live = p.skus.map((s) => s.livePriceFen).filter((v): v is number => v !== null);
        return { ...p, link, priceFen: Math.min(...p.skus.map((s) => s.priceFen)), livePriceFen: live.length ? Math.min(...live) : null, traceable: traced.has(p.id) };
      });
    },

    /** Products the streamer may add: the session brand's products on sale, and those approved for the streamer in the square. */
    async catalogue(sessionId: string, user: AuthUser) {
      const info = await requireStaff(sessionId, user);
      const own = info.brandOrgId ? await db.selectFrom('products').select('id').where('brand_org_id', '=', info.brandOrgId).where('status', '=', 'on_sale').orderBy('created_at').execute() : [];
      const approved = await cooperation.approvedProductIds(info.streamerId);
      return shopProducts([...new Set([...own.map((r) => r.id), ...approved])], new Map(), { onSaleOnly: true });
    },

    async setRoomProducts(sessionId: string, user: AuthUser, items: { productId: string; livePrices?: Record<string, number> }[]) {
      const info = await requireStaff(sessionId, user, 'products');
      const ids = items.map((i) => i.productId);
      const found = ids.length
        ? await db.selectFrom('products').select(['id', 'brand_org_id', 'status']).where('id', 'in', ids).execute()
        : [];
      // The session's streamer's standing in the square: approved rates and price floors.
      const terms = await cooperation.terms(info.streamerId, ids);
      // A running live keeps another brand's product it already carries at its rate, even when the
      // approval was revoked meanwhile (docs/COOPERATION.md "Revoking an approval"): it leaves when the live ends.
      const held = info.status === 'live' ? new Map((await sessionList(sessionId)).map((r) => [r.product_id, Number(r.commission_bps)])) : new Map<string, number>();
      const rates = new Map<string, number>();
      const approvedBrands = new Set<string>();
      for (const orgId of new Set(found.map((f) => f.brand_org_id))) if (await brandsApproved(db, [orgId])) approvedBrands.add(orgId);
      for (const item of items) {
        const p = found.find((f) => f.id === item.productId);
        if (!p || p.status !== 'on_sale') throw new AppError('PRODUCT_NOT_IN_BRAND', { productId: item.productId });
        // A brand the operator has not approved sells nothing, in no one's live.
        if (!approvedBrands.has(p.brand_org_id)) throw new AppError('BRAND_NOT_APPROVED');
        const t = terms.get(p.id);
        // Another brand's product needs an approved application of this session's streamer.
        const approvedRate = t?.commissionBps ?? (p.brand_org_id !== info.brandOrgId ? held.get(p.id) : undefined) ?? null;
        if (p.brand_org_id !== info.brandOrgId && approvedRate === null) throw new AppError('OFFER_NOT_APPROVED', { productId: p.id });
        rates.set(p.id, approvedRate ?? 0);
        if (item.livePrices && Object.keys(item.livePrices).length) {
          const skuIds = (await db.selectFrom('skus').select('id').where('product_id', '=', item.productId).execute()).map((s) => s.id);
          for (const skuId of Object.keys(item.livePrices)) if (!skuIds.includes(skuId)) throw new AppError('ORDER_SKU_MISMATCH', { skuId });
          const floor = t?.priceFloorFen ?? null;
          for (const price of Object.values(item.livePrices)) if (floor !== null && price < floor) throw new AppError('LIVE_PRICE_BELOW_FLOOR', { priceFen: price, floorFen: floor });
        }
      }
      const at = now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('session_products').where('session_id', '=', sessionId).execute();
        if (items.length)
          await trx
            .insertInto('session_products')
            .values(items.map((item, i) => ({ session_id: sessionId, product_id: item.productId, link: i + 1, live_prices: JSON.stringify(item.livePrices ?? {}), added_at: at, commission_bps: rates.get(item.productId) ?? 0 })))
            .execute();
      });
      await room.productsChanged(sessionId, user);
      return this.roomProducts(sessionId);
    },

    async product(productId: string) {
      const [product] = await shopProducts([productId], new Map(), { onSaleOnly: true });
      if (!product) throw new AppError('PRODUCT_NOT_FOUND');
      return product;
    },

    // --- addresses ---
    async addresses(userId: string) {
      const rows = await db.selectFrom('addresses').selectAll().where('user_id', '=', userId).orderBy('is_default', 'desc').orderBy('created_at').execute();
      return rows.map(addressView);
    },
    async addAddress(userId: string, input: { name: string; phone: string; region: string; detail: string; isDefault?: boolean }) {
      const count = await db.selectFrom('addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
      if (Number(count?.n ?? 0) >= 20) throw new AppError('ADDRESS_LIMIT');
      const row = { id: newId(), user_id: userId, name: input.name, phone: input.phone, region: input.region, detail: input.detail, is_default: input.isDefault || Number(count?.n ?? 0) === 0 ? 1 : 0, created_at: now() };
      await db.transaction().execute(async (trx) => {
        if (row.is_default) await trx.updateTable('addresses').set({ is_default: 0 }).where('user_id', '=', userId).execute();
        await trx.insertInto('addresses').values(row).execute();
      });
      return addressView(row);
    },
    async updateAddress(userId: string, id: string, patch: Partial<{ name: string; phone: string; region: string; detail: string; isDefault: boolean }>) {
      const row = await db.selectFrom('addresses').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (!row) throw new AppError('ADDRESS_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        if (patch.isDefault) await trx.updateTable('addresses').set({ is_default: 0 }).where('user_id', '=', userId).execute();
        const { isDefault, ...fields } = patch;
        await trx.updateTable('addresses').set({ ...fields, ...(isDefault !== undefined && { is_default: isDefault ? 1 : 0 }) }).where('id', '=', id).execute();
      });
      return addressView((await db.selectFrom('addresses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    },
    async deleteAddress(userId: string, id: string) {
      const deleted = await db.deleteFrom('addresses').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) throw new AppError('ADDRESS_NOT_FOUND');
    },

    // --- shipping rules ---
    async shippingRule(brandOrgId: string) {
      const row = await db.selectFrom('shipping_rules').selectAll().where('brand_org_id', '=', brandOrgId).executeTakeFirst();
      return row ? { baseFeeFen: row.base_fee_fen, freeOverFen: row.free_over_fen } : { baseFeeFen: 0, freeOverFen: null };
    },
    async setShippingRule(brandOrgId: string, rule: { baseFeeFen: number; freeOverFen: number | null }) {
      await db
        .insertInto('shipping_rules')
        .values({ brand_org_id: brandOrgId, base_fee_fen: rule.baseFeeFen, free_over_fen: rule.freeOverFen, updated_at: now() })
        .onConflict((oc) => oc.column('brand_org_id').doUpdateSet({ base_fee_fen: rule.baseFeeFen, free_over_fen: rule.freeOverFen, updated_at: now() }))
        .execute();
      return rule;
    },

    // --- coupons ---
    async brandCoupons(brandOrgId: string) {
      return (await db.selectFrom('coupons').selectAll().where('brand_org_id', '=', brandOrgId).orderBy('created_at', 'desc').execute()).map(couponView);
    },
    async createCoupon(brandOrgId: string, input: { title: string; kind: 'amount' | 'threshold' | 'percent'; amountOffFen?: number; thresholdFen?: number; percentOff?: number; capFen?: number; scope: 'brand' | 'products'; productIds?: string[]; startsAt: string; endsAt: string; perUserLimit: number; total: number }, extra: { sessionId?: string; dropId?: string } = {}) {
      if (input.scope === 'products') {
        const own = await db.selectFrom('products').select('id').where('id', 'in', input.productIds!).where('brand_org_id', '=', brandOrgId).execute();
        if (own.length !== new Set(input.productIds).size) throw new AppError('PRODUCT_NOT_IN_BRAND', { productId: input.productIds!.find((id) => !own.some((o) => o.id === id)) ?? '' });
      }
      const row: CouponsTable = {
        id: newId(),
        brand_org_id: brandOrgId,
        session_id: extra.sessionId ?? null,
        drop_id: extra.dropId ?? null,
        title: input.title,
        kind: input.kind,
        amount_off_fen: input.amountOffFen ?? null,
        threshold_fen: input.thresholdFen ?? null,
        percent_off: input.percentOff ?? null,
        cap_fen: input.capFen ?? null,
        scope: input.scope,
        product_ids: JSON.stringify(input.scope === 'products' ? [...new Set(input.productIds)] : []),
        starts_at: new Date(input.startsAt).toISOString(),
        ends_at: new Date(input.endsAt).toISOString(),
        per_user_limit: input.perUserLimit,
        total: input.total,
        issued: 0,
        created_at: now(),
      };
      await db.insertInto('coupons').values(row).execute();
      return couponView(row);
    },
    async coupon(id: string) {
      const row = await db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('COUPON_NOT_FOUND');
      return couponView(row);
    },
    /** Claims a coupon: the total and the per-user limit hold under any concurrency. */
    async claimCoupon(userId: string, couponId: string, trx?: Transaction<Database>) {
      const run = async (t: Transaction<Database>) => {
        const at = now();
        const coupon = await t.selectFrom('coupons').selectAll().where('id', '=', couponId).executeTakeFirst();
        if (!coupon) throw new AppError('COUPON_NOT_FOUND');
        if (coupon.ends_at <= at) throw new AppError('COUPON_EXPIRED');
        // A brand not approved hands out nothing either (its coupon could not be used at checkout).
        if (coupon.brand_org_id && !(await brandsApproved(t, [coupon.brand_org_id]))) throw new AppError('BRAND_NOT_APPROVED');
        // The coupon as the claim leaves it: its answer shows the count with this claim in.
        const updated = await t.updateTable('coupons').set((eb) => ({ issued: eb('issued', '+', 1) })).where('id', '=', couponId).whereRef('issued', '<', 'total').returningAll().executeTakeFirst();
        if (!updated) throw new AppError('COUPON_SOLD_OUT');
        const held = await t.selectFrom('user_coupons').select((eb) => eb.fn.countAll<number>().as('n')).where('coupon_id', '=', couponId).where('user_id', '=', userId).executeTakeFirst();
        if (Number(held?.n ?? 0) >= coupon.per_user_limit) throw new AppError('COUPON_LIMIT_REACHED', { limit: coupon.per_user_limit });
        const uc: UserCouponsTable = { id: newId(), coupon_id: couponId, user_id: userId, status: 'unused', order_id: null, claimed_at: at, used_at: null };
        await t.insertInto('user_coupons').values(uc).execute();
        return userCouponView(uc, updated);
      };
      return trx ? run(trx) : db.transaction().execute(run);
    },
    async myCoupons(userId: string) {
      const rows = await db
        .selectFrom('user_coupons')
        .innerJoin('coupons', 'coupons.id', 'user_coupons.coupon_id')
        .selectAll('coupons')
        .select(['user_coupons.id as uc_id', 'user_coupons.status as uc_status', 'user_coupons.order_id as uc_order_id', 'user_coupons.claimed_at as uc_claimed_at'])
        .where('user_coupons.user_id', '=', userId)
        .orderBy('user_coupons.claimed_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.uc_id, status: r.uc_status, coupon: couponView(r), orderId: r.uc_order_id, claimedAt: r.uc_claimed_at }));
    },
  };
}

function addressView(a: { id: string; name: string; phone: string; region: string; detail: string; is_default: number }) {
  return { id: a.id, name: a.name, phone: a.phone, region: a.region, detail: a.detail, isDefault: a.is_default === 1 };
}

export type Shop = ReturnType<typeof createShop>;
