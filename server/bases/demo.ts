import { ACCOUNTS } from '../ledger/postings.ts';
import type { Withdrawals } from '../ledger/withdrawals.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { StudioBookingsTable } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import type { Bases } from './service.ts';
import { announceBrandLive, type BookingLiveNoticeDeps } from './booking-live-notice.ts';
import { bookingOut } from './store.ts';
import { localDayStart } from './time.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A small deterministic generator, so every demo database shows the same calendar. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Booker = { userId: string; orgId: string | null; streamerId: string | null; title: string };

/**
 * 虹桥直播电商基地 in the demo (docs/BASES.md): its profile and cancellation rule, eight studios (the
 * three of the seed plus five), a maintenance period, three weeks past and ten days ahead of bookings by
 * 星火互娱, 德兴斋, 玉兰凝肌 and the streamers, the demo lives linked to bookings of the studios they were held
 * in (so the monthly report counts their hours, viewers and GMV), tenants with their leases, the year's
 * events and two ahead, and three city programmes whose criteria the report is checked against (last year's retired).
 */
export async function seedBasesDemo(db: Db, clock: Clock, input: { baseOrgId: string; mcn: { orgId: string; userId: string }; brands: { orgId: string; userId: string }[]; streamers: string[]; trainingOrgId?: string }) {
  const rnd = random(20261207);
  const nowMs = clock.now().getTime();
  const iso = new Date(nowMs).toISOString();
  const today = localDayStart(nowMs);
  const local = (dayOffset: number, hour: number) => today + dayOffset * DAY + hour * HOUR;

  await db.insertInto('base_profiles').values({ org_id: input.baseOrgId, area_sqm: 32_000, theme: '食品 · 美妆 · 家居直播电商', address: '上海市闵行区申长路 988 弄 虹桥直播产业园', opens_at: '09:00', closes_at: '23:00', photos: '[]', free_cancel_hours: 24, cancel_fee_bps: 5000, updated_at: iso }).execute();
  const capacities: Record<string, number> = { 'A1 美妆直播间': 6, 'B2 食品厨房直播间': 10, 'C3 绿幕直播间': 8 };
  for (const [name, capacity] of Object.entries(capacities)) await db.updateTable('studios').set({ capacity }).where('base_org_id', '=', input.baseOrgId).where('name', '=', name).execute();
  const extra: [string, number, string[], string[], number, number, number][] = [
    ['D5 家居实景直播间', 80, ['4K 摄像机 ×3', '柔光箱 ×4', '提词器', '无线麦克风'], ['北欧客厅', '卧室样板间'], 42_000, 12, 1],
    ['E6 服饰 T 台直播间', 90, ['4K 摄像机 ×4', '轨道摄像机', '面光灯', '提词器'], ['T 台', '试衣间'], 50_000, 15, 1],
    ['F7 珠宝鉴赏直播间', 24, ['微距摄像机', '无影灯', '提词器'], ['黑丝绒台'], 28_000, 4, 1],
    ['G8 助农直播间', 40, ['4K 摄像机 ×2', '环形补光灯', '声卡'], ['田园布景'], 20_000, 6, 1],
    ['H9 VIP 签约直播间', 30, ['4K 摄像机 ×2', '绿幕', '提词器', '声卡与领夹麦'], ['极简白'], 60_000, 5, 0],
  ];
  for (const [name, area, equipment, scenes, rate, capacity, isPublic] of extra) {
    await db.insertInto('studios').values({ id: newId(), base_org_id: input.baseOrgId, name, area_sqm: area, equipment: JSON.stringify(equipment), scenes: JSON.stringify(scenes), hourly_rate_fen: rate, capacity, is_public: isPublic, created_at: iso }).execute();
  }
  const studios = await db.selectFrom('studios').select(['id', 'name', 'hourly_rate_fen']).where('base_org_id', '=', input.baseOrgId).orderBy('name').execute();
  const byName = (prefix: string) => studios.find((s) => s.name.startsWith(prefix))!;
  const greenScreen = byName('C3');
  await db.insertInto('studio_maintenance').values({ id: newId(), studio_id: greenScreen.id, starts_at: new Date(local(3, 9)).toISOString(), ends_at: new Date(local(3, 14)).toISOString(), reason: '绿幕更换与灯光检修', created_at: iso }).execute();

  const rows: StudioBookingsTable[] = [];
  const taken = (studioId: string, from: number, to: number) => rows.some((r) => r.studio_id === studioId && Date.parse(r.starts_at) < to && Date.parse(r.ends_at) > from) || (studioId === greenScreen.id && from < local(3, 14) && to > local(3, 9));
  const add = (studio: (typeof studios)[number], from: number, to: number, who: Booker) => {
    if (taken(studio.id, from, to)) return null;
    const row: StudioBookingsTable = { id: newId(), studio_id: studio.id, base_org_id: input.baseOrgId, booked_by: who.userId, booker_org_id: who.orgId, streamer_id: who.streamerId, title: who.title, starts_at: new Date(from).toISOString(), ends_at: new Date(to).toISOString(), status: 'booked', price_fen: Math.round((Number(studio.hourly_rate_fen) * (to - from)) / HOUR), cancel_fee_fen: 0, cancelled_at: null, created_at: new Date(Math.min(from, nowMs) - 5 * DAY).toISOString(), charged_at: null, refunded_fen: 0 };
    rows.push(row);
    return row;
  };

  // Every demo live of the last five weeks and the next ten days was held (or is to be held) in one of the studios.
  const lives = await db.selectFrom('live_sessions').select(['id', 'title', 'streamer_id', 'scheduled_at', 'started_at']).where('streamer_id', 'in', input.streamers).execute();
  const links: { session_id: string; booking_id: string; created_at: string }[] = [];
  for (const live of lives) {
    const startMs = Date.parse(live.started_at ?? live.scheduled_at);
    if (startMs < nowMs - 35 * DAY || startMs > nowMs + 10 * DAY) continue;
    const from = Math.floor(startMs / HOUR) * HOUR;
    const studio = live.streamer_id === input.streamers[0] ? byName('B2') : byName('A1');
    const booking = add(studio, from, from + 3 * HOUR, { userId: input.mcn.userId, orgId: input.mcn.orgId, streamerId: live.streamer_id, title: live.title }) ?? add(byName('G8'), from, from + 3 * HOUR, { userId: input.mcn.userId, orgId: input.mcn.orgId, streamerId: live.streamer_id, title: live.title });
    if (booking) links.push({ session_id: live.id, booking_id: booking.id, created_at: booking.created_at });
  }

  // The rest of the month: afternoons and evenings booked by the MCN, the brands and the streamers.
  const bookers: Booker[] = [
    { userId: input.mcn.userId, orgId: input.mcn.orgId, streamerId: input.streamers[0] ?? null, title: '星火互娱 · 小林说吃 日常带货' },
    { userId: input.mcn.userId, orgId: input.mcn.orgId, streamerId: input.streamers[1] ?? null, title: '星火互娱 · 阿May美妆 新品试色' },
    ...input.brands.map((b, i) => ({ userId: b.userId, orgId: b.orgId, streamerId: null, title: i === 0 ? '德兴斋品牌自播' : '玉兰凝肌品牌自播' })),
    { userId: input.streamers[1]!, orgId: null, streamerId: input.streamers[1]!, title: '阿May美妆 个人专场' },
  ];
  const slots: [number, number][] = [[10, 13], [14, 17], [19, 22]];
  for (let d = -21; d <= 10; d++) {
    for (const studio of studios) {
      for (const [h0, h1] of slots) {
        if (rnd() > (h0 === 19 ? 0.55 : 0.3)) continue;
        const who = bookers[Math.floor(rnd() * bookers.length)]!;
        // A streamer's own 个人专场 are ahead of her: studio time she paid for herself every week of the past month
        // would be more than a month of her commission, and her 我的收益 would show a debt.
        if (!who.orgId && d < 1) continue;
        add(studio, local(d, h0), local(d, h1), who);
      }
    }
  }
  // Two cancellations: one free, well ahead; one late (10 hours before its start, a few days ago), with the
  // base's 50 % fee. Neither holds a demo live. The fee, and the studio time of every booking that has
  // ended, are charged through the ledger by the bases' sweep when the app starts (server/bases/fees.ts).
  const unlinked = (r: StudioBookingsTable) => !links.some((l) => l.booking_id === r.id);
  const ahead = rows.filter((r) => Date.parse(r.starts_at) > nowMs + 2 * DAY && unlinked(r));
  const before = rows.filter((r) => Date.parse(r.ends_at) < nowMs - 2 * DAY && Date.parse(r.starts_at) > nowMs - 7 * DAY && unlinked(r));
  const free = ahead[0];
  if (free) Object.assign(free, { status: 'cancelled', cancelled_at: iso });
  const late = before[3] ?? before[0];
  if (late) Object.assign(late, { status: 'cancelled', cancel_fee_fen: Math.round(late.price_fen / 2), cancelled_at: new Date(Date.parse(late.starts_at) - 10 * HOUR).toISOString() });
  for (let k = 0; k < rows.length; k += 200) await db.insertInto('studio_bookings').values(rows.slice(k, k + 200)).execute();
  if (links.length) await db.insertInto('studio_booking_lives').values(links).execute();

  // Tenants settled in the base, with their leases (one lease has run out). 星火互娱 confirmed its link; the training
  // centre's 实训点 waits for 海上学院 to confirm it (its console shows the request), so it is not counted yet.
  const year = new Date(nowMs + 8 * HOUR).getUTCFullYear();
  const tenants: [string, 'platform' | 'mcn' | 'service', string | null, string, string, number, number][] = [
    ['抖店华东服务中心', 'platform', null, `${year - 1}-03-01`, `${year + 2}-02-28`, 600, 9_000_000],
    ['快手电商上海运营中心', 'platform', null, `${year}-01-01`, `${year + 1}-12-31`, 450, 6_750_000],
    ['星火互娱 MCN', 'mcn', input.mcn.orgId, `${year - 1}-06-01`, `${year + 1}-05-31`, 300, 4_500_000],
    ['蓝海直播', 'mcn', null, `${year}-02-01`, `${year + 1}-01-31`, 260, 3_900_000],
    ['谦寻华东分部', 'mcn', null, `${year}-04-01`, `${year + 2}-03-31`, 500, 7_500_000],
    ['米果文化', 'mcn', null, `${year}-05-15`, `${year + 1}-05-14`, 180, 2_700_000],
    ['沪上优选供应链', 'service', null, `${year - 1}-09-01`, `${year + 1}-08-31`, 800, 8_000_000],
    ['云仓物流虹桥仓', 'service', null, `${year}-01-01`, `${year + 2}-12-31`, 1200, 9_600_000],
    ['光影直播设备租赁', 'service', null, `${year}-03-01`, `${year + 1}-02-28`, 120, 1_500_000],
    ['直播财税服务社', 'service', null, `${year}-07-01`, `${year + 1}-06-30`, 60, 800_000],
    ['海上直播电商学院（实训点）', 'service', input.trainingOrgId ?? null, `${year}-09-01`, `${year + 1}-08-31`, 200, 2_000_000],
    ['旧城电商（已退租）', 'mcn', null, `${year - 2}-01-01`, `${year - 1}-12-31`, 150, 2_000_000],
  ];
  const orgStatus = (orgId: string | null) => (!orgId ? null : orgId === input.trainingOrgId ? ('pending' as const) : ('confirmed' as const));
  await db
    .insertInto('base_tenants')
    .values(tenants.map(([name, kind, orgId, leaseStart, leaseEnd, area, rent]) => ({ id: newId(), base_org_id: input.baseOrgId, name, kind, org_id: orgId, org_status: orgStatus(orgId), org_decided_at: orgStatus(orgId) === 'confirmed' ? iso : null, org_decided_by: orgStatus(orgId) === 'confirmed' ? input.mcn.userId : null, lease_start: leaseStart, lease_end: leaseEnd, area_sqm: area, monthly_rent_fen: rent, created_at: iso })))
    .execute();

  // The year's events, up to today.
  const events: [number, string, number][] = [[-300, '年货节直播选品对接会', 260], [-240, '直播电商政策解读会', 180], [-190, '五五购物节启动仪式', 520], [-120, '国货美妆直播大赛', 340], [-75, '助农直播公益专场', 210], [-40, '主播技能培训周', 150], [-12, '双十二品牌招商会', 300], [-2, '冬季家居选品会', 120]];
  const yearStart = Date.UTC(year, 0, 1) - 8 * HOUR;
  await db.insertInto('base_events').values(events.filter(([d]) => local(d, 14) >= yearStart).map(([d, title, attendees]) => ({ id: newId(), base_org_id: input.baseOrgId, title, held_at: new Date(local(d, 14)).toISOString(), attendees, created_at: iso }))).execute();
  // Two events ahead, listed on the base's public page (docs/BASES.md, "The public page"). Both fall after the
  // current month, so this month's report and programme check count only the events held.
  const eventsAhead: [number, string][] = [[33, '品牌直播招商对接会'], [61, '直播基地开放日']];
  await db.insertInto('base_events').values(eventsAhead.map(([d, title]) => ({ id: newId(), base_org_id: input.baseOrgId, title, held_at: new Date(local(d, 14)).toISOString(), attendees: 0, created_at: iso }))).execute();

  // City programmes (examples): the thresholds are these rows, this year's; last year's city programme is
  // retired (the operators' 城市政策 page lists it with 已停用; a base no longer checks it nor applies for it).
  await db
    .insertInto('base_programmes')
    .values([
      { id: newId(), name: '上海市直播电商示范基地（示例）', region: '上海市', year, criteria: JSON.stringify([{ metric: 'public_studios', min: 10 }, { metric: 'resident_firms', min: 10 }, { metric: 'events_year', min: 6 }, { metric: 'monthly_gmv_fen', min: 100_000 }]), created_at: iso },
      { id: newId(), name: '闵行区直播电商基地扶持（示例）', region: '闵行区', year, criteria: JSON.stringify([{ metric: 'public_studios', min: 5 }, { metric: 'resident_firms', min: 8 }, { metric: 'events_year', min: 4 }, { metric: 'monthly_lives', min: 1 }]), created_at: iso },
      { id: newId(), name: '上海市直播电商示范基地（示例）', region: '上海市', year: year - 1, criteria: JSON.stringify([{ metric: 'public_studios', min: 8 }, { metric: 'resident_firms', min: 8 }, { metric: 'events_year', min: 4 }]), created_at: iso, retired_at: iso },
    ])
    .execute();
}

/**
 * The base's money in the demo (docs/BASES.md, "Refunds" and "Withdrawals"): 玉兰凝肌's latest ended
 * booking (one without a demo live) is charged now, as the sweep would, and the base refunds one hour of
 * it (the lights failed); then the base withdraws half of what is left and the operator pays it out
 * through the sandbox provider. Every other ended booking is charged by the sweep when the app starts.
 * The charge is claimed like the sweep's (charged_at still null) and the refund carries a fixed
 * Idempotency-Key, so running this twice changes nothing more.
 */
export async function seedBasesMoneyDemo(
  services: { bases: Pick<Bases, 'fees' | 'refunds' | 'prices'>; ledger: { withdrawals: Pick<Withdrawals, 'request' | 'approve' | 'list'> } },
  db: Db,
  clock: Clock,
  input: { baseOrgId: string; baseUserId: string; brandOrgId: string; operatorId: string },
) {
  await seedBasesPriceDemo(services, db, clock, input);
  const at = clock.now().toISOString();
  const booking = await db
    .selectFrom('studio_bookings as b')
    .selectAll('b')
    .where('b.base_org_id', '=', input.baseOrgId)
    .where('b.booker_org_id', '=', input.brandOrgId)
    .where('b.status', '=', 'booked')
    .where('b.ends_at', '<=', at)
    .where('b.price_fen', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('studio_booking_lives as l').select('l.booking_id').whereRef('l.booking_id', '=', 'b.id'))))
    .orderBy('b.ends_at', 'desc')
    .executeTakeFirst();
  if (!booking) return;
  await db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('studio_bookings').set({ charged_at: at }).where('id', '=', booking.id).where('charged_at', 'is', null).returningAll().execute();
    await services.bases.fees.post(trx, claimed, at);
  });
  const hours = Math.max(1, Math.round((Date.parse(booking.ends_at) - Date.parse(booking.starts_at)) / HOUR));
  const oneHour = Math.round(Number(booking.price_fen) / hours);
  await services.bases.refunds.refund(input.baseOrgId, booking.id, input.baseUserId, { amountFen: oneHour, reason: '直播中灯光故障停播约 1 小时，退还 1 小时租用费' }, `demo-refund-${booking.id}`);

  const account = ACCOUNTS.base(input.baseOrgId);
  if ((await services.ledger.withdrawals.list({ accountId: account }, 1)).length) return;
  const amount = Math.floor((Number(booking.price_fen) - oneHour) / 2 / 100) * 100;
  if (amount <= 0) return;
  const withdrawal = await services.ledger.withdrawals.request(account, amount, input.baseUserId);
  await services.ledger.withdrawals.approve(withdrawal.id, input.operatorId);
}

/**
 * A price change in the demo (docs/BASES.md, "Price changes"): the base gives 玉兰凝肌 10 % off its next
 * booking more than a day ahead (one without a demo live), with the reason; the brand sees the new price and
 * the change in its 预订直播间 tab, the base in its 改价 panel. Done once: a base that has a price change
 * already gets none more.
 */
export async function seedBasesPriceDemo(services: { bases: Pick<Bases, 'prices'> }, db: Db, clock: Clock, input: { baseOrgId: string; baseUserId: string; brandOrgId: string }) {
  if (await db.selectFrom('studio_booking_price_changes').select('id').where('base_org_id', '=', input.baseOrgId).executeTakeFirst()) return;
  const booking = await db
    .selectFrom('studio_bookings as b')
    .select(['b.id', 'b.price_fen'])
    .where('b.base_org_id', '=', input.baseOrgId)
    .where('b.booker_org_id', '=', input.brandOrgId)
    .where('b.status', '=', 'booked')
    .where('b.charged_at', 'is', null)
    .where('b.starts_at', '>', new Date(clock.now().getTime() + DAY).toISOString())
    .where('b.price_fen', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('studio_booking_lives as l').select('l.booking_id').whereRef('l.booking_id', '=', 'b.id'))))
    .orderBy('b.starts_at')
    .executeTakeFirst();
  if (!booking) return;
  await services.bases.prices.change(input.baseOrgId, booking.id, input.baseUserId, { priceFen: Math.round(Number(booking.price_fen) * 0.9), reason: '长期合作品牌，本场租用费九折' });
}

/**
 * A live a brand scheduled from its booking in the demo (docs/BASES.md, "Lives from a booking"): the studio booking of
 * the streamer's next live naming the brand (booked by the MCN in seedBasesDemo) becomes the brand's own booking, as if
 * the brand had booked the studio and scheduled that live in it for her. The audit log has the brand's row, her
 * notification centre the notice (written as server/bases/booking-live-notice.ts does), and her 我的直播间预约 the
 * booking marked 品牌安排. No live is added, so the demo's lists and counts of lives stay as they were. Done once.
 */
export async function seedBrandLiveDemo(services: Omit<BookingLiveNoticeDeps, 'db'>, db: Db, input: { baseOrgId: string; brandOrgId: string; brandUserId: string; streamerId: string }) {
  const found = await db
    .selectFrom('live_sessions as s')
    .innerJoin('studio_booking_lives as l', 'l.session_id', 's.id')
    .innerJoin('studio_bookings as b', 'b.id', 'l.booking_id')
    .select(['s.id', 's.title', 's.scheduled_at', 'b.id as booking_id', 'b.booker_org_id'])
    .where('s.streamer_id', '=', input.streamerId)
    .where('s.brand_org_id', '=', input.brandOrgId)
    .where('s.status', '=', 'scheduled')
    .where('b.base_org_id', '=', input.baseOrgId)
    .where('b.status', '=', 'booked')
    .orderBy('s.scheduled_at')
    .executeTakeFirst();
  if (!found || found.booker_org_id === input.brandOrgId) return;
  const row = await db
    .updateTable('studio_bookings')
    .set({ booked_by: input.brandUserId, booker_org_id: input.brandOrgId, streamer_id: null })
    .where('id', '=', found.booking_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await announceBrandLive({ db, audit: services.audit, notifications: services.notifications }, { booking: bookingOut(row), actorId: input.brandUserId, streamerId: input.streamerId, session: { id: found.id, title: found.title, scheduledAt: found.scheduled_at } });
}
