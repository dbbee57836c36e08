import type { FastifyInstance, FastifyReply } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import type { Ledger } from './index.ts';
import { ACCOUNTS, describeAccount } from './postings.ts';
import { AccountParams, RejectWithdrawalBody, SettlementRunBody, StatementQuery, WithdrawalBody, WithdrawalListQuery, WithdrawalParams } from './schema.ts';

const CSV_COLUMNS = ['time', 'transfer_kind', 'order_id', 'memo', 'amount_fen', 'balance_after_fen'];

function csvField(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The statements API: a party sees its own account only; the operator sees the platform's books. */
export function ledgerRoutes(app: FastifyInstance, ledger: Ledger) {
  const user = { kind: 'user' } as const;
  const operator = { kind: 'platform', roles: ['operator'] } as const;
  // Brands, MCNs and live-streaming bases (a base's studio income, docs/BASES.md) have an account of their own.
  const orgFinance = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['brand', 'mcn', 'base'] } as const;
  // Only the organisation's own owners and admins take its money out (never an operator, never another organisation).
  const orgWithdraw = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['brand', 'mcn', 'base'], operators: false } as const;

  app.addHook('onReady', async () => ledger.start());
  app.addHook('onClose', async () => ledger.stop());

  async function statement(reply: FastifyReply, accountId: string, rawQuery: unknown, locale: 'zh-CN' | 'en') {
    const query = parseInput(StatementQuery, rawQuery, locale);
    const from = query.from ? new Date(query.from).toISOString() : undefined;
    const to = query.to ? new Date(query.to).toISOString() : undefined;
    if (from && to && from >= to) throw new AppError('LEDGER_PERIOD_INVALID');
    const balanceFen = await ledger.store.balanceOf(accountId);
    if (query.format === 'csv') {
      const s = await ledger.store.statement(accountId, { from, to });
      const lines = [CSV_COLUMNS.join(',')];
      for (const e of s.entries) lines.push([e.time, e.kind, e.orderId, e.memo, e.amountFen, e.balanceAfterFen].map(csvField).join(','));
      // A BOM so Excel reads the UTF-8 (the memos are Chinese).
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="ledger-${accountId.replace(/[^\w-]/g, '_')}.csv"`);
      return `\ufeff${lines.join('\r\n')}\r\n`;
    }
    const s = await ledger.store.statement(accountId, { from, to }, query.limit ?? 200);
    return {
      account: { id: accountId, kind: describeAccount(accountId).kind, balanceFen },
      period: { from: from ?? null, to: to ?? null },
      openingFen: s.openingFen,
      closingFen: s.closingFen,
      count: s.count,
      entries: s.entries,
      ...(await ledger.pendingSettlement(accountId)),
      withdrawals: await ledger.withdrawals.list({ accountId }, 50),
    };
  }

  function orgAccount(kind: string, orgId: string) {
    return kind === 'brand' ? ACCOUNTS.brand(orgId) : kind === 'base' ? ACCOUNTS.base(orgId) : ACCOUNTS.mcn(orgId);
  }

  // --- a streamer's own account ---
  app.get('/api/me/ledger', { schema: { tags: ['ledger'], summary: 'My account statement', querystring: StatementQuery }, config: { access: user } }, async (request, reply) => statement(reply, ACCOUNTS.streamer(request.user!.id), request.query, request.locale));
  app.post('/api/me/ledger/withdrawals', { schema: { tags: ['ledger'], summary: 'Create my withdrawal', body: WithdrawalBody }, config: { access: user } }, async (request, reply) => {
    const body = parseInput(WithdrawalBody, request.body, request.locale);
    reply.code(201);
    return { withdrawal: await ledger.withdrawals.request(ACCOUNTS.streamer(request.user!.id), body.amountFen, request.user!.id) };
  });

  // --- a brand's, an MCN's or a live-streaming base's account ---
  app.get('/api/orgs/:orgId/ledger', { schema: { tags: ['ledger'], summary: "Organisation's account statement", params: OrgIdParams, querystring: StatementQuery }, config: { access: orgFinance } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return statement(reply, orgAccount(request.membership!.orgKind, orgId), request.query, request.locale);
  });
  app.post('/api/orgs/:orgId/ledger/withdrawals', { schema: { tags: ['ledger'], summary: 'Create withdrawal', params: OrgIdParams, body: WithdrawalBody }, config: { access: orgWithdraw } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(WithdrawalBody, request.body, request.locale);
    reply.code(201);
    return { withdrawal: await ledger.withdrawals.request(orgAccount(request.membership!.orgKind, orgId), body.amountFen, request.user!.id) };
  });

  // --- the operator ---
  app.get('/api/admin/ledger', { schema: { tags: ['ledger'], summary: "Platform's books (operator)" }, config: { access: operator } }, async () => {
    const balance = (id: string) => ledger.store.balanceOf(id);
    const [platformFeesFen, clearingFen, buyersFen, payoutsPendingFen, payoutsFen, verify, runs, pendingWithdrawals] = await Promise.all([
      balance(ACCOUNTS.platformFees),
      balance(ACCOUNTS.clearing),
      balance(ACCOUNTS.buyers),
      balance(ACCOUNTS.payoutsPending),
      balance(ACCOUNTS.payouts),
      ledger.store.verify(),
      ledger.settlementRuns(20),
      ledger.withdrawals.list({ status: 'requested' }),
    ]);
    return { platformFeesFen, clearingFen, buyersFen, payoutsPendingFen, payoutsFen, verify, runs, pendingWithdrawals };
  });
  app.get('/api/admin/ledger/accounts/:accountId', { schema: { tags: ['ledger'], summary: "An account's statement (operator)", params: AccountParams, querystring: StatementQuery }, config: { access: operator } }, async (request, reply) => {
    const { accountId } = parseInput(AccountParams, request.params, request.locale);
    try {
      describeAccount(accountId);
    } catch {
      throw new AppError('LEDGER_ACCOUNT_NOT_FOUND');
    }
    return statement(reply, accountId, request.query, request.locale);
  });
  app.post('/api/admin/ledger/settlement-runs', { schema: { tags: ['ledger'], summary: 'Run settlement now (operator)', body: SettlementRunBody }, config: { access: operator } }, async (request, reply) => {
    const body = parseInput(SettlementRunBody, request.body ?? undefined, request.locale);
    reply.code(201);
    if (body?.orderId) return { settlement: await ledger.settlement.settleOne(body.orderId, request.user!.id) };
    return { run: await ledger.settlement.runDue('operator', request.user!.id) };
  });
  app.get('/api/admin/ledger/withdrawals', { schema: { tags: ['ledger'], summary: 'List withdrawals (operator)', querystring: WithdrawalListQuery }, config: { access: operator } }, async (request) => {
    const query = parseInput(WithdrawalListQuery, request.query, request.locale);
    return { withdrawals: await ledger.withdrawals.list(query, 200) };
  });
  app.post('/api/admin/ledger/withdrawals/:id/approve', { schema: { tags: ['ledger'], summary: 'Approve withdrawal (operator)', params: WithdrawalParams }, config: { access: operator } }, async (request) => {
    const { id } = parseInput(WithdrawalParams, request.params, request.locale);
    return { withdrawal: await ledger.withdrawals.approve(id, request.user!.id) };
  });
  app.post('/api/admin/ledger/withdrawals/:id/reject', { schema: { tags: ['ledger'], summary: 'Reject withdrawal (operator)', params: WithdrawalParams, body: RejectWithdrawalBody }, config: { access: operator } }, async (request) => {
    const { id } = parseInput(WithdrawalParams, request.params, request.locale);
    const body = parseInput(RejectWithdrawalBody, request.body, request.locale);
    return { withdrawal: await ledger.withdrawals.reject(id, request.user!.id, body.reason) };
  });
}
