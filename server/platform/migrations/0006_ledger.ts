import { sql, type Kysely } from 'kysely';

// The double-entry ledger (docs/LEDGER.md), MCN contracts, and the commission rate of a 小黄车 row.
export async function up(db: Kysely<unknown>): Promise<void> {
  // What the 小黄车 row was listed at: the streamer's commission on the product, in basis points (0–9000).
  await db.schema.alterTable('session_products').addColumn('commission_bps', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('mcn_contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mcn_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('split_bps', 'integer', (c) => c.notNull().check(sql`split_bps between 0 and 10000`))
    .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .execute();
  await db.schema.createIndex('mcn_contracts_streamer').on('mcn_contracts').columns(['streamer_id', 'status']).execute();
  await db.schema.createIndex('mcn_contracts_mcn').on('mcn_contracts').columns(['mcn_org_id', 'status']).execute();

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('balance_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('event_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('ledger_transfers_order').on('ledger_transfers').column('order_id').execute();

  await db.schema
    .createTable('ledger_postings')
    .addColumn('transfer_id', 'text', (c) => c.notNull().references('ledger_transfers.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_postings_pk', ['transfer_id', 'account_id'])
    .execute();
  await db.schema.createIndex('ledger_postings_account').on('ledger_postings').column('account_id').execute();

  await db.schema
    .createTable('ledger_orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('streamer_id', 'text')
    .addColumn('mcn_org_id', 'text')
    .addColumn('mcn_split_bps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('platform_fee_bps', 'integer', (c) => c.notNull())
    // JSON [{ itemId, productId, paidFen, refundedFen, commissionBps }]
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    // refunds not tied to one line (spread over the lines and shipping at settlement)
    .addColumn('order_refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('shipping_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('settle_after', 'text')
    .addColumn('settled_at', 'text')
    // JSON { brand, streamer, mcn, fee }: what each got at settlement (refunds after it claw back in proportion)
    .addColumn('settled_shares', 'text')
    .addColumn('clawed_back_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ledger_orders_due').on('ledger_orders').columns(['status', 'settle_after']).execute();

  await db.schema
    .createTable('ledger_settlement_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('orders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transfers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('ledger_withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('payout_no', 'text')
    .addColumn('paid_at', 'text')
    .execute();
  await db.schema.createIndex('ledger_withdrawals_account').on('ledger_withdrawals').columns(['account_id', 'requested_at']).execute();
  await db.schema.createIndex('ledger_withdrawals_status').on('ledger_withdrawals').columns(['status', 'requested_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ledger_withdrawals', 'ledger_settlement_runs', 'ledger_orders', 'ledger_postings', 'ledger_transfers', 'ledger_accounts', 'mcn_contracts']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('session_products').dropColumn('commission_bps').execute();
}
