import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Kinds, KindRules } from '../commerce/kinds.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { CrossBorderIdentitiesTable, CrossBorderProductsTable, Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds } from '../orgs/approval.ts';
import type { Secrets } from '../platform/secrets.ts';
import { maskIdNumber } from '../streamers/idcard.ts';
import { buildMessages, MESSAGE_TYPES, validateMessage, type MessageType } from './customs.ts';
import { ANNUAL_LIMIT_FEN, chinaYear, checkIdNumber, generalTax, RETAIL_SHARE_PERCENT, retailTax, splitShipping, TRANSACTION_LIMIT_FEN, yuanGrouped, type Regime } from './rules.ts';
import type { CrossBorderProductInput, IdentityInput } from './schema.ts';

type Trx = Transaction<Database>;

/** 直播+跨境电商: cross-border retail import (docs/CROSSBORDER.md). */
export function createCrossBorder(deps: { db: Db; clock: Clock; secrets: Secrets; kinds: Kinds }) {
  const { db, clock, secrets } = deps;
  const now = () => clock.now().toISOString();
  const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, '') === b.trim().replace(/\s+/g, '');

  function productView(p: CrossBorderProductsTable) {
    const vat = p.vat_rate_bp;
    const ct = p.consumption_tax_rate_bp;
    return {
      productId: p.product_id,
      originCountry: p.origin_country,
      mode: p.mode,
      vatRateBp: vat,
      consumptionTaxRateBp: ct,
      tariffRateBp: p.tariff_rate_bp,
      indivisible: p.indivisible === 1,
      hsCode: p.hs_code,
      /** R5: (ct + vat) ÷ (1 − ct) × 70 %, in basis points (rounded to 0.01 %). */
      retailRateBp: Math.round(((ct + vat) * 10_000 * RETAIL_SHARE_PERCENT) / ((10_000 - ct) * 100)),
    };
  }

  function identityView(row: CrossBorderIdentitiesTable) {
    return { realName: row.real_name, idNumberMasked: row.id_number_masked, birthDate: row.birth_date, verifiedAt: row.verified_at };
  }

  const identityOf = (userId: string, q: Db | Trx = db) => q.selectFrom('crossborder_identities').selectAll().where('user_id', '=', userId).executeTakeFirst();

  async function usedFen(person: string, year: number, q: Db | Trx = db) {
    const row = await q.selectFrom('crossborder_quotas').select('used_fen').where('person', '=', person).where('year', '=', year).executeTakeFirst();
    return Number(row?.used_fen ?? 0);
  }

  const rules: KindRules = {
    kind: 'crossborder',

    async quote(ctx) {
      const ids = [...new Set(ctx.lines.map((l) => l.product_id))];
      const classes = await db.selectFrom('crossborder_products').selectAll().where('product_id', 'in', ids).execute();
      const classOf = (productId: string) => {
        const c = classes.find((x) => x.product_id === productId);
        if (!c) throw new AppError('PRODUCT_NOT_FOUND');
        return c;
      };
      const at = clock.now();
      const identity = await identityOf(ctx.buyer.id);
      if (ctx.forOrder && !identity) throw new AppError('CROSSBORDER_IDENTITY_REQUIRED');
      // R8: the payer named at checkout must be the verified buyer.
      const payer = ctx.input.crossBorder;
      if (payer) {
        const id = checkIdNumber(payer.payerIdNumber, at);
        if (!id) throw new AppError('CROSSBORDER_ID_INVALID');
        if (!identity) throw new AppError('CROSSBORDER_IDENTITY_REQUIRED');
        if (secrets.hash(id.normalized) !== identity.id_number_hash || !sameName(payer.payerName, identity.real_name)) throw new AppError('CROSSBORDER_PAYER_NOT_BUYER');
      }
      // R1–R3: the dutiable value and the transaction limit.
      const dutiableFen = ctx.itemsTotalFen - ctx.discountFen + ctx.shippingFen;
      const single = ctx.lines.length === 1 && ctx.lines[0]!.quantity === 1 && classOf(ctx.lines[0]!.product_id).indivisible === 1;
      if (dutiableFen > TRANSACTION_LIMIT_FEN && !single) throw new AppError('CROSSBORDER_OVER_TRANSACTION_LIMIT', { value: yuanGrouped(dutiableFen) });
      const regime: Regime = dutiableFen > TRANSACTION_LIMIT_FEN ? 'general' : 'retail';
      // R4, read here for the buy sheet; taken for real in `placed`, in the order's transaction.
      const year = chinaYear(at);
      const used = identity ? await usedFen(identity.id_number_hash, year) : 0;
      if (identity && used + dutiableFen > ANNUAL_LIMIT_FEN) throw new AppError('CROSSBORDER_OVER_ANNUAL_LIMIT', { year, used: yuanGrouped(used), value: yuanGrouped(dutiableFen) });
      // R5–R7: the tax per line.
      const shipping = splitShipping(ctx.lines.map((l) => l.paid_fen), ctx.shippingFen);
      const lines = ctx.lines.map((l, i) => {
        const c = classOf(l.product_id);
        const taxClass = { vatRateBp: c.vat_rate_bp, consumptionTaxRateBp: c.consumption_tax_rate_bp, tariffRateBp: c.tariff_rate_bp };
        const tax = regime === 'retail' ? retailTax(l.paid_fen + shipping[i]!, taxClass) : generalTax(l.paid_fen + shipping[i]!, taxClass);
        return { productId: l.product_id, skuId: l.sku_id, originCountry: c.origin_country, mode: c.mode, ...taxClass, shippingFen: shipping[i]!, ...tax };
      });
      const taxFen = lines.reduce((s, l) => s + l.taxFen, 0);
      return {
        taxFen,
        data: {
          regime,
          dutiableFen,
          taxFen,
          tariffFen: lines.reduce((s, l) => s + l.tariffFen, 0),
          consumptionTaxFen: lines.reduce((s, l) => s + l.consumptionTaxFen, 0),
          vatFen: lines.reduce((s, l) => s + l.vatFen, 0),
          lines,
          year,
          transactionLimitFen: TRANSACTION_LIMIT_FEN,
          annualLimitFen: ANNUAL_LIMIT_FEN,
          annualUsedFen: used,
          identity: identity ? { realName: identity.real_name, idNumberMasked: identity.id_number_masked } : null,
        },
      };
    },

    // R4 under concurrency: the person's row for the year is taken with a conditional UPDATE in the
    // order's transaction, so racing orders never take anyone over ¥26,000, on either database.
    async placed(trx, order) {
      const identity = await identityOf(order.buyer_id, trx);
      if (!identity) throw new AppError('CROSSBORDER_IDENTITY_REQUIRED');
      const fen = Number(order.total_fen) - Number(order.tax_fen);
      const year = chinaYear(new Date(order.created_at));
      const person = identity.id_number_hash;
      await trx.insertInto('crossborder_quotas').values({ person, year, used_fen: 0 }).onConflict((oc) => oc.columns(['person', 'year']).doNothing()).execute();
      const taken = await trx
        .updateTable('crossborder_quotas')
        .set((eb) => ({ used_fen: eb('used_fen', '+', fen) }))
        .where('person', '=', person)
        .where('year', '=', year)
        .where('used_fen', '<=', ANNUAL_LIMIT_FEN - fen)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw AppError.refusal('CROSSBORDER_OVER_ANNUAL_LIMIT', { year, used: yuanGrouped(await usedFen(person, year, trx)), value: yuanGrouped(fen) });
      await trx.insertInto('crossborder_order_quotas').values({ order_id: order.id, person, year, fen, released_at: null }).execute();
    },

    async paid(trx, order) {
      const guid = () => crypto.randomUUID().toUpperCase();
      await trx
        .insertInto('crossborder_declarations')
        .values({ order_id: order.id, brand_org_id: order.brand_org_id, order_guid: guid(), payment_guid: guid(), waybill_guid: guid(), created_at: now() })
        .onConflict((oc) => oc.column('order_id').doNothing())
        .execute();
    },

    async released(trx, order) {
      const taken = await trx.selectFrom('crossborder_order_quotas').selectAll().where('order_id', '=', order.id).executeTakeFirst();
      if (!taken) return;
      const moved = await trx.updateTable('crossborder_order_quotas').set({ released_at: now() }).where('order_id', '=', order.id).where('released_at', 'is', null).executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return;
      await trx
        .updateTable('crossborder_quotas')
        .set((eb) => ({ used_fen: eb('used_fen', '-', Number(taken.fen)) }))
        .where('person', '=', taken.person)
        .where('year', '=', taken.year)
        .execute();
    },
  };
  deps.kinds.register(rules);

  return {
    rules,

    // --- the buyer's identity (实名认证) ---
    async identity(userId: string) {
      const row = await identityOf(userId);
      if (!row) return { identity: null, year: chinaYear(clock.now()), annualUsedFen: 0, annualLimitFen: ANNUAL_LIMIT_FEN, transactionLimitFen: TRANSACTION_LIMIT_FEN };
      const year = chinaYear(clock.now());
      return { identity: identityView(row), year, annualUsedFen: await usedFen(row.id_number_hash, year), annualLimitFen: ANNUAL_LIMIT_FEN, transactionLimitFen: TRANSACTION_LIMIT_FEN };
    },
    async verify(userId: string, input: IdentityInput) {
      const id = checkIdNumber(input.idNumber, clock.now());
      if (!id) throw new AppError('CROSSBORDER_ID_INVALID');
      const row = {
        user_id: userId,
        real_name: input.realName.trim(),
        id_number_enc: secrets.encrypt(id.normalized),
        id_number_hash: secrets.hash(id.normalized),
        id_number_masked: maskIdNumber(id.normalized),
        birth_date: id.birthDate,
        verified_at: now(),
      };
      const { user_id: _u, ...update } = row;
      await db.insertInto('crossborder_identities').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(update)).execute();
      return this.identity(userId);
    },

    // --- products ---
    async product(productId: string) {
      const row = await db
        .selectFrom('crossborder_products')
        .innerJoin('products', 'products.id', 'crossborder_products.product_id')
        .selectAll('crossborder_products')
        .where('crossborder_products.product_id', '=', productId)
        .where('products.kind', '=', 'crossborder')
        .where('products.status', '=', 'on_sale')
        .where('products.brand_org_id', 'in', approvedOrgIds(db))
        .executeTakeFirst();
      if (!row) throw new AppError('PRODUCT_NOT_FOUND');
      return productView(row);
    },
    async brandProducts(orgId: string) {
      const rows = await db.selectFrom('crossborder_products').selectAll().where('brand_org_id', '=', orgId).orderBy('updated_at', 'desc').limit(500).execute();
      return rows.map(productView);
    },
    async setProduct(orgId: string, productId: string, input: CrossBorderProductInput) {
      const product = await db.selectFrom('products').select(['id', 'brand_org_id', 'kind']).where('id', '=', productId).executeTakeFirst();
      // Another brand's product answers as a missing one.
      if (!product || product.brand_org_id !== orgId) throw new AppError('PRODUCT_NOT_FOUND');
      if (product.kind !== 'goods' && product.kind !== 'crossborder') throw new AppError('CROSSBORDER_PRODUCT_KIND_TAKEN', { kind: product.kind });
      const row: CrossBorderProductsTable = {
        product_id: productId,
        brand_org_id: orgId,
        origin_country: input.originCountry,
        mode: input.mode,
        vat_rate_bp: input.vatRateBp,
        consumption_tax_rate_bp: input.consumptionTaxRateBp,
        tariff_rate_bp: input.tariffRateBp,
        indivisible: input.indivisible ? 1 : 0,
        hs_code: input.hsCode,
        updated_at: now(),
      };
      const { product_id: _p, ...update } = row;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('crossborder_products').values(row).onConflict((oc) => oc.column('product_id').doUpdateSet(update)).execute();
        await trx.updateTable('products').set({ kind: 'crossborder' }).where('id', '=', productId).where('kind', 'in', ['goods', 'crossborder']).execute();
      });
      return productView(row);
    },

    // --- the customs messages (三单) ---
    async declarations(orgId: string) {
      const rows = await db
        .selectFrom('crossborder_declarations')
        .innerJoin('orders', 'orders.id', 'crossborder_declarations.order_id')
        .select(['orders.id', 'orders.status', 'orders.total_fen', 'orders.tax_fen', 'orders.paid_at', 'orders.tracking_no', 'crossborder_declarations.created_at'])
        .where('crossborder_declarations.brand_org_id', '=', orgId)
        .orderBy('crossborder_declarations.created_at', 'desc')
        .limit(200)
        .execute();
      return rows.map((r) => ({ orderId: r.id, status: r.status, totalFen: Number(r.total_fen), taxFen: Number(r.tax_fen), paidAt: r.paid_at, waybillPlaceholder: !r.tracking_no, declaredAt: r.created_at }));
    },

    /** The three messages of a paid order of the brand, each validated against its XSD. */
    async messages(orgId: string, orderId: string): Promise<{ type: MessageType; xml: string; valid: boolean }[]> {
      const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
      if (!order || order.brand_org_id !== orgId || order.kind !== 'crossborder') throw new AppError('ORDER_NOT_FOUND');
      const decl = await db.selectFrom('crossborder_declarations').selectAll().where('order_id', '=', orderId).executeTakeFirst();
      if (!decl) throw new AppError('CROSSBORDER_NOT_DECLARED');
      const [items, identity, brand, payment, classes] = await Promise.all([
        db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
        identityOf(order.buyer_id),
        db.selectFrom('organisations').select(['name', 'licence_no']).where('id', '=', order.brand_org_id).executeTakeFirstOrThrow(),
        db.selectFrom('payments').selectAll().where('order_id', '=', orderId).where('status', '=', 'succeeded').executeTakeFirst(),
        db.selectFrom('crossborder_products').selectAll().where('product_id', 'in', db.selectFrom('order_items').select('product_id').where('order_id', '=', orderId)).execute(),
      ]);
      if (!identity) throw new AppError('CROSSBORDER_IDENTITY_REQUIRED');
      const address = order.address ? (JSON.parse(order.address) as { name: string; phone: string; region: string; detail: string }) : { name: identity.real_name, phone: '', region: '', detail: '' };
      const messages = buildMessages({
        guids: { order: decl.order_guid, payment: decl.payment_guid, waybill: decl.waybill_guid },
        orderNo: order.id,
        appTime: new Date(decl.created_at),
        brand: { code: brand.licence_no ?? order.brand_org_id.slice(0, 18), name: brand.name },
        buyer: { userId: order.buyer_id, realName: identity.real_name, idNumber: secrets.decrypt(identity.id_number_enc), telephone: address.phone || '-' },
        consignee: { name: address.name, phone: address.phone || '-', address: `${address.region} ${address.detail}`.trim() || '-' },
        lines: items.map((i) => {
          const c = classes.find((x) => x.product_id === i.product_id);
          const spec = Object.values(JSON.parse(i.spec) as Record<string, string>).join(' ');
          return { title: i.title, spec, quantity: i.quantity, unitPriceFen: Number(i.unit_price_fen), paidFen: Number(i.paid_fen), country: c?.origin_country ?? '', hsCode: c?.hs_code ?? '' };
        }),
        goodsFen: Number(order.items_total_fen),
        shippingFen: Number(order.shipping_fen),
        discountFen: Number(order.discount_fen),
        taxFen: Number(order.tax_fen),
        totalFen: Number(order.total_fen),
        payment: { tradeNo: payment?.provider_trade_no ?? payment?.id ?? order.id, paidAt: new Date(payment?.paid_at ?? order.paid_at ?? decl.created_at) },
        waybill: order.tracking_no ? { carrier: order.carrier ?? '-', trackingNo: order.tracking_no, placeholder: false } : { carrier: '待发货', trackingNo: `ZB${order.id.replace(/-/g, '').slice(-20).toUpperCase()}`, placeholder: true },
      });
      const out: { type: MessageType; xml: string; valid: boolean }[] = [];
      for (const type of MESSAGE_TYPES) {
        const check = await validateMessage(type, messages[type]);
        if (!check.valid) throw new AppError('CROSSBORDER_MESSAGE_INVALID', { type: `${type}: ${check.errors.slice(0, 3).join('; ')}` });
        out.push({ type, xml: messages[type], valid: true });
      }
      return out;
    },
  };
}

export type CrossBorder = ReturnType<typeof createCrossBorder>;
