import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Secrets } from '../../platform/secrets.ts';
import type { PaymentProvider, TradeStatus, VerifiedNotification } from './provider.ts';

export const SIGNATURE_HEADERS = { timestamp: 'zhibo-pay-timestamp', nonce: 'zhibo-pay-nonce', signature: 'zhibo-pay-signature' } as const;

/** WeChat Pay v3's message: timestamp, nonce and body, each followed by a newline. */
export function signedMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signNotification(privatePem: string, body: string, timestamp = String(Math.floor(Date.now() / 1000)), nonce = crypto.randomBytes(16).toString('hex')) {
  const signature = crypto.sign('sha256', Buffer.from(signedMessage(timestamp, nonce, body)), privatePem).toString('base64');
  return { [SIGNATURE_HEADERS.timestamp]: timestamp, [SIGNATURE_HEADERS.nonce]: nonce, [SIGNATURE_HEADERS.signature]: signature };
}

type SandboxDeps = { db: Db; clock: Clock; secrets: Secrets; logger: Logger; appId: string; merchantId: string };

/**
 * The built-in sandbox payment provider. It keeps its own books (sandbox_* tables), serves a
 * cashier page, signs its notifications with RSA-SHA256 and retries them until acknowledged,
 * as Alipay and WeChat Pay do. Zhibo talks to it only through the PaymentProvider interface
 * and the HTTP notifications.
 */
export function createSandboxProvider(deps: SandboxDeps) {
  const { db, clock, secrets, logger } = deps;
  const now = () => clock.now().toISOString();
  let keys: Promise<{ publicPem: string; privatePem: string }> | null = null;

  function loadKeys() {
    keys ??= (async () => {
      let row = await db.selectFrom('provider_keys').selectAll().where('provider', '=', 'sandbox').executeTakeFirst();
      if (!row) {
        const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
        const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        // Two nodes starting together: the first insert wins and both use it.
        await db
          .insertInto('provider_keys')
          .values({ provider: 'sandbox', public_pem: publicPem, private_pem_enc: secrets.encrypt(privatePem), created_at: now() })
          .onConflict((oc) => oc.column('provider').doNothing())
          .execute();
        row = (await db.selectFrom('provider_keys').selectAll().where('provider', '=', 'sandbox').executeTakeFirstOrThrow());
      }
      return { publicPem: row.public_pem, privatePem: secrets.decrypt(row.private_pem_enc) };
    })();
    keys.catch(() => (keys = null));
    return keys;
  }

  async function enqueue(tradeNo: string, notifyUrl: string, payload: Omit<VerifiedNotification, 'notifyId' | 'appId' | 'merchantId' | 'at'>) {
    const notifyId = newId();
    const body = JSON.stringify({ notifyId, ...payload, appId: deps.appId, merchantId: deps.merchantId, at: now() });
    await db.insertInto('sandbox_notifications').values({ notify_id: notifyId, trade_no: tradeNo, notify_url: notifyUrl, body, attempts: 0, next_attempt_at: now(), acked_at: null, last_error: null }).execute();
    // At once, not at the next sweep; a failure here (the database away, or the server closing) is the sweep's to retry.
    setImmediate(() => void deliverDue().catch((err: unknown) => logger.debug({ err }, 'sandbox notifications not delivered now; the commerce sweep retries')));
  }

  /** Posts one notification; answers whether the merchant acknowledged it (else it backs off from 2 s to 10 min). */
  async function deliverOne(n: { notify_id: string; notify_url: string; body: string; attempts: number }, privatePem: string): Promise<boolean> {
    let error: string | null = null;
    try {
      const response = await fetch(n.notify_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signNotification(privatePem, n.body, String(Math.floor(clock.now().getTime() / 1000))) },
        body: n.body,
        signal: AbortSignal.timeout(5000),
      });
      const answer = (await response.json().catch(() => null)) as { code?: string } | null;
      if (response.status === 200 && answer?.code === 'SUCCESS') {
        await db.updateTable('sandbox_notifications').set({ acked_at: now(), attempts: n.attempts + 1, last_error: null }).where('notify_id', '=', n.notify_id).execute();
        return true;
      }
      error = `HTTP ${response.status} ${JSON.stringify(answer)?.slice(0, 200)}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempts = n.attempts + 1;
    const delayMs = Math.min(600_000, 2000 * 2 ** (attempts - 1));
    await db
      .updateTable('sandbox_notifications')
      .set({ attempts, last_error: error, next_attempt_at: new Date(clock.now().getTime() + delayMs).toISOString() })
      .where('notify_id', '=', n.notify_id)
      .execute();
    logger.debug({ notifyId: n.notify_id, attempts, error }, 'sandbox notification not acknowledged; will retry');
    return false;
  }

  /** Notifications posted at once, like a real provider's several workers; a batch is this many times that. */
  const PARALLEL = 8;
  const BATCH = 200;
  let delivering = false;
  let again = false;
  /**
   * Posts every due notification once, PARALLEL at a time. One run at a time per process: a payment
   * made meanwhile asks for another pass, which follows at once (a payment is never left waiting for
   * the next sweep while a batch is out).
   */
  async function deliverDue(): Promise<number> {
    if (delivering) {
      again = true;
      return 0;
    }
    delivering = true;
    let delivered = 0;
    try {
      const { privatePem } = await loadKeys();
      do {
        again = false;
        const due = await db.selectFrom('sandbox_notifications').selectAll().where('acked_at', 'is', null).where('next_attempt_at', '<=', now()).orderBy('next_attempt_at').limit(BATCH).execute();
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(PARALLEL, due.length) }, async () => {
            while (next < due.length) if (await deliverOne(due[next++]!, privatePem)) delivered++;
          }),
        );
        if (due.length === BATCH) again = true;
      } while (again);
    } finally {
      delivering = false;
    }
    return delivered;
  }

  const provider: PaymentProvider = {
    name: 'sandbox',
    async createTrade(input) {
      const existing = await db.selectFrom('sandbox_trades').selectAll().where('out_trade_no', '=', input.outTradeNo).executeTakeFirst();
      if (existing) return { tradeNo: existing.trade_no, payUrl: `/sandbox/pay/${existing.trade_no}` };
      const tradeNo = `SBX${Date.now()}${crypto.randomInt(100000, 999999)}`;
      await db
        .insertInto('sandbox_trades')
        .values({ trade_no: tradeNo, out_trade_no: input.outTradeNo, merchant_id: deps.merchantId, app_id: deps.appId, subject: input.subject, amount_fen: input.amountFen, status: 'open', notify_url: input.notifyUrl, return_url: input.returnUrl, created_at: now(), paid_at: null })
        .execute();
      return { tradeNo, payUrl: `/sandbox/pay/${tradeNo}` };
    },
    async queryTrade(outTradeNo) {
      const trade = await db.selectFrom('sandbox_trades').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      if (!trade) return { status: 'unknown', tradeNo: null, amountFen: null, paidAt: null };
      return { status: trade.status, tradeNo: trade.trade_no, amountFen: trade.amount_fen, paidAt: trade.paid_at };
    },
    async closeTrade(outTradeNo): Promise<TradeStatus> {
      await db.updateTable('sandbox_trades').set({ status: 'closed' }).where('out_trade_no', '=', outTradeNo).where('status', '=', 'open').execute();
      const trade = await db.selectFrom('sandbox_trades').select('status').where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      return trade?.status ?? 'unknown';
    },
    async refund(input) {
      const trade = await db.selectFrom('sandbox_trades').selectAll().where('out_trade_no', '=', input.outTradeNo).executeTakeFirst();
      if (!trade || trade.status !== 'paid') throw new Error(`sandbox: trade ${input.outTradeNo} is not paid`);
      const existing = await db.selectFrom('sandbox_refunds').selectAll().where('out_refund_no', '=', input.outRefundNo).executeTakeFirst();
      if (existing) return { status: existing.status };
      const refunded = await db.selectFrom('sandbox_refunds').select((eb) => eb.fn.sum<number>('amount_fen').as('sum')).where('trade_no', '=', trade.trade_no).executeTakeFirst();
      if (Number(refunded?.sum ?? 0) + input.amountFen > trade.amount_fen) throw new Error('sandbox: refund exceeds the trade amount');
      await db.insertInto('sandbox_refunds').values({ out_refund_no: input.outRefundNo, trade_no: trade.trade_no, amount_fen: input.amountFen, status: 'processing', created_at: now() }).execute();
      // The money moves at once in the sandbox; the result comes, as at a real provider, by notification.
      await db.updateTable('sandbox_refunds').set({ status: 'succeeded' }).where('out_refund_no', '=', input.outRefundNo).execute();
      await enqueue(trade.trade_no, trade.notify_url, { event: 'refund.success', outTradeNo: trade.out_trade_no, tradeNo: trade.trade_no, amountFen: trade.amount_fen, outRefundNo: input.outRefundNo, refundFen: input.amountFen });
      return { status: 'processing' };
    },
    async queryRefund(outRefundNo) {
      const refund = await db.selectFrom('sandbox_refunds').select('status').where('out_refund_no', '=', outRefundNo).executeTakeFirst();
      return { status: refund?.status ?? 'unknown' };
    },
    async payout(input) {
      // The sandbox moves no money: the payout succeeds at once, with a number derived from the request (so a retry answers the same).
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new Error('sandbox: bad payout amount');
      const payoutNo = `SBXP${crypto.createHash('sha256').update(input.outPayoutNo).digest('hex').slice(0, 24)}`;
      logger.info({ outPayoutNo: input.outPayoutNo, payoutNo, amountFen: input.amountFen, payee: input.payee }, 'sandbox payout (no money moves)');
      return { status: 'succeeded', payoutNo };
    },
    async verifyNotification(rawBody, headers) {
      const header = (name: string) => {
        const value = headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const timestamp = header(SIGNATURE_HEADERS.timestamp);
      const nonce = header(SIGNATURE_HEADERS.nonce);
      const signature = header(SIGNATURE_HEADERS.signature);
      if (!timestamp || !nonce || !signature) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      const { publicPem } = await loadKeys();
      let valid = false;
      try {
        valid = crypto.verify('sha256', Buffer.from(signedMessage(timestamp, nonce, rawBody)), publicPem, Buffer.from(signature, 'base64'));
      } catch {
        valid = false;
      }
      if (!valid) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      if (Math.abs(clock.now().getTime() / 1000 - Number(timestamp)) > 300) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      let parsed: VerifiedNotification;
      try {
        parsed = JSON.parse(rawBody) as VerifiedNotification;
      } catch {
        throw new AppError('PAYMENT_SIGNATURE_INVALID');
      }
      if (typeof parsed.notifyId !== 'string' || typeof parsed.outTradeNo !== 'string' || !Number.isInteger(parsed.amountFen)) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      return parsed;
    },
  };

  /** The buyer pays on the cashier page. */
  async function pay(tradeNo: string): Promise<{ returnUrl: string; status: TradeStatus }> {
    const trade = await db.selectFrom('sandbox_trades').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
    if (!trade) throw new AppError('NOT_FOUND');
    const paidAt = now();
    const updated = await db.updateTable('sandbox_trades').set({ status: 'paid', paid_at: paidAt }).where('trade_no', '=', tradeNo).where('status', '=', 'open').executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) {
      await enqueue(trade.trade_no, trade.notify_url, { event: 'trade.success', outTradeNo: trade.out_trade_no, tradeNo: trade.trade_no, amountFen: trade.amount_fen });
      return { returnUrl: trade.return_url, status: 'paid' };
    }
    return { returnUrl: trade.return_url, status: trade.status };
  }

  function routes(app: FastifyInstance) {
    const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const page = (title: string, body: string) =>
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;background:#f4f5f7}main{max-width:420px;margin:0 auto;padding:24px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px #0001}.amount{font-size:36px;font-weight:700;margin:12px 0}
button{width:100%;padding:14px;font-size:17px;border:0;border-radius:8px;background:#1677ff;color:#fff}.muted{color:#666;font-size:13px}.bad{color:#c00}</style></head>
<body><main>${body}</main></body></html>`;

    app.get('/sandbox/pay/:tradeNo', async (request, reply) => {
      const { tradeNo } = request.params as { tradeNo: string };
      const trade = await db.selectFrom('sandbox_trades').selectAll().where('trade_no', '=', String(tradeNo).slice(0, 64)).executeTakeFirst();
      reply.type('text/html; charset=utf-8');
      if (!trade) return reply.code(404).send(page('沙箱收银台', '<div class="card"><p class="bad">交易不存在 / No such trade</p></div>'));
      const yuan = (trade.amount_fen / 100).toFixed(2);
      const state =
        trade.status === 'open'
          ? `<form method="post" action="/sandbox/pay/${escape(trade.trade_no)}"><button type="submit" data-testid="sandbox-pay">确认付款 Pay ¥${yuan}</button></form>`
          : `<p class="${trade.status === 'paid' ? '' : 'bad'}" data-testid="sandbox-status">${trade.status === 'paid' ? '已支付 Paid' : '交易已关闭 Closed'}</p><p><a href="${escape(trade.return_url)}">返回商户 Back to the shop</a></p>`;
      return page(
        '沙箱收银台 Sandbox cashier',
        `<div class="card"><p class="muted">Zhibo 沙箱支付 · Sandbox payment (no real money)</p><p>${escape(trade.subject)}</p>
<div class="amount" data-testid="sandbox-amount">¥${yuan}</div><p class="muted">商户 Merchant ${escape(trade.merchant_id)} · 交易号 ${escape(trade.trade_no)}</p>${state}</div>`,
      );
    });

    app.post('/sandbox/pay/:tradeNo', async (request, reply) => {
      const { tradeNo } = request.params as { tradeNo: string };
      const result = await pay(String(tradeNo).slice(0, 64));
      // Back to the merchant, as a real cashier does; the notification follows on its own.
      return reply.redirect(result.returnUrl, 303);
    });

    app.get('/api/payments/sandbox/public-key', { schema: { tags: ['commerce'], summary: "Sandbox payment provider's public key" }, config: { access: { kind: 'public' } } }, async () => ({ publicKey: (await loadKeys()).publicPem }));
  }

  return { provider, pay, deliverDue, routes, keys: loadKeys };
}

export type SandboxProvider = ReturnType<typeof createSandboxProvider>;
