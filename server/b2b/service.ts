import type { AuthUser } from '../accounts/service.ts';
import type { Commerce } from '../commerce/index.ts';
import type { Line, Trx } from '../commerce/orders.ts';
import { shippingFee } from '../commerce/pricing.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { ProductsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { brandsApproved, requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import { checkCreditCode } from './credit-code.ts';
import { b2bDb, inTrx, type LicenceRow, type RfqRow, type TermsRow, type Tier } from './tables.ts';

export type B2bDeps = { db: Db; clock: Clock; outbox: Outbox; commerce: Commerce };
export type Terms = { tiers: Tier[]; moq: number; samplePriceFen: number | null; sampleLimit: number };

/** Tiers rise in quantity and fall in price; the first starts at or below the MOQ (rule B2 in docs/B2B.md). */
export function checkTiers(terms: Terms) {
  const { tiers, moq } = terms;
  const ok = tiers.length > 0 && tiers[0]!.minQty <= moq && tiers.every((t, i) => i === 0 || (t.minQty > tiers[i - 1]!.minQty && t.unitPriceFen < tiers[i - 1]!.unitPriceFen));
  if (!ok) throw new AppError('B2B_TERMS_INVALID');
}

/** The unit price for a quantity: the tier with the largest minQty not above it (rule B3). */
export function tierPrice(tiers: Tier[], quantity: number): number {
  let price = tiers[0]!.unitPriceFen;
  for (const t of tiers) if (quantity >= t.minQty) price = t.unitPriceFen;
  return price;
}

const licenceView = (l: LicenceRow) => ({ id: l.id, userId: l.user_id, companyName: l.company_name, creditCode: l.credit_code, status: l.status, reason: l.reason, reviewedAt: l.reviewed_at, createdAt: l.created_at });
const termsOf = (t: TermsRow): Terms => ({ tiers: JSON.parse(t.tiers) as Tier[], moq: t.moq, samplePriceFen: t.sample_price_fen === null ? null : Number(t.sample_price_fen), sampleLimit: t.sample_limit });
const rfqView = (r: RfqRow, title?: string) => ({
  id: r.id,
  productId: r.product_id,
  productTitle: title ?? null,
  skuId: r.sku_id,
  brandOrgId: r.brand_org_id,
  buyerId: r.buyer_id,
  quantity: r.quantity,
  targetPriceFen: r.target_price_fen === null ? null : Number(r.target_price_fen),
  note: r.note,
  status: r.status,
  quote: r.quote_price_fen === null ? null : { unitPriceFen: Number(r.quote_price_fen), totalFen: Number(r.quote_price_fen) * r.quantity, note: r.quote_note, validUntil: r.quote_valid_until, quotedAt: r.quoted_at },
  orderId: r.order_id,
  createdAt: r.created_at,
});

export function createB2bService(deps: B2bDeps) {
  const { clock, outbox, commerce } = deps;
  const db = b2bDb(deps.db);
  const now = () => clock.now().toISOString();

  async function licenceOf(userId: string) {
    return db.selectFrom('b2b_licences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }
  async function isApproved(userId: string) {
    return (await licenceOf(userId))?.status === 'approved';
  }
  async function requireApproved(userId: string) {
    if (!(await isApproved(userId))) throw new AppError('B2B_LICENCE_REQUIRED');
  }

  /** A wholesale product on sale with its terms; anything else looks missing. */
  async function wholesale(productId: string) {
    const product = await db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirst();
    const terms = product?.kind === 'wholesale' ? await db.selectFrom('b2b_terms').selectAll().where('product_id', '=', productId).executeTakeFirst() : undefined;
    if (!product || !terms) throw new AppError('B2B_NOT_WHOLESALE');
    return { product, terms: termsOf(terms) };
  }

  /** A wholesale product to buy from: its brand approved by the operator (server/orgs/approval.ts). */
  async function forSale(productId: string) {
    const found = await wholesale(productId);
    await requireApprovedBrands(db, [found.product.brand_org_id]);
    return found;
  }

  async function addressOf(userId: string, addressId?: string) {
    const row = addressId
      ? await db.selectFrom('addresses').selectAll().where('id', '=', addressId).where('user_id', '=', userId).executeTakeFirst()
      : await db.selectFrom('addresses').selectAll().where('user_id', '=', userId).orderBy('is_default', 'desc').orderBy('created_at').executeTakeFirst();
    if (addressId && !row) throw new AppError('ADDRESS_NOT_FOUND');
    if (!row) throw new AppError('ADDRESS_REQUIRED');
    return { name: row.name, phone: row.phone, region: row.region, detail: row.detail };
  }

  async function skuOf(product: ProductsTable, skuId: string) {
    const sku = await db.selectFrom('skus').selectAll().where('id', '=', skuId).executeTakeFirst();
    if (!sku || sku.product_id !== product.id) throw new AppError('ORDER_SKU_MISMATCH', { skuId });
    return sku;
  }

  /** Writes an order at a price of its own (a sample, an accepted quote): stock taken in the same transaction, as flash.ts does. */
  async function placeOwnOrder(
    buyer: AuthUser,
    product: ProductsTable,
    sku: { id: string; spec: string },
    unitPriceFen: number,
    quantity: number,
    addressId: string | undefined,
    kindData: Record<string, unknown>,
    within: (trx: Trx, orderId: string) => Promise<void>,
  ) {
    if (product.status !== 'on_sale') throw new AppError('PRODUCT_OFF_SALE');
    await requireApprovedBrands(db, [product.brand_org_id]);
    const address = await addressOf(buyer.id, addressId);
    const itemsTotal = unitPriceFen * quantity;
    if (!Number.isSafeInteger(itemsTotal) || itemsTotal > 100_000_000_000) throw new AppError('ORDER_TOO_LARGE');
    const shipping = shippingFee(await commerce.shop.shippingRule(product.brand_org_id), itemsTotal);
    const row = commerce.orders.newOrderRow({
      id: newId(),
      buyer_id: buyer.id,
      brand_org_id: product.brand_org_id,
      session_id: null,
      flash_sale_id: null,
      items_total_fen: itemsTotal,
      discount_fen: 0,
      shipping_fen: shipping,
      total_fen: itemsTotal + shipping,
      user_coupon_id: null,
      coupon_title: null,
      address: JSON.stringify(address),
      confirmed_no_return: 0,
      idempotency_key: null,
      request_hash: null,
      kind: 'wholesale',
      kind_data: JSON.stringify(kindData),
    });
    const line: Line = {
      product_id: product.id,
      sku_id: sku.id,
      title: product.title,
      spec: sku.spec,
      image: (JSON.parse(product.images) as string[])[0] ?? null,
      unit_price_fen: unitPriceFen,
      quantity,
      paid_fen: itemsTotal,
      return_policy: product.return_policy,
    };
    await deps.db.transaction().execute(async (trx) => {
      await within(trx, row.id);
      const taken = await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', quantity) })).where('id', '=', sku.id).where('stock', '>=', quantity).executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw new AppError('STOCK_INSUFFICIENT', { title: product.title });
      await commerce.orders.insertOrder(trx, row, [line]);
    });
    return commerce.orders.get(buyer, row.id);
  }

  return {
    isApproved,
    requireApproved,
    wholesale,
    termsOf,

    // --- licences (rule B1) ---
    async submitLicence(userId: string, input: { companyName: string; creditCode: string }) {
      const check = checkCreditCode(input.creditCode);
      if (check === 'malformed') throw new AppError('B2B_LICENCE_MALFORMED');
      if (check === 'check') throw new AppError('B2B_LICENCE_CHECK_INVALID');
      const at = now();
      const existing = await licenceOf(userId);
      if (existing && existing.status !== 'rejected') throw new AppError('B2B_LICENCE_EXISTS');
      if (existing) {
        // A rejected licence may be submitted again: back to pending, with the new details.
        const moved = await db
          .updateTable('b2b_licences')
          .set({ company_name: input.companyName, credit_code: input.creditCode, status: 'pending', reason: null, reviewed_by: null, reviewed_at: null, updated_at: at })
          .where('id', '=', existing.id)
          .where('status', '=', 'rejected')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new AppError('B2B_LICENCE_EXISTS');
        return licenceView((await licenceOf(userId))!);
      }
      const row: LicenceRow = { id: newId(), user_id: userId, company_name: input.companyName, credit_code: input.creditCode, status: 'pending', reason: null, reviewed_by: null, reviewed_at: null, created_at: at, updated_at: at };
      try {
        await db.insertInto('b2b_licences').values(row).execute();
      } catch (error) {
        // Two submissions at once: the unique index on user_id keeps one.
        if (await licenceOf(userId)) throw new AppError('B2B_LICENCE_EXISTS');
        throw error;
      }
      return licenceView(row);
    },
    async myLicence(userId: string) {
      const l = await licenceOf(userId);
      return l ? licenceView(l) : null;
    },
    async listLicences(status?: 'pending' | 'approved' | 'rejected') {
      let q = db.selectFrom('b2b_licences').selectAll();
      if (status) q = q.where('status', '=', status);
      return (await q.orderBy('created_at').limit(200).execute()).map(licenceView);
    },
    async reviewLicence(licenceId: string, decision: 'approve' | 'reject', reason: string | undefined, operatorId: string) {
      const at = now();
      const status = decision === 'approve' ? 'approved' : 'rejected';
      await deps.db.transaction().execute(async (trx) => {
        const moved = await inTrx(trx)
          .updateTable('b2b_licences')
          .set({ status, reason: reason ?? null, reviewed_by: operatorId, reviewed_at: at, updated_at: at })
          .where('id', '=', licenceId)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!moved) {
          const exists = await inTrx(trx).selectFrom('b2b_licences').select('id').where('id', '=', licenceId).executeTakeFirst();
          throw new AppError(exists ? 'B2B_LICENCE_NOT_PENDING' : 'B2B_LICENCE_NOT_FOUND');
        }
        await outbox.record(trx, [{ type: 'b2b.licence.reviewed', subjectId: licenceId, occurredAt: at, payload: { licenceId, userId: moved.user_id, status } }]);
      });
      return licenceView((await db.selectFrom('b2b_licences').selectAll().where('id', '=', licenceId).executeTakeFirstOrThrow()));
    },

    // --- wholesale products and their terms (rules B2, B3) ---
    async createProduct(orgId: string, input: { title: string; description: string; category: string; images: string[]; skus: { spec: Record<string, string>; priceFen: number; stock: number }[] } & Terms) {
      checkTiers(input);
      const at = now();
      const id = newId();
      await deps.db.transaction().execute(async (trx) => {
        await inTrx(trx)
          .insertInto('products')
          .values({ id, brand_org_id: orgId, title: input.title, description: input.description, category: input.category, images: JSON.stringify(input.images), return_policy: 'standard', status: 'on_sale', created_at: at, kind: 'wholesale' })
          .execute();
        await inTrx(trx).insertInto('skus').values(input.skus.map((s) => ({ id: newId(), product_id: id, spec: JSON.stringify(s.spec), price_fen: s.priceFen, stock: s.stock, created_at: at }))).execute();
        await inTrx(trx).insertInto('b2b_terms').values({ product_id: id, brand_org_id: orgId, tiers: JSON.stringify(input.tiers), moq: input.moq, sample_price_fen: input.samplePriceFen, sample_limit: input.sampleLimit, updated_at: at }).execute();
      });
      return (await this.orgProducts(orgId)).find((p) => p.id === id)!;
    },
    async setTerms(orgId: string, productId: string, terms: Terms) {
      checkTiers(terms);
      const moved = await db
        .updateTable('b2b_terms')
        .set({ tiers: JSON.stringify(terms.tiers), moq: terms.moq, sample_price_fen: terms.samplePriceFen, sample_limit: terms.sampleLimit, updated_at: now() })
        .where('product_id', '=', productId)
        .where('brand_org_id', '=', orgId)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new AppError('B2B_NOT_WHOLESALE');
      return (await this.orgProducts(orgId)).find((p) => p.id === productId)!;
    },
    /** The seller's wholesale products with their terms. */
    async orgProducts(orgId: string) {
      const terms = await db.selectFrom('b2b_terms').selectAll().where('brand_org_id', '=', orgId).execute();
      if (!terms.length) return [];
      const ids = terms.map((t) => t.product_id);
      const [products, skus] = await Promise.all([
        db.selectFrom('products').selectAll().where('id', 'in', ids).orderBy('created_at').execute(),
        db.selectFrom('skus').selectAll().where('product_id', 'in', ids).orderBy('created_at').execute(),
      ]);
      return products.map((p) => ({
        id: p.id,
        title: p.title,
        status: p.status,
        skus: skus.filter((s) => s.product_id === p.id).map((s) => ({ id: s.id, spec: JSON.parse(s.spec) as Record<string, string>, priceFen: s.price_fen, stock: s.stock })),
        ...termsOf(terms.find((t) => t.product_id === p.id)!),
      }));
    },
    /** What anyone sees of a wholesale product: the tiers only for an approved buyer (rule B4). */
    async productView(productId: string, user: AuthUser | null) {
      const { product, terms } = await wholesale(productId);
      // Not shown to the public before the operator approves the brand.
      if (!(await brandsApproved(db, [product.brand_org_id]))) throw new AppError('B2B_NOT_WHOLESALE');
      const [skus, brand, licence] = await Promise.all([
        db.selectFrom('skus').selectAll().where('product_id', '=', productId).orderBy('created_at').execute(),
        commerce.shop.brandOf(product.brand_org_id),
        user ? licenceOf(user.id) : undefined,
      ]);
      const qualified = licence?.status === 'approved';
      return {
        product: {
          id: product.id,
          title: product.title,
          description: product.description,
          category: product.category,
          images: JSON.parse(product.images) as string[],
          status: product.status,
          brand,
          skus: skus.map((s) => ({ id: s.id, spec: JSON.parse(s.spec) as Record<string, string>, suggestedRetailFen: s.price_fen, stock: s.stock })),
          moq: terms.moq,
          samples: terms.samplePriceFen !== null && terms.sampleLimit > 0 ? { limit: terms.sampleLimit, ...(qualified && { priceFen: terms.samplePriceFen }) } : null,
          tiers: qualified ? terms.tiers : null,
        },
        qualified,
        licenceStatus: licence?.status ?? null,
      };
    },
    /** The wholesale prices themselves: refused without an approved licence (rule B4). */
    async prices(productId: string, user: AuthUser) {
      const { terms } = await forSale(productId);
      await requireApproved(user.id);
      return { tiers: terms.tiers, moq: terms.moq, samplePriceFen: terms.samplePriceFen, sampleLimit: terms.sampleLimit };
    },

    // --- samples (rule B6) ---
    async requestSample(buyer: AuthUser, productId: string, input: { skuId: string; quantity: number; addressId?: string }) {
      const { product, terms } = await forSale(productId);
      await requireApproved(buyer.id);
      if (terms.samplePriceFen === null || terms.sampleLimit <= 0) throw new AppError('B2B_NO_SAMPLES');
      if (input.quantity > terms.sampleLimit) throw new AppError('B2B_SAMPLE_LIMIT', { limit: terms.sampleLimit });
      const sku = await skuOf(product, input.skuId);
      return placeOwnOrder(buyer, product, sku, terms.samplePriceFen, input.quantity, input.addressId, { sample: { quantity: input.quantity } }, async (trx) => {
        const t = inTrx(trx);
        await t.insertInto('b2b_sample_counts').values({ product_id: productId, buyer_id: buyer.id, taken: 0 }).onConflict((oc) => oc.columns(['product_id', 'buyer_id']).doNothing()).execute();
        const counted = await t
          .updateTable('b2b_sample_counts')
          .set((eb) => ({ taken: eb('taken', '+', input.quantity) }))
          .where('product_id', '=', productId)
          .where('buyer_id', '=', buyer.id)
          .where('taken', '<=', terms.sampleLimit - input.quantity)
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) !== 1) throw new AppError('B2B_SAMPLE_LIMIT', { limit: terms.sampleLimit });
      });
    },

    // --- requests for quotation (rule B7) ---
    async createRfq(buyer: AuthUser, productId: string, input: { skuId: string; quantity: number; targetPriceFen?: number; note: string }) {
      const { product, terms } = await forSale(productId);
      await requireApproved(buyer.id);
      await skuOf(product, input.skuId);
      if (input.quantity < terms.moq) throw new AppError('B2B_BELOW_MOQ', { title: product.title, moq: terms.moq, quantity: input.quantity });
      const at = now();
      const row: RfqRow = {
        id: newId(),
        product_id: productId,
        sku_id: input.skuId,
        brand_org_id: product.brand_org_id,
        buyer_id: buyer.id,
        quantity: input.quantity,
        target_price_fen: input.targetPriceFen ?? null,
        note: input.note,
        status: 'open',
        quote_price_fen: null,
        quote_note: null,
        quote_valid_until: null,
        quoted_at: null,
        order_id: null,
        created_at: at,
        updated_at: at,
      };
      await db.insertInto('b2b_rfqs').values(row).execute();
      return rfqView(row, product.title);
    },
    async rfqs(filter: { buyerId: string } | { orgId: string }) {
      let q = db.selectFrom('b2b_rfqs').innerJoin('products', 'products.id', 'b2b_rfqs.product_id').selectAll('b2b_rfqs').select('products.title');
      q = 'buyerId' in filter ? q.where('b2b_rfqs.buyer_id', '=', filter.buyerId) : q.where('b2b_rfqs.brand_org_id', '=', filter.orgId);
      return (await q.orderBy('b2b_rfqs.created_at', 'desc').limit(200).execute()).map((r) => rfqView(r, r.title));
    },
    async quote(orgId: string, rfqId: string, input: { unitPriceFen: number; note: string; validDays: number }) {
      const at = clock.now();
      const validUntil = new Date(at.getTime() + input.validDays * 86_400_000).toISOString();
      return deps.db.transaction().execute(async (trx) => {
        const rfq = await inTrx(trx).selectFrom('b2b_rfqs').selectAll().where('id', '=', rfqId).executeTakeFirst();
        if (!rfq || rfq.brand_org_id !== orgId) throw new AppError('B2B_RFQ_NOT_FOUND');
        const moved = await inTrx(trx)
          .updateTable('b2b_rfqs')
          .set({ status: 'quoted', quote_price_fen: input.unitPriceFen, quote_note: input.note, quote_valid_until: validUntil, quoted_at: at.toISOString(), updated_at: at.toISOString() })
          .where('id', '=', rfqId)
          .where('status', '=', 'open')
          .returningAll()
          .executeTakeFirst();
        if (!moved) throw new AppError('B2B_RFQ_NOT_OPEN');
        await outbox.record(trx, [{ type: 'b2b.rfq.quoted', subjectId: rfqId, occurredAt: at.toISOString(), payload: { rfqId, brandOrgId: orgId, buyerId: rfq.buyer_id, productId: rfq.product_id, quantity: rfq.quantity, unitPriceFen: input.unitPriceFen, validUntil } }]);
        return rfqView(moved);
      });
    },
    async decline(orgId: string, rfqId: string, note: string) {
      const rfq = await db.selectFrom('b2b_rfqs').selectAll().where('id', '=', rfqId).executeTakeFirst();
      if (!rfq || rfq.brand_org_id !== orgId) throw new AppError('B2B_RFQ_NOT_FOUND');
      const moved = await db.updateTable('b2b_rfqs').set({ status: 'declined', quote_note: note, updated_at: now() }).where('id', '=', rfqId).where('status', 'in', ['open', 'quoted']).returningAll().executeTakeFirst();
      if (!moved) throw new AppError('B2B_RFQ_NOT_OPEN');
      return rfqView(moved);
    },
    /** The buyer accepts a quote: an order at the quoted unit price, the RFQ moved quoted → ordered in the same transaction. */
    async accept(buyer: AuthUser, rfqId: string, addressId?: string) {
      const rfq = await db.selectFrom('b2b_rfqs').selectAll().where('id', '=', rfqId).executeTakeFirst();
      if (!rfq || rfq.buyer_id !== buyer.id) throw new AppError('B2B_RFQ_NOT_FOUND');
      if (rfq.status !== 'quoted' || rfq.quote_price_fen === null) throw new AppError('B2B_RFQ_NOT_QUOTED');
      if (rfq.quote_valid_until! <= now()) throw new AppError('B2B_QUOTE_EXPIRED', { validUntil: rfq.quote_valid_until! });
      await requireApproved(buyer.id);
      const { product } = await wholesale(rfq.product_id);
      const sku = await skuOf(product, rfq.sku_id);
      const unit = Number(rfq.quote_price_fen);
      return placeOwnOrder(buyer, product, sku, unit, rfq.quantity, addressId, { rfqId, quotedUnitPriceFen: unit }, async (trx, orderId) => {
        const moved = await inTrx(trx)
          .updateTable('b2b_rfqs')
          .set({ status: 'ordered', order_id: orderId, updated_at: now() })
          .where('id', '=', rfqId)
          .where('status', '=', 'quoted')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new AppError('B2B_RFQ_NOT_QUOTED');
      });
    },

    // --- leads (留资, rule B8) ---
    async captureLead(user: AuthUser, input: { sessionId: string; productId?: string; name: string; contact: string; company: string; need: string; consent?: boolean }) {
      if (input.consent !== true) throw new AppError('B2B_LEAD_CONSENT_REQUIRED');
      const session = await db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('id', '=', input.sessionId).executeTakeFirst();
      if (!session?.brand_org_id) throw new AppError('B2B_SESSION_NOT_FOUND');
      if (input.productId) {
        const product = await db.selectFrom('products').select('brand_org_id').where('id', '=', input.productId).executeTakeFirst();
        if (!product || product.brand_org_id !== session.brand_org_id) throw new AppError('PRODUCT_NOT_FOUND');
      }
      const at = now();
      const lead = { id: newId(), brand_org_id: session.brand_org_id, session_id: session.id, product_id: input.productId ?? null, user_id: user.id, name: input.name, contact: input.contact, company: input.company, need: input.need, consented_at: at, created_at: at };
      await deps.db.transaction().execute(async (trx) => {
        await inTrx(trx).insertInto('b2b_leads').values(lead).execute();
        // The contact details stay in the seller's console; the event names the lead only.
        await outbox.record(trx, [{ type: 'b2b.lead.captured', subjectId: lead.id, occurredAt: at, payload: { leadId: lead.id, brandOrgId: lead.brand_org_id, sessionId: lead.session_id, productId: lead.product_id } }]);
      });
      return { id: lead.id, createdAt: at };
    },
    async leads(orgId: string) {
      const rows = await db.selectFrom('b2b_leads').selectAll().where('brand_org_id', '=', orgId).orderBy('created_at', 'desc').limit(500).execute();
      return rows.map((l) => ({ id: l.id, sessionId: l.session_id, productId: l.product_id, name: l.name, contact: l.contact, company: l.company, need: l.need, consentedAt: l.consented_at, createdAt: l.created_at }));
    },
  };
}

export type B2bService = ReturnType<typeof createB2bService>;
