import { cell } from '../analytics/csv.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError, type Locale } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { approvedOrgIds } from '../orgs/approval.ts';
import { originDb, type CertRow } from './tables.ts';

export type OriginServiceDeps = { db: Db; clock: Clock };

const certView = (c: CertRow) => ({
  id: c.id,
  productId: c.product_id,
  producerId: c.producer_id,
  areaCode: c.area_code,
  certifier: c.certifier,
  certificateNo: c.certificate_no,
  batchNo: c.batch_no,
  producedOn: c.produced_on,
  shareBps: c.share_bps,
  notes: c.notes,
  current: c.current === 1,
  createdAt: c.created_at,
});

/** Designated areas, producers, certifications, the public traceability page and the report (docs/ORIGIN.md). */
export function createOriginService(deps: OriginServiceDeps) {
  const db = originDb(deps.db);
  const now = () => deps.clock.now().toISOString();

  async function area(code: string) {
    const row = await db.selectFrom('origin_areas').selectAll().where('code', '=', code).executeTakeFirst();
    if (!row) throw new AppError('ORIGIN_AREA_NOT_DESIGNATED', { code });
    return row;
  }

  return {
    async addArea(input: { code: string; name: string; province: string; designation: string }, operatorId: string) {
      const existing = await db.selectFrom('origin_areas').select('code').where('code', '=', input.code).executeTakeFirst();
      if (existing) throw new AppError('ORIGIN_AREA_EXISTS');
      const row = { code: input.code, name: input.name, province: input.province, designation: input.designation, added_by: operatorId, created_at: now() };
      await db.insertInto('origin_areas').values(row).onConflict((oc) => oc.column('code').doNothing()).execute();
      return { code: row.code, name: row.name, province: row.province, designation: row.designation };
    },
    async areas() {
      const rows = await db.selectFrom('origin_areas').selectAll().orderBy('province').orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, name: r.name, province: r.province, designation: r.designation }));
    },
    /** A producer in a designated county (rule O1). */
    async addProducer(orgId: string, input: { name: string; areaCode: string; description: string }) {
      await area(input.areaCode);
      const row = { id: newId(), brand_org_id: orgId, name: input.name, area_code: input.areaCode, description: input.description, created_at: now() };
      await db.insertInto('origin_producers').values(row).execute();
      return { id: row.id, name: row.name, areaCode: row.area_code, description: row.description };
    },
    async producers(orgId: string) {
      const rows = await db.selectFrom('origin_producers').selectAll().where('brand_org_id', '=', orgId).orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, areaCode: r.area_code, description: r.description }));
    },
    /** Certifies a batch of one of the brand's goods; the new batch becomes the current one (rules O2, O3). */
    async certify(orgId: string, input: { productId: string; producerId: string; certifier: string; certificateNo: string; batchNo: string; producedOn: string; shareBps: number; notes: string }) {
      const product = await db.selectFrom('products').select(['id', 'brand_org_id', 'kind']).where('id', '=', input.productId).executeTakeFirst();
      if (!product || product.brand_org_id !== orgId) throw new AppError('PRODUCT_NOT_FOUND');
      if (product.kind !== 'goods') throw new AppError('ORIGIN_NOT_GOODS');
      const producer = await db.selectFrom('origin_producers').selectAll().where('id', '=', input.producerId).executeTakeFirst();
      if (!producer || producer.brand_org_id !== orgId) throw new AppError('ORIGIN_PRODUCER_NOT_FOUND');
      await area(producer.area_code);
      const row: CertRow = {
        id: newId(),
        product_id: product.id,
        brand_org_id: orgId,
        producer_id: producer.id,
        area_code: producer.area_code,
        certifier: input.certifier,
        certificate_no: input.certificateNo,
        batch_no: input.batchNo,
        produced_on: input.producedOn,
        share_bps: input.shareBps,
        notes: input.notes,
        current: 1,
        created_at: now(),
      };
      await deps.db.transaction().execute(async (trx) => {
        const t = trx as unknown as typeof db;
        const taken = await t.selectFrom('origin_certs').select('id').where('product_id', '=', product.id).where('batch_no', '=', input.batchNo).executeTakeFirst();
        if (taken) throw new AppError('ORIGIN_BATCH_EXISTS', { batchNo: input.batchNo });
        await t.updateTable('origin_certs').set({ current: 0 }).where('product_id', '=', product.id).execute();
        await t.insertInto('origin_certs').values(row).execute();
      });
      return certView(row);
    },
    async certified(orgId: string) {
      const rows = await db
        .selectFrom('origin_certs')
        .innerJoin('products', 'products.id', 'origin_certs.product_id')
        .selectAll('origin_certs')
        .select('products.title')
        .where('origin_certs.brand_org_id', '=', orgId)
        .orderBy('origin_certs.created_at', 'desc')
        .execute();
      return rows.map((r) => ({ ...certView(r), productTitle: r.title }));
    },
    /**
     * The public traceability page of a product: every certified batch, current first (rule O4). A product
     * of a brand the operator has not approved is not shown (ORIGIN_NOT_CERTIFIED, as an unknown one).
     */
    async trace(productId: string) {
      const product = await db.selectFrom('products').select(['id', 'title', 'images', 'brand_org_id', 'status']).where('id', '=', productId).where('brand_org_id', 'in', approvedOrgIds(db)).executeTakeFirst();
      const certs = product ? await db.selectFrom('origin_certs').selectAll().where('product_id', '=', productId).orderBy('current', 'desc').orderBy('created_at', 'desc').execute() : [];
      if (!product || !certs.length) throw new AppError('ORIGIN_NOT_CERTIFIED');
      const [producers, areas, brand] = await Promise.all([
        db.selectFrom('origin_producers').selectAll().where('id', 'in', [...new Set(certs.map((c) => c.producer_id))]).execute(),
        db.selectFrom('origin_areas').selectAll().where('code', 'in', [...new Set(certs.map((c) => c.area_code))]).execute(),
        db.selectFrom('organisations').select(['id', 'name']).where('id', '=', product.brand_org_id).executeTakeFirst(),
      ]);
      const sold = await db
        .selectFrom('origin_sales')
        .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('units'), eb.fn.coalesce(eb.fn.sum<number>('proceeds_fen'), eb.lit(0)).as('proceeds')])
        .where('product_id', '=', productId)
        .executeTakeFirst();
      return {
        product: { id: product.id, title: product.title, image: (JSON.parse(product.images) as string[])[0] ?? null, brand: brand ? { id: brand.id, name: brand.name } : null },
        batches: certs.map((c) => {
          const p = producers.find((x) => x.id === c.producer_id)!;
          const a = areas.find((x) => x.code === c.area_code);
          return {
            ...certView(c),
            producer: { id: p.id, name: p.name, description: p.description },
            area: a ? { code: a.code, name: a.name, province: a.province, designation: a.designation } : { code: c.area_code, name: c.area_code, province: '', designation: '' },
          };
        }),
        unitsSold: Number(sold?.units ?? 0),
        proceedsPaidFen: Number(sold?.proceeds ?? 0),
      };
    },
    /** Sales by county and producer (rule O6): orders, units, net sales, proceeds posted and still pending. */
    async report(orgId: string | null, range: { from?: string; to?: string }) {
      let q = db
        .selectFrom('origin_sales')
        .select((eb) => [
          'area_code',
          'producer_id',
          eb.fn.count<number>('order_id').distinct().as('orders'),
          eb.fn.sum<number>('quantity').as('units'),
          eb.fn.sum<number>('paid_fen').as('paid'),
          eb.fn.sum<number>('refunded_fen').as('refunded'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'posted').then(eb.ref('proceeds_fen')).else(eb.lit(0)).end()).as('proceeds'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(eb.lit(1)).else(eb.lit(0)).end()).as('pending_lines'),
        ])
        .groupBy(['area_code', 'producer_id']);
      if (orgId) q = q.where('brand_org_id', '=', orgId);
      if (range.from) q = q.where('paid_at', '>=', `${range.from}T00:00:00.000Z`);
      if (range.to) q = q.where('paid_at', '<', new Date(Date.parse(`${range.to}T00:00:00.000Z`) + 86_400_000).toISOString());
      const rows = await q.execute();
      const producerIds = [...new Set(rows.map((r) => r.producer_id))];
      const [producers, areas] = await Promise.all([
        producerIds.length ? db.selectFrom('origin_producers').select(['id', 'name']).where('id', 'in', producerIds).execute() : [],
        db.selectFrom('origin_areas').selectAll().execute(),
      ]);
      const lines = rows
        .map((r) => {
          const a = areas.find((x) => x.code === r.area_code);
          return {
            areaCode: r.area_code,
            county: a?.name ?? r.area_code,
            province: a?.province ?? '',
            producerId: r.producer_id,
            producer: producers.find((p) => p.id === r.producer_id)?.name ?? r.producer_id,
            orders: Number(r.orders),
            units: Number(r.units),
            salesFen: Number(r.paid) - Number(r.refunded),
            proceedsFen: Number(r.proceeds),
            pendingLines: Number(r.pending_lines),
          };
        })
        .sort((a, b) => a.province.localeCompare(b.province) || a.areaCode.localeCompare(b.areaCode) || a.producer.localeCompare(b.producer));
      const counties = new Map<string, { areaCode: string; county: string; province: string; orders: number; units: number; salesFen: number; proceedsFen: number }>();
      for (const l of lines) {
        const c = counties.get(l.areaCode) ?? { areaCode: l.areaCode, county: l.county, province: l.province, orders: 0, units: 0, salesFen: 0, proceedsFen: 0 };
        c.orders += l.orders;
        c.units += l.units;
        c.salesFen += l.salesFen;
        c.proceedsFen += l.proceedsFen;
        counties.set(l.areaCode, c);
      }
      return { from: range.from ?? null, to: range.to ?? null, counties: [...counties.values()], producers: lines };
    },
    csv(report: { producers: { province: string; county: string; areaCode: string; producer: string; orders: number; units: number; salesFen: number; proceedsFen: number }[] }, locale: Locale) {
      const head = locale === 'en' ? ['Province', 'County', 'Area code', 'Producer', 'Orders', 'Units', 'Sales (CNY)', 'Proceeds to producer (CNY)'] : ['省份', '县', '区划代码', '生产者', '订单数', '件数', '销售额（元）', '生产者收益（元）'];
      const yuan = (fen: number) => (fen / 100).toFixed(2);
      const rows = report.producers.map((p) => [p.province, p.county, p.areaCode, p.producer, p.orders, p.units, yuan(p.salesFen), yuan(p.proceedsFen)]);
      return '\ufeff' + [head, ...rows].map((r) => r.map((v) => cell(v)).join(',')).join('\r\n') + '\r\n';
    },
  };
}

export type OriginService = ReturnType<typeof createOriginService>;
