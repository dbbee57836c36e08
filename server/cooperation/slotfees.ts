import { ACCOUNTS, allocate, applyBps, compact, type PlannedTransfer } from '../ledger/postings.ts';
import { inForceAt } from '../mcn/window.ts';
import type { CooperationSlotFeesTable, SlotFeeStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import { displayNames, type Actor, type Context } from './context.ts';
import type { Offers } from './offers.ts';
import type { SlotFeeInput } from './schema.ts';

export function slotFeeView(f: CooperationSlotFeesTable, names: { product?: string; streamer?: string; session?: string } = {}) {
  return {
    id: f.id,
    brandOrgId: f.brand_org_id,
    streamer: { id: f.streamer_id, displayName: names.streamer ?? null },
    sessionId: f.session_id,
    sessionTitle: names.session ?? null,
    productId: f.product_id,
    productTitle: names.product ?? null,
    feeFen: Number(f.fee_fen),
    gmvTargetFen: Number(f.gmv_target_fen),
    refundBps: f.refund_bps,
    proposedBy: f.proposed_by,
    status: f.status,
    mcnOrgId: f.mcn_org_id,
    mcnSplitBps: f.mcn_split_bps,
    gmvFen: f.gmv_fen === null ? null : Number(f.gmv_fen),
    refundFen: f.refund_fen === null ? null : Number(f.refund_fen),
    reason: f.reason,
    createdAt: f.created_at,
    decidedAt: f.decided_at,
    settledAt: f.settled_at,
  };
}

/**
 * The fee F moves when it is agreed: brand −F, streamer +(F − M), MCN +M, where M = round(F × the
 * MCN's split in force then). A refund R after a short GMV goes back the same way: brand +R,
 * streamer −(R − Mr), MCN −Mr, with Mr = round(R × split).
 */
function feeTransfer(stage: 'fee' | 'refund', f: CooperationSlotFeesTable, amountFen: number): PlannedTransfer {
  const mcnPart = f.mcn_org_id ? applyBps(amountFen, f.mcn_split_bps) : 0;
  const sign = stage === 'fee' ? 1 : -1;
  return {
    key: `slotfee:${f.id}:${stage}`,
    kind: stage === 'fee' ? 'slot_fee' : 'slot_fee_refund',
    orderId: null,
    eventId: null,
    memo: stage === 'fee' ? '坑位费 slot fee' : '坑位费退还（GMV 未达标）slot fee refunded, GMV below target',
    postings: compact([
      { accountId: ACCOUNTS.brand(f.brand_org_id), amountFen: -sign * amountFen },
      { accountId: ACCOUNTS.streamer(f.streamer_id), amountFen: sign * (amountFen - mcnPart) },
      ...(f.mcn_org_id ? [{ accountId: ACCOUNTS.mcn(f.mcn_org_id), amountFen: sign * mcnPart }] : []),
    ]),
  };
}

/** Slot fees (坑位费): proposed by one side → accepted (paid) or rejected by the other → settled after the live. */
export function createSlotFees(ctx: Context, offers: Offers) {
  const { db } = ctx;

  async function views(rows: CooperationSlotFeesTable[]) {
    const [products, names, sessions] = await Promise.all([
      rows.length ? db.selectFrom('products').select(['id', 'title']).where('id', 'in', [...new Set(rows.map((r) => r.product_id))]).execute() : [],
      displayNames(db, rows.map((r) => r.streamer_id)),
      rows.length ? db.selectFrom('live_sessions').select(['id', 'title']).where('id', 'in', [...new Set(rows.map((r) => r.session_id))]).execute() : [],
    ]);
    const titles = new Map(products.map((p) => [p.id, p.title]));
    const sessionTitles = new Map(sessions.map((s) => [s.id, s.title]));
    return rows.map((r) => slotFeeView(r, { product: titles.get(r.product_id), streamer: names.get(r.streamer_id), session: sessionTitles.get(r.session_id) }));
  }

  async function visible(actor: Actor, id: string) {
    const row = await db.selectFrom('cooperation_slot_fees').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await ctx.sees(actor, row))) throw new AppError('SLOT_FEE_NOT_FOUND');
    return row;
  }

  /**
   * A product's GMV in a session: what its lines in the session's paid orders were paid, less what
   * was refunded of them; a refund of a whole order (not of one line) is spread over its lines and
   * shipping in proportion (largest remainder, as the ledger does).
   */
  async function gmvOf(sessionId: string, productId: string): Promise<number> {
    const orders = await db
      .selectFrom('orders')
      .select(['id', 'refunded_fen', 'shipping_fen'])
      .where('session_id', '=', sessionId)
      .where('paid_at', 'is not', null)
      .where('id', 'in', db.selectFrom('order_items').select('order_id').where('product_id', '=', productId))
      .execute();
    if (!orders.length) return 0;
    const items = await db.selectFrom('order_items').select(['order_id', 'product_id', 'paid_fen', 'refunded_fen']).where('order_id', 'in', orders.map((o) => o.id)).orderBy('id').execute();
    let gmv = 0;
    for (const o of orders) {
      const lines = items.filter((i) => i.order_id === o.id);
      const left = lines.map((l) => Math.max(0, Number(l.paid_fen) - Number(l.refunded_fen)));
      const orderLevel = Number(o.refunded_fen) - lines.reduce((s, l) => s + Number(l.refunded_fen), 0);
      const spread = orderLevel > 0 ? allocate(orderLevel, [...left, Number(o.shipping_fen)]) : left.map(() => 0);
      lines.forEach((l, i) => {
        if (l.product_id === productId) gmv += Math.max(0, left[i]! - spread[i]!);
      });
    }
    return gmv;
  }

  /** Settles one accepted fee whose live has ended: GMV below target → refund_bps of the fee back to the brand. */
  async function settleRow(fee: CooperationSlotFeesTable) {
    if (fee.status !== 'accepted') throw new AppError('SLOT_FEE_STATE_CONFLICT', { status: fee.status });
    const session = await db.selectFrom('live_sessions').select(['status']).where('id', '=', fee.session_id).executeTakeFirstOrThrow();
    if (session.status !== 'ended') throw new AppError('SLOT_FEE_NOT_DUE');
    const gmv = await gmvOf(fee.session_id, fee.product_id);
    const refund = gmv < Number(fee.gmv_target_fen) ? applyBps(Number(fee.fee_fen), fee.refund_bps) : 0;
    const at = ctx.now();
    const settled = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('cooperation_slot_fees')
        .set({ status: 'settled', gmv_fen: gmv, refund_fen: refund, settled_at: at })
        .where('id', '=', fee.id)
        .where('status', '=', 'accepted')
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      if (refund > 0) await ctx.ledger.post(trx, [feeTransfer('refund', row, refund)], at);
      await ctx.record(trx, 'slotfee.settled', row.id, { slotFeeId: row.id, brandOrgId: row.brand_org_id, streamerId: row.streamer_id, sessionId: row.session_id, productId: row.product_id, feeFen: Number(row.fee_fen), gmvTargetFen: Number(row.gmv_target_fen), gmvFen: gmv, refundFen: refund }, at);
      return row;
    });
    if (!settled) {
      const current = await db.selectFrom('cooperation_slot_fees').select('status').where('id', '=', fee.id).executeTakeFirstOrThrow();
      throw new AppError('SLOT_FEE_STATE_CONFLICT', { status: current.status });
    }
    return (await views([settled]))[0]!;
  }

  return {
    gmvOf,

    /**
     * A brand proposes a fee for its product in a streamer's coming live, or the streamer asks one of
     * the product's brand. The product must be one the streamer may sell there: the live's own brand's,
     * or approved for them in the square (OFFER_NOT_APPROVED otherwise).
     */
    async propose(actor: Actor, input: SlotFeeInput) {
      if (actor.kind === 'mcn') throw new AppError('ORG_WRONG_KIND');
      const session = await db.selectFrom('live_sessions').select(['id', 'streamer_id', 'brand_org_id', 'status']).where('id', '=', input.sessionId).executeTakeFirst();
      if (!session || (actor.kind === 'streamer' && session.streamer_id !== actor.userId)) throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (session.status === 'ended') throw new AppError('LIVE_ENDED');
      const product = await db.selectFrom('products').select(['id', 'brand_org_id']).where('id', '=', input.productId).executeTakeFirst();
      if (!product) throw new AppError('PRODUCT_NOT_FOUND');
      if (actor.kind === 'brand' && product.brand_org_id !== actor.orgId) throw new AppError('PRODUCT_NOT_IN_BRAND', { productId: input.productId });
      await requireApprovedBrands(db, [product.brand_org_id]);
      if (session.brand_org_id !== product.brand_org_id && (await offers.approvedFor(session.streamer_id, product.id)) === null) throw new AppError('OFFER_NOT_APPROVED', { productId: product.id });
      const at = ctx.now();
      const row: CooperationSlotFeesTable = {
        id: newId(),
        brand_org_id: product.brand_org_id,
        streamer_id: session.streamer_id,
        session_id: session.id,
        product_id: product.id,
        fee_fen: input.feeFen,
        gmv_target_fen: input.gmvTargetFen,
        refund_bps: input.refundBps,
        proposed_by: actor.kind,
        proposed_by_user: actor.userId,
        status: 'proposed',
        mcn_org_id: null,
        mcn_split_bps: 0,
        gmv_fen: null,
        refund_fen: null,
        reason: null,
        created_at: at,
        decided_at: null,
        settled_at: null,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('cooperation_slot_fees').values(row).execute();
          await ctx.record(trx, 'slotfee.proposed', row.id, { slotFeeId: row.id, brandOrgId: row.brand_org_id, streamerId: row.streamer_id, sessionId: row.session_id, productId: row.product_id, feeFen: row.fee_fen, gmvTargetFen: row.gmv_target_fen, refundBps: row.refund_bps, proposedBy: row.proposed_by }, at);
        });
      } catch (error) {
        if (ctx.isUniqueViolation(error)) throw new AppError('SLOT_FEE_EXISTS');
        throw error;
      }
      return (await views([row]))[0]!;
    },

    /**
     * The other side accepts: the fee is paid at once from the brand's account to the streamer (and
     * the MCN's split under the contract in force now). The proposer cannot accept their own.
     */
    async accept(actor: Actor, id: string) {
      const fee = await visible(actor, id);
      if (actor.kind === 'mcn' || fee.proposed_by === actor.kind) throw new AppError('FORBIDDEN');
      if (fee.status !== 'proposed') throw new AppError('SLOT_FEE_STATE_CONFLICT', { status: fee.status });
      const session = await db.selectFrom('live_sessions').select('status').where('id', '=', fee.session_id).executeTakeFirstOrThrow();
      if (session.status === 'ended') throw new AppError('LIVE_ENDED');
      const at = ctx.now();
      // The streamer's MCN contract in force now (the same rule as the ledger's, server/mcn/window.ts).
      const contracts = await db
        .selectFrom('mcn_contracts')
        .select(['mcn_org_id', 'split_bps', 'status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at'])
        .where('streamer_id', '=', fee.streamer_id)
        .where('status', 'in', ['accepted', 'terminated'])
        .orderBy('starts_at', 'desc')
        .execute();
      const contract = contracts.find((c) => inForceAt(c, at));
      const accepted = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('cooperation_slot_fees')
          .set({ status: 'accepted', decided_at: at, mcn_org_id: contract?.mcn_org_id ?? null, mcn_split_bps: contract?.split_bps ?? 0 })
          .where('id', '=', id)
          .where('status', '=', 'proposed')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await ctx.ledger.post(trx, [feeTransfer('fee', row, Number(row.fee_fen))], at);
        await ctx.record(trx, 'slotfee.accepted', row.id, { slotFeeId: row.id, brandOrgId: row.brand_org_id, streamerId: row.streamer_id, sessionId: row.session_id, productId: row.product_id, feeFen: Number(row.fee_fen), mcnOrgId: row.mcn_org_id, mcnSplitBps: row.mcn_split_bps }, at);
        return row;
      });
      if (!accepted) throw new AppError('SLOT_FEE_STATE_CONFLICT', { status: (await visible(actor, id)).status });
      return (await views([accepted]))[0]!;
    },

    /** Either side declines (or the proposer withdraws) a fee not yet accepted. */
    async reject(actor: Actor, id: string, reason?: string) {
      const fee = await visible(actor, id);
      if (actor.kind === 'mcn') throw new AppError('FORBIDDEN');
      const at = ctx.now();
      const rejected = await db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('cooperation_slot_fees').set({ status: 'rejected', decided_at: at, reason: reason ?? null }).where('id', '=', id).where('status', '=', 'proposed').returningAll().executeTakeFirst();
        if (!row) return null;
        await ctx.record(trx, 'slotfee.rejected', row.id, { slotFeeId: row.id, brandOrgId: row.brand_org_id, streamerId: row.streamer_id, sessionId: row.session_id, productId: row.product_id, by: actor.kind, reason: row.reason }, at);
        return row;
      });
      if (!rejected) throw new AppError('SLOT_FEE_STATE_CONFLICT', { status: fee.status });
      return (await views([rejected]))[0]!;
    },

    /** The brand (or an operator, actor null) settles a fee once its live has ended. */
    async settle(actor: Actor | null, id: string) {
      const fee = actor ? await visible(actor, id) : await db.selectFrom('cooperation_slot_fees').selectAll().where('id', '=', id).executeTakeFirst();
      if (!fee) throw new AppError('SLOT_FEE_NOT_FOUND');
      if (actor && actor.kind !== 'brand') throw new AppError('FORBIDDEN');
      return settleRow(fee);
    },

    /** Settles every accepted fee whose live ended more than `delayMs` ago (the sweep). Answers how many. */
    async settleDue(delayMs: number) {
      const before = new Date(Date.parse(ctx.now()) - delayMs).toISOString();
      const due = await db
        .selectFrom('cooperation_slot_fees')
        .innerJoin('live_sessions', 'live_sessions.id', 'cooperation_slot_fees.session_id')
        .selectAll('cooperation_slot_fees')
        .where('cooperation_slot_fees.status', '=', 'accepted')
        .where('live_sessions.status', '=', 'ended')
        .where('live_sessions.ended_at', '<=', before)
        .limit(500)
        .execute();
      let settled = 0;
      for (const fee of due) {
        try {
          await settleRow(fee);
          settled++;
        } catch (error) {
          // Another node settled it meanwhile.
          if (!(error instanceof AppError && error.code === 'SLOT_FEE_STATE_CONFLICT')) throw error;
        }
      }
      return settled;
    },

    async list(actor: Actor, status?: SlotFeeStatus) {
      let q = db.selectFrom('cooperation_slot_fees').selectAll().where(ctx.visibleTo(actor));
      if (status) q = q.where('status', '=', status);
      return views(await q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute());
    },

    async get(actor: Actor, id: string) {
      return (await views([await visible(actor, id)]))[0]!;
    },
  };
}

export type SlotFees = ReturnType<typeof createSlotFees>;
