import { ACCOUNTS, type PlannedTransfer } from '../ledger/postings.ts';
import type { CooperationSamplesTable, DepositStatus, SampleStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { displayNames, type Actor, type Context, type Trx } from './context.ts';
import type { Offers } from './offers.ts';
import type { SampleAddressInput } from './schema.ts';

export function sampleView(s: CooperationSamplesTable, names: { product?: string; streamer?: string } = {}) {
  return {
    id: s.id,
    offerId: s.offer_id,
    brandOrgId: s.brand_org_id,
    productId: s.product_id,
    productTitle: names.product ?? null,
    streamer: { id: s.streamer_id, displayName: names.streamer ?? null },
    requestedBy: s.requested_by,
    viaMcnOrgId: s.via_mcn_org_id,
    message: s.message,
    address: JSON.parse(s.address) as SampleAddressInput,
    status: s.status,
    deposit: { amountFen: Number(s.deposit_fen), status: s.deposit_status },
    shipment: s.carrier ? { carrier: s.carrier, trackingNo: s.tracking_no } : null,
    returnShipment: s.return_carrier ? { carrier: s.return_carrier, trackingNo: s.return_tracking_no } : null,
    reason: s.reason,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

/**
 * The deposit moves between the streamer's and the brand's ledger accounts: held by the brand when
 * it approves the request (streamer −D, brand +D), given back when the brand confirms the return
 * (brand −D, streamer +D), and simply kept by the brand when the streamer keeps the sample.
 */
function depositTransfer(stage: 'hold' | 'refund', s: CooperationSamplesTable): PlannedTransfer {
  const d = Number(s.deposit_fen);
  const hold = stage === 'hold';
  return {
    key: hold ? `sample:${s.id}:deposit` : `sample:${s.id}:deposit-refund`,
    kind: hold ? 'sample_deposit' : 'sample_deposit_refund',
    orderId: null,
    eventId: null,
    memo: hold ? '样品押金 sample deposit held by the brand' : '样品押金退还 sample deposit refunded',
    postings: [
      { accountId: ACCOUNTS.streamer(s.streamer_id), amountFen: hold ? -d : d },
      { accountId: ACCOUNTS.brand(s.brand_org_id), amountFen: hold ? d : -d },
    ],
  };
}

/** Samples (寄样): requested → approved → shipped → received → returning → returned, or kept; or rejected. */
export function createSamples(ctx: Context, offers: Offers) {
  const { db } = ctx;

  async function views(rows: CooperationSamplesTable[]) {
    const [products, names] = await Promise.all([
      rows.length ? db.selectFrom('products').select(['id', 'title']).where('id', 'in', [...new Set(rows.map((r) => r.product_id))]).execute() : [],
      displayNames(db, rows.map((r) => r.streamer_id)),
    ]);
    const titles = new Map(products.map((p) => [p.id, p.title]));
    return rows.map((r) => sampleView(r, { product: titles.get(r.product_id), streamer: names.get(r.streamer_id) }));
  }

  /**
   * Moves a sample from one of `from` to `to` in one transaction with its event (and its deposit
   * transfer, if any); another state answers SAMPLE_STATE_CONFLICT.
   */
  async function move(sample: CooperationSamplesTable, from: SampleStatus[], to: SampleStatus, set: Partial<CooperationSamplesTable>, event: Parameters<Context['record']>[1], deposit?: 'hold' | 'refund') {
    if (!from.includes(sample.status)) throw new AppError('SAMPLE_STATE_CONFLICT', { status: sample.status });
    const at = ctx.now();
    const moved = await db.transaction().execute(async (trx: Trx) => {
      const row = await trx.updateTable('cooperation_samples').set({ ...set, status: to, updated_at: at }).where('id', '=', sample.id).where('status', 'in', from).returningAll().executeTakeFirst();
      if (!row) return null;
      if (deposit && Number(row.deposit_fen) > 0) await ctx.ledger.post(trx, [depositTransfer(deposit, row)], at);
      await ctx.record(trx, event, row.id, { sampleId: row.id, offerId: row.offer_id, brandOrgId: row.brand_org_id, productId: row.product_id, streamerId: row.streamer_id, status: row.status, depositFen: Number(row.deposit_fen), depositStatus: row.deposit_status }, at);
      return row;
    });
    if (!moved) {
      const current = await db.selectFrom('cooperation_samples').select('status').where('id', '=', sample.id).executeTakeFirstOrThrow();
      throw new AppError('SAMPLE_STATE_CONFLICT', { status: current.status });
    }
    return (await views([moved]))[0]!;
  }

  async function visible(actor: Actor, id: string) {
    const row = await db.selectFrom('cooperation_samples').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await ctx.sees(actor, row))) throw new AppError('SAMPLE_NOT_FOUND');
    return row;
  }

  /** The brand's step on a sample of its own; the streamer's step on their own. */
  async function brandSample(orgId: string, id: string) {
    return visible({ kind: 'brand', orgId, userId: '' }, id);
  }
  async function streamerSample(userId: string, id: string) {
    return visible({ kind: 'streamer', userId }, id);
  }

  return {
    /**
     * A streamer (or an MCN for a streamer signed to it) asks for a sample. Refused when the offer has
     * no samples, or the streamer already has the brand's limit of this offer's samples (rejected ones
     * do not count): SAMPLE_LIMIT_REACHED. The offer's deposit at this moment is the request's.
     */
    async request(actor: Actor, offerId: string, streamerId: string, address: SampleAddressInput, message?: string) {
      const offer = await offers.offerRow(offerId);
      if (actor.kind === 'brand') throw new AppError('ORG_WRONG_KIND');
      await ctx.requireActingFor(actor, streamerId, 'request_samples');
      if (offer.status !== 'active') throw new AppError('OFFER_PAUSED');
      if (offer.samples_available !== 1) throw new AppError('SAMPLES_UNAVAILABLE');
      // Samples go to verified streamers only, as applications do (docs/COOPERATION.md): not to any user.
      const profile = await db.selectFrom('streamer_profiles').select('status').where('user_id', '=', streamerId).executeTakeFirst();
      if (profile?.status !== 'approved') throw new AppError('STREAMER_NOT_APPROVED');
      const at = ctx.now();
      const row: CooperationSamplesTable = {
        id: newId(),
        offer_id: offer.id,
        brand_org_id: offer.brand_org_id,
        product_id: offer.product_id,
        streamer_id: streamerId,
        requested_by: actor.userId,
        via_mcn_org_id: actor.kind === 'mcn' ? actor.orgId : null,
        message: message ?? '',
        address: JSON.stringify(address),
        status: 'requested',
        deposit_fen: Number(offer.sample_deposit_fen),
        deposit_status: 'none',
        carrier: null,
        tracking_no: null,
        return_carrier: null,
        return_tracking_no: null,
        reason: null,
        created_at: at,
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        // The offer's row lock (PostgreSQL) makes two requests at once count each other.
        await ctx.lock(trx, 'cooperation_offers', offer.id);
        const fresh = await trx.selectFrom('cooperation_offers').select('sample_max_per_streamer').where('id', '=', offer.id).executeTakeFirstOrThrow();
        const held = await trx
          .selectFrom('cooperation_samples')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('offer_id', '=', offer.id)
          .where('streamer_id', '=', streamerId)
          .where('status', '<>', 'rejected')
          .executeTakeFirst();
        if (Number(held?.n ?? 0) >= fresh.sample_max_per_streamer) throw new AppError('SAMPLE_LIMIT_REACHED', { limit: fresh.sample_max_per_streamer });
        await trx.insertInto('cooperation_samples').values(row).execute();
        await ctx.record(trx, 'sample.requested', row.id, { sampleId: row.id, offerId: offer.id, brandOrgId: offer.brand_org_id, productId: offer.product_id, streamerId, depositFen: row.deposit_fen, viaMcnOrgId: row.via_mcn_org_id }, at);
      });
      return (await views([row]))[0]!;
    },

    async list(actor: Actor, status?: SampleStatus) {
      let q = db.selectFrom('cooperation_samples').selectAll().where(ctx.visibleTo(actor));
      if (status) q = q.where('status', '=', status);
      return views(await q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute());
    },

    async get(actor: Actor, id: string) {
      return (await views([await visible(actor, id)]))[0]!;
    },

    // --- the brand ---
    async approve(orgId: string, id: string) {
      const s = await brandSample(orgId, id);
      const deposit: DepositStatus = Number(s.deposit_fen) > 0 ? 'held' : 'none';
      return move(s, ['requested'], 'approved', { deposit_status: deposit }, 'sample.approved', 'hold');
    },
    async reject(orgId: string, id: string, reason: string) {
      return move(await brandSample(orgId, id), ['requested'], 'rejected', { reason }, 'sample.rejected');
    },
    async ship(orgId: string, id: string, shipment: { carrier: string; trackingNo: string }) {
      return move(await brandSample(orgId, id), ['approved'], 'shipped', { carrier: shipment.carrier, tracking_no: shipment.trackingNo }, 'sample.shipped');
    },
    /** The sample came back: the deposit goes back to the streamer. */
    async confirmReturn(orgId: string, id: string) {
      const s = await brandSample(orgId, id);
      return move(s, ['returning'], 'returned', { deposit_status: s.deposit_status === 'held' ? 'refunded' : s.deposit_status }, 'sample.returned', s.deposit_status === 'held' ? 'refund' : undefined);
    },

    // --- the streamer ---
    async receive(userId: string, id: string) {
      return move(await streamerSample(userId, id), ['shipped'], 'received', {}, 'sample.received');
    },
    async sendBack(userId: string, id: string, shipment: { carrier: string; trackingNo: string }) {
      return move(await streamerSample(userId, id), ['received'], 'returning', { return_carrier: shipment.carrier, return_tracking_no: shipment.trackingNo }, 'sample.return_shipped');
    },
    /** The streamer keeps the sample: the brand keeps the deposit. */
    async keep(userId: string, id: string) {
      const s = await streamerSample(userId, id);
      return move(s, ['received'], 'kept', { deposit_status: s.deposit_status === 'held' ? 'kept' : s.deposit_status }, 'sample.kept');
    },
  };
}

export type Samples = ReturnType<typeof createSamples>;
