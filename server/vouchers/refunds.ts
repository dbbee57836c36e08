import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Commerce } from '../commerce/index.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { VoucherService } from './service.ts';
import type { VDb, VoucherCodeRow } from './store.ts';

/** A refund claimed but never handed to after-sales (a crash between the two) is retried after this long. */
const STALE_CLAIM_MS = 60_000;

/**
 * 随时退 / 过期退: an unused code is refunded on the buyer's request at any time and by itself once it
 * expires, through the shared after-sales refund path (a refund_only after-sale for the code's share,
 * approved at once), so the provider, the ledger and the order see it like any refund. A redeemed
 * code is never refunded. A code is claimed for its refund with a conditional UPDATE (unused →
 * refunding), so a redemption and a refund, or two nodes' sweeps, never both take it.
 */
export function createVoucherRefunds(deps: { db: VDb; clock: Clock; logger: Logger; commerce: Commerce; service: VoucherService }) {
  const { db, clock, logger, commerce } = deps;
  const now = () => clock.now().toISOString();

  async function hand(code: VoucherCodeRow, reason: string) {
    if (code.amount_fen <= 0) {
      await db.updateTable('voucher_codes').set({ status: 'refunded' }).where('id', '=', code.id).where('status', '=', 'refunding').execute();
      return;
    }
    const afterSale = await commerce.afterSales.request({ id: code.holder_id } as AuthUser, code.order_id!, { kind: 'refund_only', itemId: code.item_id ?? undefined, amountFen: code.amount_fen, reason });
    await db.updateTable('voucher_codes').set({ after_sale_id: afterSale.id }).where('id', '=', code.id).execute();
    await commerce.afterSales.approve(code.brand_org_id, afterSale.id, reason);
  }

  function refusalFor(code: VoucherCodeRow) {
    if (!code.order_id) return new AppError('VOUCHER_NOT_REFUNDABLE');
    if (code.status === 'redeemed') return new AppError('VOUCHER_NOT_REFUNDABLE');
    if (code.status !== 'unused') return new AppError('VOUCHER_VOID');
    return null;
  }

  return {
    /** 随时退: the holder asks; answers the code as it now stands. */
    async request(user: AuthUser, codeId: string) {
      const code = await db.selectFrom('voucher_codes').selectAll().where('id', '=', codeId).executeTakeFirst();
      if (!code || code.holder_id !== user.id) throw new AppError('VOUCHER_NOT_FOUND');
      const refused = refusalFor(code);
      if (refused) throw refused;
      const claimed = await db.updateTable('voucher_codes').set({ status: 'refunding', claimed_at: now() }).where('id', '=', code.id).where('status', '=', 'unused').executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        const fresh = await db.selectFrom('voucher_codes').selectAll().where('id', '=', code.id).executeTakeFirstOrThrow();
        throw refusalFor(fresh) ?? new AppError('VOUCHER_VOID');
      }
      try {
        await hand(code, '随时退：未使用的券按申请退款');
      } catch (error) {
        // Refused by after-sales before anything was written (the order is no longer paid …): the code is usable again.
        await db.updateTable('voucher_codes').set({ status: 'unused', claimed_at: null }).where('id', '=', code.id).where('status', '=', 'refunding').where('after_sale_id', 'is', null).execute();
        throw error;
      }
      return (await deps.service.codeViews([await db.selectFrom('voucher_codes').selectAll().where('id', '=', code.id).executeTakeFirstOrThrow()], false))[0]!;
    },

    /**
     * 过期退 and housekeeping, safe on several nodes at once: expired unused codes are claimed and
     * refunded (a free first-store coupon just expires); claims left behind are retried; codes whose
     * refund the provider confirmed are marked refunded and their orders completed when nothing is left.
     */
    async sweep(limit = 100) {
      const at = now();
      let refunded = 0;
      const due = await db.selectFrom('voucher_codes').selectAll().where('status', '=', 'unused').where('valid_to', '<=', at).orderBy('valid_to').limit(limit).execute();
      for (const code of due) {
        if (!code.order_id) {
          await db.updateTable('voucher_codes').set({ status: 'expired' }).where('id', '=', code.id).where('status', '=', 'unused').execute();
          continue;
        }
        const claimed = await db.updateTable('voucher_codes').set({ status: 'refunding', claimed_at: at }).where('id', '=', code.id).where('status', '=', 'unused').executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) continue;
        try {
          await hand(code, '过期退：券过期未使用，自动退款');
          refunded++;
        } catch (err) {
          logger.error({ err, codeId: code.id }, 'voucher expiry refund failed; the sweep retries it');
        }
      }
      // Claims with no after-sale after a minute (a crash in between): claim again by moving claimed_at, then retry.
      const stale = new Date(clock.now().getTime() - STALE_CLAIM_MS).toISOString();
      const stuck = await db.selectFrom('voucher_codes').selectAll().where('status', '=', 'refunding').where('after_sale_id', 'is', null).where('claimed_at', '<=', stale).limit(limit).execute();
      for (const code of stuck) {
        const again = await db.updateTable('voucher_codes').set({ claimed_at: at }).where('id', '=', code.id).where('claimed_at', '=', code.claimed_at).where('after_sale_id', 'is', null).executeTakeFirst();
        if (Number(again.numUpdatedRows) !== 1) continue;
        await hand(code, '过期退：券过期未使用，自动退款').catch((err: unknown) => logger.error({ err, codeId: code.id }, 'voucher refund retry failed'));
      }
      // An after-sale left 'requested' (a crash before approval) is approved now.
      const unapproved = await db
        .selectFrom('voucher_codes')
        .innerJoin('after_sales', 'after_sales.id', 'voucher_codes.after_sale_id')
        .select(['after_sales.id', 'voucher_codes.brand_org_id'])
        .where('voucher_codes.status', '=', 'refunding')
        .where('after_sales.status', '=', 'requested')
        .where('after_sales.created_at', '<=', stale)
        .limit(limit)
        .execute();
      for (const a of unapproved) await commerce.afterSales.approve(a.brand_org_id, a.id).catch(() => undefined);
      // Refunds confirmed by the provider: the codes are refunded; an order with nothing left completes.
      const settled = await db
        .selectFrom('voucher_codes')
        .innerJoin('after_sales', 'after_sales.id', 'voucher_codes.after_sale_id')
        .select(['voucher_codes.id', 'voucher_codes.order_id'])
        .where('voucher_codes.status', '=', 'refunding')
        .where('after_sales.status', '=', 'refunded')
        .limit(500)
        .execute();
      for (const s of settled) {
        await db.transaction().execute(async (trx) => {
          const moved = await trx.updateTable('voucher_codes').set({ status: 'refunded' }).where('id', '=', s.id).where('status', '=', 'refunding').executeTakeFirst();
          if (Number(moved.numUpdatedRows) === 1 && s.order_id) await deps.service.completeIfDone(trx, s.order_id);
        });
      }
      return { refunded, settled: settled.length };
    },
  };
}

export type VoucherRefunds = ReturnType<typeof createVoucherRefunds>;
