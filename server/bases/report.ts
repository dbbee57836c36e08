import { sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError, type Locale } from '../platform/errors.ts';
import { cell } from '../analytics/csv.ts';
import type { ProgrammeMetric } from './schema.ts';
import type { BasesStore } from './store.ts';
import { localMonth, minutesOf, monthRange } from './time.ts';

const HOUR = 3_600_000;
const n = (v: unknown) => Number(v ?? 0);

/**
 * A base's monthly output (docs/BASES.md), for one calendar month of Asia/Shanghai: the lives held in
 * its studios (the lives linked to its bookings that started in the month), their hours, GMV (paid
 * orders of those lives, less refunds), viewers, each studio's occupancy (booked hours within opening
 * hours over the month's opening hours), the tenants whose lease covers part of the month (counted when confirmed
 * by their organisation or self-declared), and the
 * events it held. Checked against the city programmes' criteria, which are rows of base_programmes.
 */
type ReportDeps = { db: Db; clock: Clock; store: BasesStore };

async function buildReport(deps: ReportDeps, baseId: string, monthInput?: string) {
  const { db, store } = deps;
  {
    const month = monthInput ?? localMonth(deps.clock.now().getTime());
    const range = monthRange(month);
    if (!range) throw new AppError('BASE_MONTH_INVALID');
    const base = await store.base(baseId);
    if (!base) throw new AppError('BASE_NOT_FOUND');
    const profile = await store.profile(baseId);
    const studios = await store.listStudios(baseId);
    const nowMs = deps.clock.now().getTime();

    const lives = await db
      .selectFrom('studio_booking_lives as l')
      .innerJoin('studio_bookings as b', 'b.id', 'l.booking_id')
      .innerJoin('live_sessions as s', 's.id', 'l.session_id')
      .innerJoin('users as u', 'u.id', 's.streamer_id')
    .select(['s.id', 's.title', 's.started_at', 's.ended_at', 's.peak_viewers', 'b.studio_id', 'b.id as booking_id', 'u.display_name as streamer_name'])
      .where('b.base_org_id', '=', baseId)
      // A practice live (实训) is no output of the base.
      .where('s.mode', '=', 'public')
      .where('s.started_at', 'is not', null)
      .where('s.started_at', '>=', range.from)
      .where('s.started_at', '<', range.to)
      .execute();
    const ids = lives.map((l) => l.id);
    const gmv = ids.length
      ? await db.selectFrom('orders').select(['session_id', sql<number>`coalesce(sum(total_fen - refunded_fen), 0)`.as('net_fen'), sql<number>`count(*)`.as('orders')]).where('session_id', 'in', ids).where('paid_at', 'is not', null).groupBy('session_id').execute()
      : [];
    const uv = ids.length ? await db.selectFrom('live_minutes').select(['session_id', sql<number>`max(uv)`.as('uv')]).where('session_id', 'in', ids).groupBy('session_id').execute() : [];
    const gmvOf = new Map(gmv.map((g) => [g.session_id!, n(g.net_fen)]));
    const ordersOf = new Map(gmv.map((g) => [g.session_id!, n(g.orders)]));
    const uvOf = new Map(uv.map((u) => [u.session_id, n(u.uv)]));
    const hoursOf = (l: (typeof lives)[number]) => Math.max(0, (l.ended_at ? Date.parse(l.ended_at) : nowMs) - Date.parse(l.started_at!)) / HOUR;
    const viewersOf = (l: (typeof lives)[number]) => uvOf.get(l.id) || n(l.peak_viewers);

    const bookings = await store.bookingsOfBase(baseId, range.from, range.to);
    // Late-cancellation fees of the month's cancelled bookings (charged when cancelled, docs/BASES.md "Charging").
    const cancelFees = await db
      .selectFrom('studio_bookings')
      .select([sql<number>`coalesce(sum(cancel_fee_fen), 0)`.as('fee'), sql<number>`coalesce(sum(refunded_fen), 0)`.as('refunded'), sql<number>`coalesce(sum(case when refunded_fen > 0 then 1 else 0 end), 0)`.as('refunded_n'), sql<number>`count(*)`.as('n')])
      .where('base_org_id', '=', baseId)
      .where('status', '=', 'cancelled')
      .where('cancel_fee_fen', '>', 0)
      .where('starts_at', '<', range.to)
      .where('ends_at', '>', range.from)
      .executeTakeFirst();
    const openHoursPerDay = Math.max(0, (minutesOf(profile.closesAt) ?? 0) - (minutesOf(profile.opensAt) ?? 0)) / 60;
    const openHours = openHoursPerDay * range.days;
    const studioRows = studios.map((s) => {
      const mine = bookings.filter((b) => b.studioId === s.id);
      const booked = mine.reduce((sum, b) => sum + (Math.min(Date.parse(b.endsAt), Date.parse(range.to)) - Math.max(Date.parse(b.startsAt), Date.parse(range.from))) / HOUR, 0);
      const held = lives.filter((l) => l.studio_id === s.id);
      return {
        studioId: s.id,
        name: s.name,
        isPublic: s.isPublic,
        bookings: mine.length,
        bookedHours: round2(booked),
        openHours: round2(openHours),
        /** Booked hours over opening hours, in basis points (10000 = full). */
        occupancyBps: openHours > 0 ? Math.round((booked / openHours) * 10_000) : 0,
        lives: held.length,
        gmvFen: held.reduce((sum, l) => sum + (gmvOf.get(l.id) ?? 0), 0),
      };
    });

    // Every tenant whose lease covers part of the month is listed with its confirmation; the figures count only those
    // its organisation confirmed and those without an organisation (self-declared), never a pending or declined link.
    const tenants = (await store.tenants(baseId)).filter((t) => t.leaseStart <= range.lastDate && t.leaseEnd >= range.firstDate);
    const counted = tenants.filter((t) => t.counted);
    const events = await store.events(baseId, range.from, range.to);
    const eventsYear = (await store.events(baseId, range.yearFrom, range.to)).length;
    const totalBooked = studioRows.reduce((s, r) => s + r.bookedHours, 0);
    // Refunds of the month's bookings (docs/BASES.md, "Refunds"): of studio time (live bookings) and of late-cancellation fees.
    const bookingRevenueFen = bookings.reduce((s, b) => s + b.priceFen, 0);
    const refundedFen = bookings.reduce((s, b) => s + b.refundedFen, 0) + n(cancelFees?.refunded);
    const refundedBookings = bookings.filter((b) => b.refundedFen > 0).length + n(cancelFees?.refunded_n);
    return {
      base: { id: base.id, name: base.name },
      month,
      timeZone: 'Asia/Shanghai',
      from: range.from,
      to: range.to,
      summary: {
        lives: lives.length,
        liveHours: round2(lives.reduce((s, l) => s + hoursOf(l), 0)),
        gmvFen: lives.reduce((s, l) => s + (gmvOf.get(l.id) ?? 0), 0),
        paidOrders: lives.reduce((s, l) => s + (ordersOf.get(l.id) ?? 0), 0),
        viewers: lives.reduce((s, l) => s + viewersOf(l), 0),
        bookings: bookings.length,
        bookingRevenueFen,
        /** Of bookingRevenueFen: charged through the ledger already, and still to charge (revenue = charged + to charge). */
        bookingChargedFen: bookings.reduce((s, b) => s + (b.chargedAt ? b.priceFen : 0), 0),
        bookingToChargeFen: bookings.reduce((s, b) => s + (b.chargedAt ? 0 : b.priceFen), 0),
        lateCancellations: n(cancelFees?.n),
        cancelFeesFen: n(cancelFees?.fee),
        /** Refunded of the month's bookings' charges (studio time and late-cancellation fees, whenever refunded), and how many bookings. */
        refundedFen,
        refundedBookings,
        /** What the month's bookings bring the base: bookingRevenueFen + cancelFeesFen − refundedFen (bookingToChargeFen of it still to charge). */
        netBookingRevenueFen: bookingRevenueFen + n(cancelFees?.fee) - refundedFen,
        studios: studios.length,
        publicStudios: studios.filter((s) => s.isPublic).length,
        occupancyBps: openHours > 0 && studios.length ? Math.round((totalBooked / (openHours * studios.length)) * 10_000) : 0,
        /** Resident firms: tenants confirmed by their organisation plus self-declared ones (no organisation linked). */
        tenants: counted.length,
        tenantsByKind: { platform: counted.filter((t) => t.kind === 'platform').length, mcn: counted.filter((t) => t.kind === 'mcn').length, service: counted.filter((t) => t.kind === 'service').length },
        /** Of `tenants`: confirmed by the linked organisation, and self-declared (free text, unconfirmed). */
        tenantsConfirmed: counted.filter((t) => t.confirmation === 'confirmed').length,
        tenantsSelfDeclared: counted.filter((t) => t.confirmation === 'self_declared').length,
        /** Listed but not counted: links still waiting for the organisation's confirmation, or declined by it. */
        tenantsNotCounted: tenants.length - counted.length,
        events: events.length,
        eventsYear,
      },
      studios: studioRows,
      /** The lives held, latest first. */
      lives: lives
        .map((l) => ({ id: l.id, title: l.title, streamerName: l.streamer_name, bookingId: l.booking_id, studioId: l.studio_id, studioName: studios.find((x) => x.id === l.studio_id)?.name ?? null, startedAt: l.started_at!, endedAt: l.ended_at, hours: round2(hoursOf(l)), viewers: viewersOf(l), gmvFen: gmvOf.get(l.id) ?? 0 }))
        .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)),
      tenants,
      events,
    };
  }
}

export type Report = Awaited<ReturnType<typeof buildReport>>;

/** A programme metric's value in a monthly report (docs/BASES.md, "City programmes"). */
export const programmeMetricOf = (r: Report, metric: ProgrammeMetric): number =>
  ({
    public_studios: r.summary.publicStudios,
    // Confirmed and self-declared tenants; the check's summary says how many of each (tenantsConfirmed, tenantsSelfDeclared).
    resident_firms: r.summary.tenants,
    events_year: r.summary.eventsYear,
    monthly_gmv_fen: r.summary.gmvFen,
    monthly_lives: r.summary.lives,
    monthly_live_hours: r.summary.liveHours,
  })[metric];

export function createBaseReports(deps: ReportDeps) {
  const report = (baseId: string, month?: string) => buildReport(deps, baseId, month);

  return {
    report,
    /** The report against each city programme's criteria (thresholds from base_programmes; retired ones left out). */
    async programmeCheck(baseId: string, month?: string) {
      const r = await report(baseId, month);
      const programmes = (await deps.store.programmes()).map((p) => {
        const criteria = p.criteria.map((c) => {
          const value = programmeMetricOf(r, c.metric as ProgrammeMetric) ?? 0;
          return { metric: c.metric, min: c.min, value, met: value >= c.min };
        });
        return { id: p.id, name: p.name, region: p.region, year: p.year, criteria, met: criteria.every((c) => c.met) };
      });
      return { base: r.base, month: r.month, summary: r.summary, programmes };
    },
    /** A retired programme is no longer checked, so it is not in programmeCheck: this tells it from one that never existed. */
    programmeRetired: (programmeId: string) => deps.store.programmeRetired(programmeId),
    csv: (r: Report, locale: Locale) => toCsv(r, locale),
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

const LABELS = {
  'zh-CN': {
    head: ['指标', '数值'], base: '基地', month: '月份（北京时间）', lives: '直播场次', liveHours: '直播时长（小时）', gmv: '成交金额（元，扣除退款）', orders: '成交订单', viewers: '观看人数',
    bookings: '预订数', bookingRevenue: '预订金额（元）', bookingCharged: '其中已收取（元）', bookingToCharge: '其中待收取（元）', cancelFees: '逾时取消费（元）', refunded: '已退款（元）', netBookingRevenue: '预订净收入（元，含取消费、扣除退款）', studios: '直播间数', publicStudios: '公共直播间数', occupancy: '整体使用率', tenants: '入驻机构（计入：机构已确认与自报）', tenantsConfirmed: '其中机构已确认', tenantsSelfDeclared: '其中自报（未关联机构，未经确认）', tenantsNotCounted: '未计入（待机构确认、已拒绝或已撤回）', events: '本月活动', eventsYear: '本年活动',
    studioHead: ['直播间', '公共', '预订数', '预订时长（小时）', '营业时长（小时）', '使用率', '直播场次', '成交金额（元）'], yes: '是', no: '否',
    tenantHead: ['入驻机构', '类型', '租期开始', '租期结束', '面积（㎡）', '确认状态'], kinds: { platform: '平台', mcn: 'MCN', service: '服务机构' } as Record<string, string>,
    confirmations: { self_declared: '自报（未确认）', pending: '待机构确认（未计入）', confirmed: '机构已确认', declined: '机构已拒绝（未计入）', withdrawn: '机构已撤回确认（未计入）' } as Record<string, string>,
  },
  en: {
    head: ['Metric', 'Value'], base: 'Base', month: 'Month (Beijing time)', lives: 'Lives', liveHours: 'Hours live', gmv: 'GMV (yuan, net of refunds)', orders: 'Paid orders', viewers: 'Viewers',
    bookings: 'Bookings', bookingRevenue: 'Booking revenue (yuan)', bookingCharged: 'of which charged (yuan)', bookingToCharge: 'of which to be charged (yuan)', cancelFees: 'Late-cancellation fees (yuan)', refunded: 'Refunded (yuan)', netBookingRevenue: 'Net booking revenue (yuan, with cancellation fees, less refunds)', studios: 'Studios', publicStudios: 'Public studios', occupancy: 'Occupancy', tenants: 'Tenants (counted: confirmed and self-declared)', tenantsConfirmed: 'of which confirmed by the organisation', tenantsSelfDeclared: 'of which self-declared (no organisation linked, unconfirmed)', tenantsNotCounted: 'Not counted (awaiting the organisation, declined or withdrawn)', events: 'Events this month', eventsYear: 'Events this year',
    studioHead: ['Studio', 'Public', 'Bookings', 'Booked hours', 'Open hours', 'Occupancy', 'Lives', 'GMV (yuan)'], yes: 'yes', no: 'no',
    tenantHead: ['Tenant', 'Kind', 'Lease start', 'Lease end', 'Area (m²)', 'Confirmation'], kinds: { platform: 'Platform', mcn: 'MCN', service: 'Service firm' } as Record<string, string>,
    confirmations: { self_declared: 'self-declared (unconfirmed)', pending: 'awaiting the organisation (not counted)', confirmed: 'confirmed by the organisation', declined: 'declined by the organisation (not counted)', withdrawn: 'withdrawn by the organisation (not counted)' } as Record<string, string>,
  },
};

/** CSV, UTF-8 with a BOM (spreadsheets read the Chinese); yuan with two decimals; sections split by a blank line. */
function toCsv(r: Report, locale: Locale): string {
  const L = LABELS[locale];
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  const pct = (bps: number) => `${(bps / 100).toFixed(2)}%`;
  const s = r.summary;
  const rows: (string | number)[][] = [
    L.head,
    [L.base, r.base.name], [L.month, r.month], [L.lives, s.lives], [L.liveHours, s.liveHours], [L.gmv, yuan(s.gmvFen)], [L.orders, s.paidOrders], [L.viewers, s.viewers],
    [L.bookings, s.bookings], [L.bookingRevenue, yuan(s.bookingRevenueFen)], [L.bookingCharged, yuan(s.bookingChargedFen)], [L.bookingToCharge, yuan(s.bookingToChargeFen)], [L.cancelFees, yuan(s.cancelFeesFen)], [L.refunded, yuan(s.refundedFen)], [L.netBookingRevenue, yuan(s.netBookingRevenueFen)], [L.studios, s.studios], [L.publicStudios, s.publicStudios], [L.occupancy, pct(s.occupancyBps)],
    [L.tenants, s.tenants], [L.tenantsConfirmed, s.tenantsConfirmed], [L.tenantsSelfDeclared, s.tenantsSelfDeclared], [L.tenantsNotCounted, s.tenantsNotCounted], [L.events, s.events], [L.eventsYear, s.eventsYear],
    [],
    L.studioHead,
    ...r.studios.map((x) => [x.name, x.isPublic ? L.yes : L.no, x.bookings, x.bookedHours, x.openHours, pct(x.occupancyBps), x.lives, yuan(x.gmvFen)]),
    [],
    L.tenantHead,
    ...r.tenants.map((t) => [t.name, L.kinds[t.kind] ?? t.kind, t.leaseStart, t.leaseEnd, t.areaSqm, L.confirmations[t.confirmation] ?? t.confirmation]),
  ];
  return '\uFEFF' + rows.map((row) => row.map((v) => cell(v)).join(',')).join('\r\n') + '\r\n';
}
