import { sql, type Kysely } from 'kysely';

// Live-streaming bases (直播基地, docs/BASES.md): the base's profile and cancellation rules, studios'
// capacity and maintenance, the booking calendar (and the lives held in each booking), tenants settled
// in the base, the events it held, and the city programmes whose criteria its monthly report is checked
// against. Times are ISO-8601 UTC strings; a base's opening hours are 'HH:MM' in Asia/Shanghai.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('base_profiles')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('area_sqm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('theme', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    /** Local time (Asia/Shanghai, UTC+8), 'HH:MM'; opens < closes, same day. */
    .addColumn('opens_at', 'text', (c) => c.notNull().defaultTo('09:00'))
    .addColumn('closes_at', 'text', (c) => c.notNull().defaultTo('23:00'))
    /** JSON array of picture URLs. */
    .addColumn('photos', 'text', (c) => c.notNull().defaultTo('[]'))
    /** Free cancellation until this many hours before the start; later, cancel_fee_bps of the price. */
    .addColumn('free_cancel_hours', 'integer', (c) => c.notNull().defaultTo(24))
    .addColumn('cancel_fee_bps', 'integer', (c) => c.notNull().defaultTo(5000))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('base_profiles_fee_bps', sql`cancel_fee_bps >= 0 and cancel_fee_bps <= 10000`)
    .execute();

  await db.schema.alterTable('studios').addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  /** 1 when any organisation may book it (a city programme counts public studios). */
  await db.schema.alterTable('studios').addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.createIndex('studios_base').on('studios').column('base_org_id').execute();

  await db.schema
    .createTable('studio_maintenance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('studio_id', 'text', (c) => c.notNull().references('studios.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('studio_maintenance_studio').on('studio_maintenance').columns(['studio_id', 'starts_at']).execute();

  await db.schema
    .createTable('studio_bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('studio_id', 'text', (c) => c.notNull().references('studios.id'))
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('booked_by', 'text', (c) => c.notNull().references('users.id'))
    /** The MCN or brand booking (its staff may cancel); null when a streamer books for themself. */
    .addColumn('booker_org_id', 'text', (c) => c.references('organisations.id'))
    /** Who goes live in it (a streamer may schedule a live from it). */
    .addColumn('streamer_id', 'text', (c) => c.references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('booked'))
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    .addColumn('cancel_fee_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('studio_bookings_times', sql`starts_at < ends_at`)
    .addCheckConstraint('studio_bookings_status', sql`status in ('booked', 'cancelled')`)
    .execute();
  await db.schema.createIndex('studio_bookings_studio').on('studio_bookings').columns(['studio_id', 'starts_at']).execute();
  await db.schema.createIndex('studio_bookings_base').on('studio_bookings').columns(['base_org_id', 'starts_at']).execute();
  await db.schema.createIndex('studio_bookings_booker').on('studio_bookings').columns(['booked_by', 'starts_at']).execute();

  await db.schema
    .createTable('studio_booking_lives')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('live_sessions.id'))
    .addColumn('booking_id', 'text', (c) => c.notNull().references('studio_bookings.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('studio_booking_lives_booking').on('studio_booking_lives').column('booking_id').execute();

  await db.schema
    .createTable('base_tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** 'platform' | 'mcn' | 'service' */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.references('organisations.id'))
    /** Lease: dates 'YYYY-MM-DD' (inclusive), area and monthly rent. */
    .addColumn('lease_start', 'text', (c) => c.notNull())
    .addColumn('lease_end', 'text', (c) => c.notNull())
    .addColumn('area_sqm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('monthly_rent_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('base_tenants_kind', sql`kind in ('platform', 'mcn', 'service')`)
    .execute();
  await db.schema.createIndex('base_tenants_base').on('base_tenants').column('base_org_id').execute();

  await db.schema
    .createTable('base_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_at', 'text', (c) => c.notNull())
    .addColumn('attendees', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('base_events_base').on('base_events').columns(['base_org_id', 'held_at']).execute();

  await db.schema
    .createTable('base_programmes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    /** JSON array of { metric, min }: the thresholds are data (docs/BASES.md lists the metrics). */
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['base_programmes', 'base_events', 'base_tenants', 'studio_booking_lives', 'studio_bookings', 'studio_maintenance', 'base_profiles']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('studios_base').execute();
  await db.schema.alterTable('studios').dropColumn('is_public').execute();
  await db.schema.alterTable('studios').dropColumn('capacity').execute();
}
