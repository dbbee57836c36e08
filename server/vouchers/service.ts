import QRCode from 'qrcode';
import type { AccountsService } from '../accounts/service.ts';
import { toLoginId } from '../accounts/schema.ts';
import type { Commerce } from '../commerce/index.ts';
import type { NewEvent, Outbox } from '../events/outbox.ts';
import type { OrgsService } from '../orgs/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { OrderItemsTable, OrdersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { chinaTime, formatCode, newCode, normalizeCode, refusal, type Slot, type UseRules } from './rules.ts';
import type { VDb, VoucherCategory, VoucherCodeRow, VoucherProductRow, VTrx, StoreRow } from './store.ts';

export type VoucherDeps = { db: VDb; clock: Clock; commerce: Commerce; outbox: Outbox; orgs: OrgsService; accounts: AccountsService };

export type NewVoucher = {
  title: string;
  description: string;
  category: VoucherCategory;
  priceFen: number;
  stock: number;
  validFrom: string;
  validTo: string;
  storeIds: string[];
  days: number[];
  slots: Slot[];
  image?: string;
};

export function rulesOf(row: VoucherProductRow): UseRules {
  return { validFrom: row.valid_from, validTo: row.valid_to, storeIds: JSON.parse(row.store_ids) as string[], days: JSON.parse(row.days) as number[], slots: JSON.parse(row.slots) as Slot[] };
}

export function storeView(s: StoreRow) {
  return { id: s.id, brandOrgId: s.brand_org_id, name: s.name, city: s.city, address: s.address };
}

/** Stores, store staff, voucher products, codes (issued on payment, redeemed once) and the merchant's report. */
export function createVoucherService(deps: VoucherDeps) {
  const { db, clock } = deps;
  const now = () => clock.now().toISOString();
  /** A voucher's rules never change once created: cached for the redemption hot path. */
  const rulesCache = new Map<string, { row: VoucherProductRow; rules: UseRules }>();

  async function productRules(productId: string, trx: VDb | VTrx = db) {
    const hit = rulesCache.get(productId);
    if (hit) return hit;
    const row = await trx.selectFrom('voucher_products').selectAll().where('product_id', '=', productId).executeTakeFirst();
    if (!row) return null;
    const entry = { row, rules: rulesOf(row) };
    rulesCache.set(productId, entry);
    return entry;
  }

  async function ownStores(orgId: string, storeIds: string[]) {
    if (!storeIds.length) return [];
    const rows = await db.selectFrom('merchant_stores').selectAll().where('brand_org_id', '=', orgId).where('id', 'in', storeIds).execute();
    if (rows.length !== new Set(storeIds).size) throw new AppError('STORE_NOT_FOUND');
    return rows;
  }

  async function storesById(ids: string[]) {
    if (!ids.length) return new Map<string, StoreRow>();
    const rows = await db.selectFrom('merchant_stores').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  function checkRules(input: { validFrom: string; validTo: string; slots: Slot[] }) {
    if (Date.parse(input.validTo) <= Date.parse(input.validFrom)) throw new AppError('VOUCHER_RULES_INVALID', { field: 'validTo' });
    if (Date.parse(input.validTo) <= clock.now().getTime()) throw new AppError('VOUCHER_RULES_INVALID', { field: 'validTo' });
    for (const s of input.slots) if (s.from >= s.to) throw new AppError('VOUCHER_RULES_INVALID', { field: 'slots' });
  }

  /** Writes a voucher's rules: of a product, or (keyed by its id) of a first store's O2O coupon. */
  async function insertRules(trx: VTrx, key: string, orgId: string, input: Pick<NewVoucher, 'category' | 'validFrom' | 'validTo' | 'storeIds' | 'days' | 'slots'>, firstStoreId: string | null) {
    await trx
      .insertInto('voucher_products')
      .values({
        product_id: key,
        brand_org_id: orgId,
        category: input.category,
        valid_from: new Date(input.validFrom).toISOString(),
        valid_to: new Date(input.validTo).toISOString(),
        store_ids: JSON.stringify([...new Set(input.storeIds)]),
        days: JSON.stringify([...new Set(input.days)].sort()),
        slots: JSON.stringify(input.slots),
        first_store_id: firstStoreId,
        created_at: now(),
      })
      .execute();
  }

  /** Writes a voucher product (kind 'voucher'), its one SKU and its rules. */
  async function insertVoucherProduct(trx: VTrx, orgId: string, input: NewVoucher) {
    const at = now();
    const productId = newId();
    const skuId = newId();
    await trx
      .insertInto('products')
      .values({ id: productId, brand_org_id: orgId, title: input.title, description: input.description, category: '生活服务', images: JSON.stringify(input.image ? [input.image] : []), return_policy: 'standard', status: 'on_sale', created_at: at, kind: 'voucher' })
      .execute();
    await trx.insertInto('skus').values({ id: skuId, product_id: productId, spec: JSON.stringify({ 券: input.title }), price_fen: input.priceFen, stock: input.stock, created_at: at }).execute();
    await insertRules(trx, productId, orgId, input, null);
    return { productId, skuId };
  }

  async function voucherViews(rows: VoucherProductRow[]) {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.product_id);
    const [products, skus, counts] = await Promise.all([
      db.selectFrom('products').selectAll().where('id', 'in', ids).execute(),
      db.selectFrom('skus').selectAll().where('product_id', 'in', ids).execute(),
      db.selectFrom('voucher_codes').select(['product_id', 'status']).select((eb) => eb.fn.countAll<number>().as('n')).where('product_id', 'in', ids).groupBy(['product_id', 'status']).execute(),
    ]);
    const stores = await storesById([...new Set(rows.flatMap((r) => rulesOf(r).storeIds))]);
    return rows.map((r) => {
      const rules = rulesOf(r);
      const p = products.find((x) => x.id === r.product_id)!;
      const sku = skus.find((x) => x.product_id === r.product_id)!;
      const byStatus = Object.fromEntries(counts.filter((c) => c.product_id === r.product_id).map((c) => [c.status, Number(c.n)]));
      return {
        productId: r.product_id,
        skuId: sku.id,
        title: p.title,
        description: p.description,
        status: p.status,
        category: r.category,
        priceFen: sku.price_fen,
        stock: sku.stock,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        days: rules.days,
        slots: rules.slots,
        stores: rules.storeIds.map((id) => stores.get(id)).filter((s) => s !== undefined).map(storeView),
        firstStoreId: r.first_store_id,
        codes: byStatus as Partial<Record<VoucherCodeRow['status'], number>>,
      };
    });
  }

  async function codeViews(rows: VoucherCodeRow[], withQr: boolean) {
    if (!rows.length) return [];
    const productIds = [...new Set(rows.map((r) => r.product_id))];
    const [products, firstStores, vps, afterSales] = await Promise.all([
      db.selectFrom('products').select(['id', 'title']).where('id', 'in', productIds).execute(),
      db.selectFrom('first_stores').select(['id', 'coupon_title as title']).where('id', 'in', productIds).execute(),
      db.selectFrom('voucher_products').selectAll().where('product_id', 'in', productIds).execute(),
      (() => {
        const ids = rows.map((r) => r.after_sale_id).filter((x): x is string => !!x);
        return ids.length ? db.selectFrom('after_sales').select(['id', 'status']).where('id', 'in', ids).execute() : Promise.resolve([]);
      })(),
    ]);
    const stores = await storesById([...new Set([...vps.flatMap((v) => rulesOf(v).storeIds), ...rows.map((r) => r.redeemed_store_id).filter((x): x is string => !!x)])]);
    const brands = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.brand_org_id))]).execute();
    return Promise.all(
      rows.map(async (r) => {
        const vp = vps.find((v) => v.product_id === r.product_id)!;
        const rules = rulesOf(vp);
        // A refund the provider has confirmed shows as refunded even before the sweep marks the code.
        const refunded = r.status === 'refunding' && afterSales.find((a) => a.id === r.after_sale_id)?.status === 'refunded';
        const status = refunded ? 'refunded' : r.status;
        return {
          id: r.id,
          code: status === 'unused' ? r.code : null,
          codeText: status === 'unused' ? formatCode(r.code) : `•••• •••• •••• ${r.code.slice(-4)}`,
          qr: withQr && status === 'unused' ? await QRCode.toDataURL(r.code, { margin: 1, width: 220 }) : null,
          status,
          title: [...products, ...firstStores].find((p) => p.id === r.product_id)?.title ?? '',
          brandName: brands.find((b) => b.id === r.brand_org_id)?.name ?? '',
          category: vp.category,
          orderId: r.order_id,
          firstStoreId: vp.first_store_id,
          amountFen: r.amount_fen,
          validFrom: rules.validFrom,
          validTo: rules.validTo,
          days: rules.days,
          slots: rules.slots,
          stores: rules.storeIds.map((id) => stores.get(id)).filter((s) => s !== undefined).map(storeView),
          redeemedAt: r.redeemed_at,
          redeemedStore: r.redeemed_store_id ? (stores.get(r.redeemed_store_id)?.name ?? null) : null,
          createdAt: r.created_at,
        };
      }),
    );
  }

  /**
   * Moves a voucher order to completed once none of its codes can still be used or is being refunded,
   * handing back its business event (order.completed) for the caller to record last (docs/EVENTS.md "Lock order").
   */
  async function completeIfDoneDeferred(trx: VTrx, orderId: string): Promise<NewEvent[]> {
    const open = await trx.selectFrom('voucher_codes').select('id').where('order_id', '=', orderId).where('status', 'in', ['unused', 'refunding']).limit(1).executeTakeFirst();
    if (open) return [];
    const at = now();
    return (await deps.commerce.orders.transitionDeferred(trx as never, orderId, ['paid'], 'completed', { completed_at: at, delivered_at: at })) ?? [];
  }

  /** The same, recording the event at once: for a transaction with nothing left to lock after it. */
  async function completeIfDone(trx: VTrx, orderId: string) {
    await deps.outbox.record(trx as never, await completeIfDoneDeferred(trx, orderId));
  }

  return {
    productRules,
    codeViews,
    completeIfDone,
    insertRules,
    checkRules,

    // --- the product kind's hooks (server/commerce/kinds.ts) ---

    /** Before pricing: only vouchers still valid are sold, and never a first store's free coupon. */
    async checkSellable(productIds: string[]) {
      for (const id of productIds) {
        const entry = await productRules(id);
        if (!entry || entry.row.first_store_id) throw new AppError('PRODUCT_NOT_FOUND');
        if (entry.rules.validTo <= now()) throw new AppError('VOUCHER_SALE_ENDED');
      }
    },

    async quoteData(productIds: string[]) {
      const out = [];
      for (const id of productIds) {
        const entry = await productRules(id);
        if (!entry) continue;
        const stores = await storesById(entry.rules.storeIds);
        out.push({ productId: id, category: entry.row.category, validFrom: entry.rules.validFrom, validTo: entry.rules.validTo, days: entry.rules.days, slots: entry.rules.slots, stores: entry.rules.storeIds.map((s) => stores.get(s)?.name ?? '') });
      }
      return { vouchers: out };
    },

    /** In the payment's transaction: one code per unit, each carrying its share of the line's paid amount. */
    async issue(trx: VTrx, order: OrdersTable, items: OrderItemsTable[]) {
      const at = now();
      const rows: VoucherCodeRow[] = [];
      for (const item of items) {
        const entry = await productRules(item.product_id, trx);
        if (!entry) continue;
        const base = Math.floor(item.paid_fen / item.quantity);
        const extra = item.paid_fen - base * item.quantity;
        for (let i = 0; i < item.quantity; i++) {
          rows.push({
            id: newId(),
            code: newCode(),
            product_id: item.product_id,
            brand_org_id: order.brand_org_id,
            holder_id: order.buyer_id,
            order_id: order.id,
            item_id: item.id,
            amount_fen: base + (i < extra ? 1 : 0),
            status: 'unused',
            valid_to: entry.rules.validTo,
            redeemed_at: null,
            redeemed_day: null,
            redeemed_store_id: null,
            redeemed_by: null,
            after_sale_id: null,
            claimed_at: null,
            created_at: at,
          });
        }
      }
      if (rows.length) await trx.insertInto('voucher_codes').values(rows).execute();
    },

    /** In the transaction that cancels or fully refunds an order: its unused codes can no longer be used. */
    async voidUnused(trx: VTrx, order: OrdersTable) {
      await trx.updateTable('voucher_codes').set({ status: 'void' }).where('order_id', '=', order.id).where('status', '=', 'unused').execute();
    },

    // --- stores and their staff (the brand's console) ---

    async createStore(orgId: string, input: { name: string; city: string; address: string }) {
      const row: StoreRow = { id: newId(), brand_org_id: orgId, name: input.name, city: input.city, address: input.address, created_at: now() };
      await db.insertInto('merchant_stores').values(row).execute();
      return storeView(row);
    },

    async listStores(orgId: string) {
      const stores = await db.selectFrom('merchant_stores').selectAll().where('brand_org_id', '=', orgId).orderBy('created_at').limit(500).execute();
      const staff = stores.length
        ? await db.selectFrom('store_staff').innerJoin('users', 'users.id', 'store_staff.user_id').select(['store_staff.store_id', 'users.id', 'users.display_name']).where('store_staff.store_id', 'in', stores.map((s) => s.id)).execute()
        : [];
      return stores.map((s) => ({ ...storeView(s), staff: staff.filter((x) => x.store_id === s.id).map((x) => ({ id: x.id, displayName: x.display_name })) }));
    },

    /** Binds a user to a store; one who is not yet a member of the brand joins it as store staff (store_staff). */
    async addStaff(orgId: string, storeId: string, login: string, actorId: string) {
      await ownStores(orgId, [storeId]);
      let userId: string;
      try {
        userId = (await deps.orgs.addMember(orgId, login, 'store_staff', actorId)).id;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'ORG_MEMBER_EXISTS')) throw error;
        userId = (await deps.accounts.findUserByLogin(toLoginId(login)!))!.id;
      }
      const bound = await db.selectFrom('store_staff').select('user_id').where('store_id', '=', storeId).where('user_id', '=', userId).executeTakeFirst();
      if (!bound) await db.insertInto('store_staff').values({ store_id: storeId, user_id: userId, brand_org_id: orgId, created_at: now() }).execute();
      return { storeId, userId };
    },

    // --- voucher products ---

    async createVoucher(orgId: string, input: NewVoucher) {
      checkRules(input);
      await ownStores(orgId, input.storeIds);
      const { productId } = await db.transaction().execute((trx) => insertVoucherProduct(trx, orgId, input));
      const row = await db.selectFrom('voucher_products').selectAll().where('product_id', '=', productId).executeTakeFirstOrThrow();
      return (await voucherViews([row]))[0]!;
    },

    async listVouchers(orgId: string) {
      const rows = await db.selectFrom('voucher_products').selectAll().where('brand_org_id', '=', orgId).where('first_store_id', 'is', null).orderBy('created_at', 'desc').limit(200).execute();
      return voucherViews(rows);
    },

    /** Redemptions by store and China-time day, for the last `days` days. */
    async report(orgId: string, days: number) {
      const from = chinaTime(new Date(clock.now().getTime() - (days - 1) * 86_400_000)).day;
      const rows = await db
        .selectFrom('voucher_codes')
        .select(['redeemed_day', 'redeemed_store_id'])
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('fen')])
        .where('brand_org_id', '=', orgId)
        .where('status', '=', 'redeemed')
        .where('redeemed_day', '>=', from)
        .groupBy(['redeemed_day', 'redeemed_store_id'])
        .execute();
      const stores = await storesById([...new Set(rows.map((r) => r.redeemed_store_id!))]);
      const lines = rows
        .map((r) => ({ day: r.redeemed_day!, storeId: r.redeemed_store_id!, storeName: stores.get(r.redeemed_store_id!)?.name ?? '', redeemed: Number(r.n), amountFen: Number(r.fen ?? 0) }))
        .sort((a, b) => (a.day === b.day ? a.storeName.localeCompare(b.storeName) : b.day.localeCompare(a.day)));
      return { from, lines, totalRedeemed: lines.reduce((s, l) => s + l.redeemed, 0) };
    },

    // --- the buyer ---

    async mine(userId: string, orderId?: string) {
      let q = db.selectFrom('voucher_codes').selectAll().where('holder_id', '=', userId);
      if (orderId) q = q.where('order_id', '=', orderId);
      return codeViews(await q.orderBy('created_at', 'desc').limit(100).execute(), true);
    },

    // --- the store staff ---

    async staffStores(userId: string) {
      const rows = await db
        .selectFrom('store_staff')
        .innerJoin('merchant_stores', 'merchant_stores.id', 'store_staff.store_id')
        .innerJoin('organisations', 'organisations.id', 'merchant_stores.brand_org_id')
        .selectAll('merchant_stores')
        .select('organisations.name as brand_name')
        .where('store_staff.user_id', '=', userId)
        .orderBy('merchant_stores.created_at')
        .execute();
      const today = chinaTime(clock.now()).day;
      const counts = rows.length
        ? await db.selectFrom('voucher_codes').select('redeemed_store_id').select((eb) => eb.fn.countAll<number>().as('n')).where('redeemed_day', '=', today).where('redeemed_store_id', 'in', rows.map((r) => r.id)).groupBy('redeemed_store_id').execute()
        : [];
      return rows.map((r) => ({ ...storeView(r), brandName: r.brand_name, redeemedToday: Number(counts.find((c) => c.redeemed_store_id === r.id)?.n ?? 0) }));
    },

    async staffRecent(userId: string, storeId: string) {
      const bound = await db.selectFrom('store_staff').select('store_id').where('store_id', '=', storeId).where('user_id', '=', userId).executeTakeFirst();
      if (!bound) throw new AppError('STORE_STAFF_NOT_ASSIGNED');
      const rows = await db.selectFrom('voucher_codes').selectAll().where('redeemed_store_id', '=', storeId).where('status', '=', 'redeemed').orderBy('redeemed_at', 'desc').limit(20).execute();
      return codeViews(rows, false);
    },

    /**
     * 核销: once, by a staff member bound to the store, inside the voucher's validity, stores, days and
     * slots. The code is taken with a conditional UPDATE (status still unused), so two phones at the
     * same instant get one success and one VOUCHER_ALREADY_REDEEMED.
     */
    async redeem(staffId: string, storeId: string, typed: string) {
      const code = normalizeCode(typed);
      if (!code) throw AppError.refusal('VOUCHER_CODE_MALFORMED');
      const [store, found] = await Promise.all([
        db
          .selectFrom('store_staff')
          .innerJoin('merchant_stores', 'merchant_stores.id', 'store_staff.store_id')
          .select(['merchant_stores.id', 'merchant_stores.brand_org_id', 'merchant_stores.name'])
          .where('store_staff.store_id', '=', storeId)
          .where('store_staff.user_id', '=', staffId)
          .executeTakeFirst(),
        db.selectFrom('voucher_codes').leftJoin('products', 'products.id', 'voucher_codes.product_id').selectAll('voucher_codes').select('products.title').where('voucher_codes.code', '=', code).executeTakeFirst(),
      ]);
      if (!store) throw AppError.refusal('STORE_STAFF_NOT_ASSIGNED');
      if (!found) throw AppError.refusal('VOUCHER_CODE_NOT_FOUND');
      const { title, ...row } = found;
      if (row.brand_org_id !== store.brand_org_id) throw AppError.refusal('VOUCHER_OTHER_MERCHANT');
      const stateRefusal = (r: VoucherCodeRow) => {
        if (r.status === 'redeemed') return AppError.refusal('VOUCHER_ALREADY_REDEEMED', { at: r.redeemed_at ?? '' });
        if (r.status === 'expired') return AppError.refusal('VOUCHER_EXPIRED');
        if (r.status !== 'unused') return AppError.refusal('VOUCHER_VOID');
        return null;
      };
      const early = stateRefusal(row);
      if (early) throw early;
      const entry = (await productRules(row.product_id))!;
      const at = clock.now();
      const refused = refusal(entry.rules, storeId, at);
      if (refused) throw AppError.refusal(refused);
      const iso = at.toISOString();
      const won = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('voucher_codes')
          .set({ status: 'redeemed', redeemed_at: iso, redeemed_day: chinaTime(at).day, redeemed_store_id: storeId, redeemed_by: staffId })
          .where('id', '=', row.id)
          .where('status', '=', 'unused')
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) return false;
        // The order's row (which a refund of another of its codes may hold) before the events: docs/EVENTS.md "Lock order".
        const completed = row.order_id ? await completeIfDoneDeferred(trx, row.order_id) : [];
        await deps.outbox.record(trx as never, [
          { type: 'voucher.redeemed', subjectId: row.id, occurredAt: iso, payload: { codeId: row.id, orderId: row.order_id, productId: row.product_id, brandOrgId: row.brand_org_id, storeId, staffId, amountFen: row.amount_fen, redeemedAt: iso } },
          ...completed,
        ]);
        return true;
      });
      if (!won) {
        const fresh = await db.selectFrom('voucher_codes').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
        throw stateRefusal(fresh) ?? AppError.refusal('VOUCHER_ALREADY_REDEEMED', { at: '' });
      }
      const coupon = title === null ? await db.selectFrom('first_stores').select('coupon_title').where('id', '=', row.product_id).executeTakeFirst() : null;
      return { codeId: row.id, codeText: `•••• •••• •••• ${code.slice(-4)}`, title: title ?? coupon?.coupon_title ?? '', storeId, storeName: store.name, amountFen: row.amount_fen, redeemedAt: iso };
    },
  };
}

export type VoucherService = ReturnType<typeof createVoucherService>;
