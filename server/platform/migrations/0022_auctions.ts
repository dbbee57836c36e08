import type { Kysely } from 'kysely';

// Live auctions (竞拍, docs/AUCTIONS.md): an auction of a one-off lot in a live session, its bids
// (each accepted once, idempotent per bidder by a client key) and the orders offered to the winner
// and, when a winner never pays, to the next bidder.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auctions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull().references('skus.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('starting_price_fen', 'bigint', (c) => c.notNull())
    /** JSON [{belowFen: number | null, stepFen}], ascending; the last has belowFen null. */
    .addColumn('increments', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    /** The close as planned; closes_at moves with anti-sniping, never past planned + max_extension_seconds. */
    .addColumn('planned_close_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('extend_seconds', 'integer', (c) => c.notNull())
    .addColumn('max_extension_seconds', 'integer', (c) => c.notNull())
    .addColumn('sudden_death', 'integer', (c) => c.notNull())
    .addColumn('pay_seconds', 'integer', (c) => c.notNull())
    /** open | awaiting_payment | sold | unsold */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'bigint')
    .addColumn('leader_id', 'text', (c) => c.references('users.id'))
    .addColumn('leader_max_fen', 'bigint')
    .addColumn('bid_count', 'integer', (c) => c.notNull())
    /** Raised by every accepted bid and every state change: writers update only the version they read. */
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('winner_id', 'text', (c) => c.references('users.id'))
    .addColumn('order_id', 'text')
    .addColumn('hammer_fen', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('auctions_session').on('auctions').columns(['session_id', 'created_at']).execute();
  await db.schema.createIndex('auctions_due').on('auctions').columns(['status', 'closes_at']).execute();
  await db.schema
    .createTable('auction_bids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('auction_id', 'text', (c) => c.notNull().references('auctions.id'))
    /** The auction's version this bid made: the order bids were decided in. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** bid (an amount) | proxy (a maximum) */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('price_after_fen', 'bigint', (c) => c.notNull())
    .addColumn('leader_after', 'text', (c) => c.notNull())
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auction_bids_seq').on('auction_bids').columns(['auction_id', 'seq']).unique().execute();
  await db.schema.createIndex('auction_bids_key').on('auction_bids').columns(['auction_id', 'user_id', 'client_key']).unique().execute();
  await db.schema
    .createTable('auction_offers')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('auction_id', 'text', (c) => c.notNull().references('auctions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    /** 1 for the winner, 2 for the next bidder … */
    .addColumn('rank', 'integer', (c) => c.notNull())
    /** pending | paid | lapsed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auction_offers_auction').on('auction_offers').columns(['auction_id', 'rank']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auction_offers').execute();
  await db.schema.dropTable('auction_bids').execute();
  await db.schema.dropTable('auctions').execute();
}
