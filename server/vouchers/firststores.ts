import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds, requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import { newCode, type Slot } from './rules.ts';
import { storeView, type VoucherService } from './service.ts';
import type { FirstStoreLevel, FirstStoreRow, VDb, VoucherCategory } from './store.ts';

export type NewFirstStore = {
  storeId: string;
  level: FirstStoreLevel;
  title: string;
  description: string;
  opensOn: string;
  sessionId?: string;
  coupon: { title: string; total: number; validTo: string; days: number[]; slots: Slot[]; category: VoucherCategory };
};

/**
 * 首店: first-store openings with their level, linked to a launch live, each with an O2O coupon a
 * viewer claims online (free, one each) and redeems once at that store on the staff page. The
 * coupon is not a product (never sold): its rules are a voucher_products row keyed by the first
 * store's id, and a claim takes one of coupons_left with a conditional UPDATE and issues a code
 * usable only at that store, redeemed like any voucher.
 */
export function createFirstStores(deps: { db: VDb; clock: Clock; service: VoucherService }) {
  const { db, clock, service } = deps;
  const now = () => clock.now().toISOString();

  async function views(rows: FirstStoreRow[], userId: string | null) {
    if (!rows.length) return [];
    const [stores, brands, sessions, claims] = await Promise.all([
      db.selectFrom('merchant_stores').selectAll().where('id', 'in', rows.map((r) => r.store_id)).execute(),
      db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', rows.map((r) => r.brand_org_id)).execute(),
      (() => {
        const ids = rows.map((r) => r.session_id).filter((x): x is string => !!x);
        return ids.length ? db.selectFrom('live_sessions').select(['id', 'title', 'status', 'scheduled_at']).where('id', 'in', ids).execute() : Promise.resolve([]);
      })(),
      userId ? db.selectFrom('first_store_claims').select('first_store_id').where('user_id', '=', userId).where('first_store_id', 'in', rows.map((r) => r.id)).execute() : Promise.resolve([]),
    ]);
    const rules = await db.selectFrom('voucher_products').selectAll().where('product_id', 'in', rows.map((r) => r.id)).execute();
    return rows.map((r) => {
      const session = sessions.find((s) => s.id === r.session_id);
      const rule = rules.find((x) => x.product_id === r.id)!;
      return {
        id: r.id,
        level: r.level,
        title: r.title,
        description: r.description,
        opensOn: r.opens_on,
        brand: { id: r.brand_org_id, name: brands.find((b) => b.id === r.brand_org_id)?.name ?? '' },
        store: storeView(stores.find((s) => s.id === r.store_id)!),
        session: session ? { id: session.id, title: session.title, status: session.status, scheduledAt: session.scheduled_at } : null,
        coupon: {
          title: r.coupon_title,
          total: r.coupons_total,
          left: r.coupons_left,
          validTo: rule.valid_to,
          days: JSON.parse(rule.days) as number[],
          slots: JSON.parse(rule.slots) as Slot[],
          claimed: claims.some((c) => c.first_store_id === r.id),
        },
      };
    });
  }

  return {
    async create(orgId: string, input: NewFirstStore) {
      const store = await db.selectFrom('merchant_stores').selectAll().where('id', '=', input.storeId).where('brand_org_id', '=', orgId).executeTakeFirst();
      if (!store) throw new AppError('STORE_NOT_FOUND');
      if (input.sessionId) {
        const session = await db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('id', '=', input.sessionId).executeTakeFirst();
        if (!session || session.brand_org_id !== orgId) throw new AppError('LIVE_SESSION_NOT_FOUND');
      }
      const validFrom = clock.now().toISOString();
      service.checkRules({ validFrom, validTo: input.coupon.validTo, slots: input.coupon.slots });
      const id = newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('first_stores')
          .values({ id, brand_org_id: orgId, store_id: input.storeId, level: input.level, title: input.title, description: input.description, opens_on: input.opensOn, session_id: input.sessionId ?? null, coupon_title: input.coupon.title, coupons_total: input.coupon.total, coupons_left: input.coupon.total, created_at: now() })
          .execute();
        await service.insertRules(trx, id, orgId, { category: input.coupon.category, validFrom, validTo: input.coupon.validTo, storeIds: [input.storeId], days: input.coupon.days, slots: input.coupon.slots }, id);
      });
      return (await views([await db.selectFrom('first_stores').selectAll().where('id', '=', id).executeTakeFirstOrThrow()], null))[0]!;
    },

    /** The public listing: openings from 30 days ago on, soonest first. */
    async list(userId: string | null, city?: string) {
      const since = new Date(clock.now().getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
      // A brand the operator has not approved is not shown to the public (server/orgs/approval.ts).
      let q = db.selectFrom('first_stores').selectAll('first_stores').where('first_stores.opens_on', '>=', since).where('first_stores.brand_org_id', 'in', approvedOrgIds(db));
      if (city) q = q.innerJoin('merchant_stores', 'merchant_stores.id', 'first_stores.store_id').where('merchant_stores.city', '=', city);
      return views(await q.orderBy('first_stores.opens_on').limit(100).execute(), userId);
    },

    async ofBrand(orgId: string) {
      return views(await db.selectFrom('first_stores').selectAll().where('brand_org_id', '=', orgId).orderBy('opens_on', 'desc').limit(100).execute(), null);
    },

    /** Claims the O2O coupon: free, one per viewer, while coupons are left. */
    async claim(userId: string, firstStoreId: string) {
      const fs = await db.selectFrom('first_stores').selectAll().where('id', '=', firstStoreId).executeTakeFirst();
      if (!fs) throw new AppError('FIRST_STORE_NOT_FOUND');
      await requireApprovedBrands(db, [fs.brand_org_id]);
      const already = await db.selectFrom('first_store_claims').select('code_id').where('first_store_id', '=', fs.id).where('user_id', '=', userId).executeTakeFirst();
      if (already) throw new AppError('FIRST_STORE_COUPON_CLAIMED');
      const entry = (await service.productRules(fs.id))!;
      if (entry.rules.validTo <= now()) throw new AppError('VOUCHER_SALE_ENDED');
      const codeId = newId();
      try {
        await db.transaction().execute(async (trx) => {
          const taken = await trx.updateTable('first_stores').set((eb) => ({ coupons_left: eb('coupons_left', '-', 1) })).where('id', '=', fs.id).where('coupons_left', '>=', 1).executeTakeFirst();
          if (Number(taken.numUpdatedRows) !== 1) throw new AppError('FIRST_STORE_COUPONS_GONE');
          await trx.insertInto('first_store_claims').values({ first_store_id: fs.id, user_id: userId, code_id: codeId, created_at: now() }).execute();
          await trx
            .insertInto('voucher_codes')
            .values({ id: codeId, code: newCode(), product_id: fs.id, brand_org_id: fs.brand_org_id, holder_id: userId, order_id: null, item_id: null, amount_fen: 0, status: 'unused', valid_to: entry.rules.validTo, redeemed_at: null, redeemed_day: null, redeemed_store_id: null, redeemed_by: null, after_sale_id: null, claimed_at: null, created_at: now() })
            .execute();
        });
      } catch (error) {
        if (error instanceof AppError) throw error;
        // The same viewer claiming twice at the same instant: the second loses on the claims' primary key.
        const again = await db.selectFrom('first_store_claims').select('code_id').where('first_store_id', '=', fs.id).where('user_id', '=', userId).executeTakeFirst();
        if (again) throw new AppError('FIRST_STORE_COUPON_CLAIMED');
        throw error;
      }
      return (await service.codeViews([await db.selectFrom('voucher_codes').selectAll().where('id', '=', codeId).executeTakeFirstOrThrow()], true))[0]!;
    },
  };
}

export type FirstStores = ReturnType<typeof createFirstStores>;
