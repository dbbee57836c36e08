// The world and the probes of test/access-sweep.test.ts: the demo's organisations as the victims (with
// their real data), a fresh organisation of each kind as the attackers, the victims' ids to put in
// paths, bodies and queries, the victims' private values that must never reach a stranger, and a
// fingerprint of the victims' rows to tell whether a request changed them.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/platform/db.ts';
import type { OrgKind } from '../../server/platform/db-types.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { newId } from '../../server/platform/ids.ts';
import { streamer } from './people.ts';
import type { TestClient, TestServer } from './server.ts';

export const ORG_KINDS = ['brand', 'mcn', 'base', 'training'] as const satisfies readonly OrgKind[];

type Row = Record<string, unknown>;

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  return (await query.execute(db)).rows as Row[];
}

async function first(db: Db, query: ReturnType<typeof sql>): Promise<string | undefined> {
  const [row] = await rows(db, query);
  return row ? String(Object.values(row)[0]) : undefined;
}

/**
 * What the demo does not seed but a victim may well have: an after-sale request on one of the brand's
 * orders, a coupon drop and a lucky bag in its live (open, drawn later than the test clock will reach),
 * and a failed delivery to its webhook endpoint (failed: the worker never sends it).
 */
async function seedMore(db: Db, brand: string, at: Date) {
  const iso = at.toISOString();
  const later = new Date(at.getTime() + 86_400_000).toISOString();
  const order = await db.selectFrom('orders').innerJoin('order_items', 'order_items.order_id', 'orders.id').select(['orders.id', 'orders.buyer_id', 'order_items.id as item_id']).where('orders.brand_org_id', '=', brand).orderBy('orders.id').executeTakeFirstOrThrow();
  await db.insertInto('after_sales').values({ id: newId(), order_id: order.id, item_id: order.item_id, brand_org_id: brand, buyer_id: order.buyer_id, kind: 'refund_only', amount_fen: 100, reason: '少发一件', status: 'requested', decision_reason: null, return_carrier: null, return_tracking_no: null, out_refund_no: null, created_at: iso, updated_at: iso }).execute();
  const session = await db.selectFrom('live_sessions').select(['id', 'streamer_id']).where('brand_org_id', '=', brand).orderBy('id').executeTakeFirstOrThrow();
  await db.insertInto('coupon_drops').values({ id: newId(), session_id: session.id, title: '直播间红包', amount_off_fen: 500, total: 10, claimed: 0, starts_at: iso, ends_at: later, created_by: session.streamer_id }).execute();
  await db.insertInto('lucky_bags').values({ id: newId(), session_id: session.id, prize: '月饼礼盒', winners: 1, condition_kind: 'follow', keyword: null, draw_at: later, seed_enc: 'sealed', commitment: 'sealed', status: 'open', revealed_seed: null, winner_ids: null, entrant_count: null, created_by: session.streamer_id, created_at: iso, drawn_at: null }).execute();
  const endpoint = await db.selectFrom('webhook_endpoints').select('id').where('org_id', '=', brand).executeTakeFirstOrThrow();
  await db.insertInto('webhook_deliveries').values({ id: newId(), endpoint_id: endpoint.id, org_id: brand, event_id: newId(), event_type: 'order.paid', status: 'failed', attempts: 8, next_attempt_at: null, last_attempt_at: iso, last_status_code: 500, last_error: 'HTTP 500', delivered_at: null, created_at: iso }).execute();
}

/** The victims' ids, by what they name; undefined where the demo has none (the sweep then uses a random UUID). */
export type VictimIds = Record<string, string | undefined>;

/** Ids of the demo's data, each the victim organisation's where the demo has one of its own. */
async function harvestIds(db: Db, org: Record<OrgKind, string>): Promise<VictimIds> {
  const { brand, mcn, base, training } = org;
  const one = (query: ReturnType<typeof sql>) => first(db, query);
  const product = await one(sql`select p.id from products p where p.brand_org_id = ${brand} and exists (select 1 from product_images i where i.product_id = p.id) order by p.created_at, p.id`);
  // The live with the most chat: an ended one with its products, replay and numbers.
  const session = await one(sql`select s.id from live_sessions s where s.brand_org_id = ${brand} order by (select count(*) from chat_messages c where c.session_id = s.id) desc, s.id`);
  const order = await one(sql`select id from orders where brand_org_id = ${brand} order by created_at, id`);
  const enrollment = await one(sql`select e.id from training_enrollments e where e.org_id = ${training} order by (select count(*) from training_practices p where p.enrollment_id = e.id) + (select count(*) from training_exams x where x.enrollment_id = e.id) desc, e.id`);
  const maintenance = await one(sql`select id from studio_maintenance order by id`);
  const studioPhoto = await one(sql`select id from base_photos where base_org_id = ${base} and studio_id is not null order by id`);
  return {
    brand,
    mcn,
    base,
    training,
    product,
    sku: await one(sql`select id from skus where product_id = ${product ?? ''} order by id`),
    picture: await one(sql`select id from product_images where product_id = ${product ?? ''} order by position`),
    session,
    chatMessage: await one(sql`select id from chat_messages where session_id = ${session ?? ''} order by id`),
    order,
    orderItem: await one(sql`select id from order_items where order_id = ${order ?? ''} order by id`),
    afterSale: await one(sql`select id from after_sales order by id`),
    address: await one(sql`select id from addresses order by id`),
    streamer: await one(sql`select m.streamer_id from mcn_contracts m where m.mcn_org_id = ${mcn} and m.status = 'accepted' order by m.id`),
    assistant: await one(sql`select user_id from room_assistants order by user_id`),
    brandOwner: await one(sql`select user_id from org_members where org_id = ${brand} and role = 'owner'`),
    contract: await one(sql`select id from mcn_contracts where mcn_org_id = ${mcn} order by id`),
    offer: await one(sql`select id from cooperation_offers where brand_org_id = ${brand} order by id`),
    application: await one(sql`select id from cooperation_applications order by id`),
    sample: await one(sql`select id from cooperation_samples order by id`),
    slotFee: await one(sql`select id from cooperation_slot_fees order by id`),
    studio: await one(sql`select id from studios where base_org_id = ${base} order by id`),
    maintenanceStudio: await one(sql`select studio_id from studio_maintenance where id = ${maintenance ?? ''}`),
    maintenance,
    photoStudio: await one(sql`select studio_id from base_photos where id = ${studioPhoto ?? ''}`),
    studioPhoto,
    basePhoto: await one(sql`select id from base_photos where base_org_id = ${base} and studio_id is null order by id`),
    booking: await one(sql`select id from studio_bookings where base_org_id = ${base} order by id`),
    baseEvent: await one(sql`select id from base_events where base_org_id = ${base} order by id`),
    tenant: await one(sql`select id from base_tenants where base_org_id = ${base} order by id`),
    baseApplication: await one(sql`select id from base_applications where base_org_id = ${base} order by id`),
    programme: await one(sql`select id from base_programmes order by id`),
    enrollment,
    lesson: await one(sql`select l.id from training_lessons l join training_courses c on c.id = l.course_id where c.org_id = ${training} order by l.position, l.id`),
    exam: await one(sql`select id from training_exams where enrollment_id = ${enrollment ?? ''} order by id`),
    practice: await one(sql`select id from training_practices where enrollment_id = ${enrollment ?? ''} order by id`),
    certificate: await one(sql`select number from training_certificates order by number`),
    apiKey: await one(sql`select id from api_keys order by id`),
    webhook: await one(sql`select id from webhook_endpoints order by id`),
    delivery: await one(sql`select id from webhook_deliveries order by id`),
    withdrawal: await one(sql`select id from ledger_withdrawals order by id`),
    ledgerAccount: await one(sql`select id from ledger_accounts where owner_id = ${brand} order by id`),
    notification: await one(sql`select id from notifications order by id`),
    preset: await one(sql`select id from cockpit_presets order by id`),
    coupon: (await one(sql`select id from coupons where brand_org_id = ${brand} order by id`)) ?? (await one(sql`select id from coupons order by id`)),
    campaignCoupon: await one(sql`select id from coupons where campaign_id is not null order by id`),
    couponDrop: await one(sql`select id from coupon_drops order by id`),
    luckyBag: await one(sql`select id from lucky_bags order by id`),
    flashSale: await one(sql`select id from flash_sales order by id`),
    presale: await one(sql`select id from presales order by id`),
    presaleOrder: await one(sql`select id from presale_orders order by id`),
    launch: await one(sql`select id from launches order by id`),
    campaign: await one(sql`select id from campaigns order by id`),
    auction: await one(sql`select id from auctions order by id`),
    store: await one(sql`select id from merchant_stores where brand_org_id = ${brand} order by id`),
    firstStore: await one(sql`select id from first_stores order by id`),
    voucher: await one(sql`select id from voucher_codes order by id`),
    b2bProduct: await one(sql`select product_id from b2b_terms order by product_id`),
    rfq: await one(sql`select id from b2b_rfqs order by id`),
    licence: await one(sql`select id from b2b_licences order by id`),
    crossborderProduct: await one(sql`select product_id from crossborder_products order by product_id`),
    originProduct: await one(sql`select product_id from origin_certs order by product_id`),
    producer: await one(sql`select id from origin_producers order by id`),
    exhibition: await one(sql`select id from exhibitions order by id`),
    booth: await one(sql`select id from exhibition_booths order by id`),
    hall: await one(sql`select id from exhibition_halls order by id`),
    nomination: await one(sql`select id from talent_nominations order by id`),
    sensitiveWord: await one(sql`select word from sensitive_words order by word`),
    userCoupon: await one(sql`select id from user_coupons order by id`),
  };
}

/**
 * Values only the victims (and the people they deal with) may see, each with what it is: ids of their
 * orders, contracts, bookings, keys…, and personal data (phone numbers, real names, ID numbers, addresses).
 */
async function harvestMarkers(db: Db): Promise<Map<string, string>> {
  const markers = new Map<string, string>();
  const add = async (label: string, query: ReturnType<typeof sql>) => {
    for (const row of await rows(db, query)) {
      const value = Object.values(row)[0];
      // Long enough not to turn up by chance: ids, numbers, codes; a Chinese name has two or three characters.
      if (typeof value === 'string' && (value.length >= 6 || /^\p{Script=Han}{2,}$/u.test(value))) markers.set(value, label);
    }
  };
  await add('order', sql`select id from orders`);
  await add('after-sale', sql`select id from after_sales`);
  await add('address', sql`select id from addresses`);
  await add('address detail', sql`select detail from addresses`);
  await add('phone', sql`select phone from users where phone is not null`);
  await add('phone', sql`select phone from addresses`);
  await add('real name', sql`select real_name from streamer_profiles`);
  await add('ID number', sql`select id_number_masked from streamer_profiles`);
  await add('real name', sql`select real_name from crossborder_identities`);
  await add('ID number', sql`select id_number_masked from crossborder_identities`);
  await add('MCN contract', sql`select id from mcn_contracts`);
  await add('cooperation application', sql`select id from cooperation_applications`);
  await add('cooperation sample', sql`select id from cooperation_samples`);
  await add('slot fee', sql`select id from cooperation_slot_fees`);
  await add('studio booking', sql`select id from studio_bookings`);
  await add('base application', sql`select id from base_applications`);
  await add('API key', sql`select id from api_keys`);
  await add('API key', sql`select prefix from api_keys`);
  await add('webhook endpoint', sql`select id from webhook_endpoints`);
  await add('webhook endpoint', sql`select url from webhook_endpoints`);
  await add('withdrawal', sql`select id from ledger_withdrawals`);
  await add('enrolment', sql`select id from training_enrollments`);
  await add('exam', sql`select id from training_exams`);
  await add('practice', sql`select id from training_practices`);
  await add('pre-sale order', sql`select id from presale_orders`);
  await add('voucher code', sql`select code from voucher_codes`);
  await add('RFQ', sql`select id from b2b_rfqs`);
  await add('B2B lead', sql`select id from b2b_leads`);
  await add('B2B licence', sql`select id from b2b_licences`);
  await add('credit code', sql`select credit_code from b2b_licences`);
  await add('exhibition inquiry', sql`select id from exhibition_inquiries`);
  await add('notification', sql`select id from notifications`);
  await add('cockpit preset', sql`select id from cockpit_presets`);
  await add('user coupon', sql`select id from user_coupons`);
  await add('webhook delivery', sql`select id from webhook_deliveries`);
  return markers;
}

/** Secrets only their holders can read through the API: a streamer's stream keys, a webhook's signing secret, full ID numbers (operators only). */
async function harvestSecrets(markers: Map<string, string>, as: { operator: TestClient; brandOwner: TestClient; streamer: TestClient; brand: string; webhook?: string }) {
  for (const profile of (await as.operator.get('/api/admin/streamer-profiles')).json<{ profiles: { idNumber?: string }[] }>().profiles) {
    if (profile.idNumber) markers.set(profile.idNumber, 'ID number');
  }
  for (const session of (await as.streamer.get('/api/streamer/live-sessions')).json<{ sessions: { id: string }[] }>().sessions) {
    const key = (await as.streamer.get(`/api/streamer/live-sessions/${session.id}`)).json<{ push?: { streamKey: string | null } }>().push?.streamKey;
    if (key) markers.set(key.slice(key.indexOf('key=')), 'stream key');
  }
  if (as.webhook) {
    const secret = (await as.brandOwner.post(`/api/orgs/${as.brand}/webhooks/${as.webhook}/reveal-secret`)).json<{ secret?: string }>().secret;
    if (secret) markers.set(secret, 'webhook secret');
  }
  if (![...markers.values()].includes('stream key') || ![...markers.values()].includes('webhook secret') || ![...markers.values()].includes('ID number')) {
    throw new Error('the sweep found no stream key, webhook secret or ID number to watch for');
  }
}

/** Each table's columns (the watched ones need not have rows yet: a victim's new rows are counted too). */
async function tableColumns(db: Db, dialect: 'sqlite' | 'postgres'): Promise<Map<string, string[]>> {
  const query =
    dialect === 'sqlite'
      ? sql`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%'`
      : sql`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`;
  const columns = new Map<string, string[]>();
  for (const row of await rows(db, query)) columns.set(String(row.t), [...(columns.get(String(row.t)) ?? []), String(row.c)]);
  return columns;
}

/**
 * Tables left out of the fingerprint: logs the app appends to on its own, sessions, the search index,
 * counters any viewer moves (clicks, live minutes), the ledger's bookkeeping, and the payment sandbox.
 */
const UNWATCHED = /^(sessions|audit_log|business_events|org_events|event_consumers|reminder_runs|kysely_.*|search_.*|live_minutes|live_product_clicks|chat_messages|ledger_.*|sandbox_.*|provider_keys|payment_notifications|stream_events|moderation_log)$/;

/** Columns that background work changes on its own (the notification sender claims and sends). */
const VOLATILE: Record<string, readonly string[]> = {
  notifications: ['state', 'claim_token', 'claimed_until', 'sent_at', 'channels'],
};

const ORG_COLUMNS = ['org_id', 'brand_org_id', 'base_org_id', 'mcn_org_id', 'exhibitor_org_id', 'booker_org_id'];
/** Where a table's organisation column names someone else than the row's owner: a base's tenant (org_id) is the base's row. */
const OWNER_COLUMNS: Record<string, readonly string[]> = { base_tenants: ['base_org_id'] };

export type Fingerprint = {
  /** Each watched table's rows, as text, at the time. */
  rows: Map<string, Set<string>>;
  /** Per table, how many rows belong to a victim organisation. */
  victimRows: Map<string, number>;
};

/**
 * Fingerprints of the victims' data. Created while the database holds the demo only, so the rows it
 * sees then are the victims'; later fingerprints tell which of those rows changed or went, and how many
 * rows each table has in a victim organisation.
 */
export async function createFingerprinter(db: Db, dialect: 'sqlite' | 'postgres', victimOrgIds: readonly string[]) {
  const victims = new Set(victimOrgIds);
  const columns = await tableColumns(db, dialect);
  const ownerColumns = (table: string) => (OWNER_COLUMNS[table] ?? ORG_COLUMNS).filter((c) => columns.get(table)?.includes(c));
  const text = (table: string, row: Row) => {
    const volatile = VOLATILE[table] ?? [];
    return JSON.stringify(Object.entries(row).filter(([k]) => !volatile.includes(k)));
  };
  const take = async (tables: string[]): Promise<Fingerprint> => {
    const fingerprint: Fingerprint = { rows: new Map(), victimRows: new Map() };
    await Promise.all(
      tables.map(async (table) => {
        const all = await rows(db, sql`select * from ${sql.table(table)}`);
        fingerprint.rows.set(table, new Set(all.map((row) => text(table, row))));
        const owners = ownerColumns(table);
        const owned = all.filter((row) => owners.some((c) => victims.has(row[c] as string)) || (table === 'organisations' && victims.has(row.id as string)));
        fingerprint.victimRows.set(table, owned.length);
      }),
    );
    return fingerprint;
  };
  const baseline = await take([...columns.keys()].filter((t) => !UNWATCHED.test(t)));
  // Only tables that hold a victim's row now, or could get one in a victim organisation.
  const watched = [...baseline.rows.keys()].filter((t) => baseline.rows.get(t)!.size > 0 || ownerColumns(t).length > 0 || t === 'organisations');
  return {
    take: () => take(watched),
    /** What changed in the victims' data from `before` to `after`: their rows changed or gone, and new rows in a victim organisation. */
    diff(before: Fingerprint, after: Fingerprint): string[] {
      const changes: string[] = [];
      for (const table of watched) {
        let gone = 0;
        for (const row of baseline.rows.get(table)!) if (before.rows.get(table)!.has(row) && !after.rows.get(table)!.has(row)) gone += 1;
        if (gone) changes.push(`${table}: ${gone} victim row(s) changed or deleted`);
        const added = after.victimRows.get(table)! - before.victimRows.get(table)!;
        if (added) changes.push(`${table}: ${added > 0 ? '+' : ''}${added} row(s) in a victim organisation`);
      }
      return changes;
    },
  };
}

export type Attacker = { kind: OrgKind; client: TestClient; orgId: string; ownerId: string; staff: TestClient };

export type SweepWorld = Awaited<ReturnType<typeof buildSweepWorld>>;

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}${crypto.randomBytes(2).toString('hex')}`;

/**
 * The demo's organisations are the victims (德兴斋 for brands, and the demo's MCN, base and training
 * centre), with everything the demo seeds for them; a fresh, approved organisation of each kind, with
 * its owner and a staff member (its 运营), is the attacker. Strangers: a plain viewer, an approved
 * streamer of no MCN, and the commission's read-only reviewer. The victims get a staff member too.
 */
export async function buildSweepWorld(server: TestServer) {
  const db = server.database.db;
  const orgRows = (await rows(db, sql`select id, kind, name from organisations order by created_at, id`)) as { id: string; kind: OrgKind; name: string }[];
  const victimOf = (kind: OrgKind) => (kind === 'brand' ? orgRows.find((o) => o.name === '德兴斋') : orgRows.find((o) => o.kind === kind))!.id;
  const victim = Object.fromEntries(ORG_KINDS.map((k) => [k, victimOf(k)])) as Record<OrgKind, string>;
  await seedMore(db, victim.brand, server.clock.now());
  const ids = await harvestIds(db, victim);
  const markers = await harvestMarkers(db);
  const login = async (account: { login: string }) => {
    const client = server.client();
    await client.login(account.login, DEMO_PASSWORD);
    return client;
  };
  const operator = await login(DEMO_ACCOUNTS.operator);
  const commission = await login(DEMO_ACCOUNTS.commission);
  const victimOwners: Record<OrgKind, TestClient> = {
    brand: await login(DEMO_ACCOUNTS.foodBrand),
    mcn: await login(DEMO_ACCOUNTS.mcn),
    base: await login(DEMO_ACCOUNTS.base),
    training: await login(DEMO_ACCOUNTS.training),
  };
  await harvestSecrets(markers, { operator, brandOwner: victimOwners.brand, streamer: await login(DEMO_ACCOUNTS.streamerFood), brand: victim.brand, webhook: ids.webhook });
  // Made before anyone else exists: the rows it sees are the victims' (the demo's) only.
  const fingerprinter = await createFingerprinter(db, server.database.dialect, orgRows.map((o) => o.id));

  const register = async () => {
    const client = server.client();
    const login = `sweep-${unique()}@example.com`;
    const user = await client.register(login);
    return { client, login, id: user.id };
  };
  const victimStaff = {} as Record<OrgKind, TestClient>;
  for (const kind of ORG_KINDS) {
    const staff = await register();
    const added = await victimOwners[kind].post(`/api/orgs/${victim[kind]}/members`, { login: staff.login, role: 'staff' });
    if (added.status !== 201) throw new Error(`victim staff: ${added.body}`);
    victimStaff[kind] = staff.client;
  }
  const attackers = {} as Record<OrgKind, Attacker>;
  for (const kind of ORG_KINDS) {
    const owner = await register();
    const created = await owner.client.post('/api/orgs', { kind, name: `攻击方${kind}${unique().slice(-4)}`, licenceName: '上海某某有限公司', licenceNo: '91310000MA1FL0XX1X' });
    if (created.status !== 201) throw new Error(`attacker org: ${created.body}`);
    const orgId = created.json().org.id as string;
    const approved = await operator.post(`/api/admin/orgs/${orgId}/review`, { decision: 'approve' });
    if (approved.status !== 200) throw new Error(`approve: ${approved.body}`);
    const staff = await register();
    await owner.client.post(`/api/orgs/${orgId}/members`, { login: staff.login, role: 'staff' });
    attackers[kind] = { kind, client: owner.client, orgId, ownerId: owner.id, staff: staff.client };
  }
  // The attacking brand's API key, with every scope, for the open platform's routes.
  const key = await attackers.brand.client.post(`/api/orgs/${attackers.brand.orgId}/api-keys`, { name: '攻击方密钥', scopes: ['orders:read', 'events:read', 'products:write'] });
  if (key.status !== 201) throw new Error(`API key: ${key.body}`);
  const apiKey = key.json().secret as string;
  const viewer = (await register()).client;
  const lone = await streamer(server);

  return { victim, ids, markers, fingerprinter, operator, commission, victimOwners, victimStaff, attackers, apiKey, viewer, streamer: lone.client };
}

// ---------------------------------------------------------------------------------------------------
// Values for request bodies and queries, from the OpenAPI document's JSON Schema.

type JsonSchema = { [key: string]: any };

/** A time a few days ahead: an end (endsAt, validTo, leaseEnd…) a day after a start. */
function ahead(now: Date, name: string): Date {
  const days = /end|to$|until|clos/i.test(name) ? 4 : 3;
  return new Date(now.getTime() + days * 86_400_000);
}

/** Candidates for a string with a pattern: the first the pattern accepts is used. */
function patternCandidates(now: Date, name: string): string[] {
  const date = ahead(now, name).toISOString().slice(0, 10);
  return [date, date.slice(0, 7), '10:00', '13912345678', '91310000MA1FL0XX1X', 'abcdefgh', 'AB12', 'CN', '0401', '3101040000', '310104199603180214', 'sweep_key-0001', 'a'];
}

/**
 * A value the schema accepts, smallest where it can be: required properties only, plus optional ones
 * naming something we have a victim's id for (so a body can point at the victim's data too).
 */
export function sampleValue(schema: JsonSchema | undefined, name: string, fill: (name: string) => string | undefined, now: Date, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      const option = (schema[key] as JsonSchema[]).find((s) => s.type !== 'null') ?? schema[key][0];
      return sampleValue(option, name, fill, now, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return sampleValue(schema.allOf[0], name, fill, now, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    const required = new Set<string>(schema.required ?? []);
    for (const [key, property] of Object.entries<JsonSchema>(schema.properties ?? {})) {
      if (!required.has(key) && fill(key) === undefined) continue;
      const value = sampleValue(property, key, fill, now, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (type === 'array') {
    const singular = name.endsWith('Ids') ? name.slice(0, -1) : name;
    const count = Math.max(schema.minItems ?? 0, fill(singular) !== undefined ? 1 : 0);
    return Array.from({ length: count }, () => sampleValue(schema.items, singular, fill, now, depth + 1));
  }
  if (type === 'string') {
    const id = fill(name);
    if (id !== undefined) return id;
    const min = schema.minLength ?? 1;
    if (schema.format === 'date-time') return ahead(now, name).toISOString();
    if (schema.format === 'date') return ahead(now, name).toISOString().slice(0, 10);
    if (schema.format === 'email') return 'nobody-sweep@example.com';
    if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/sweep.png';
    if (schema.format === 'uuid') return crypto.randomUUID();
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern);
      const found = patternCandidates(now, name).find((c) => pattern.test(c) && c.length >= min && c.length <= (schema.maxLength ?? Infinity));
      if (found) return found;
    }
    if (name === 'login') return 'nobody-sweep@example.com';
    if (name === 'phone') return '13912345678';
    return '测试'.padEnd(Math.max(min, 2), '试').slice(0, schema.maxLength ?? 64);
  }
  if (type === 'integer' || type === 'number') {
    const low = Math.max(schema.minimum ?? 1, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    return Math.min(low, schema.maximum ?? low);
  }
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  return undefined;
}
