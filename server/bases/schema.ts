import { z } from 'zod';
import { RequestKey, rule } from '../platform/validate.ts';

// Inputs of the bases routes (docs/BASES.md). Times are ISO-8601 (sent with an offset, stored in UTC);
// opening hours are 'HH:MM' local time of the base (Asia/Shanghai, UTC+8 all year).
const id = z.string().min(1).max(64);
const time = z.iso.datetime({ offset: true });
const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/);
const day = z.iso.date();
const fen = z.number().int().min(0).max(100_000_000_00);
const text = (max: number) => z.string().trim().max(max);

export const BaseParams = z.strictObject({ baseId: id });
/** A base's public page (docs/BASES.md, "The public page"): organisations' ids are UUIDs, anything else is VALIDATION_FAILED. */
export const PublicBaseParams = z.strictObject({ baseId: z.uuid() });
export const StudioParams = z.strictObject({ baseId: id, studioId: id });
export const BookingParams = z.strictObject({ bookingId: id });
export const OrgStudioParams = z.strictObject({ orgId: id, studioId: id });
export const TenantParams = z.strictObject({ orgId: id, tenantId: id });
export const OrgBookingParams = z.strictObject({ orgId: id, bookingId: id });
export const OrgMaintenanceParams = z.strictObject({ orgId: id, studioId: id, maintenanceId: id });
export const OrgEventParams = z.strictObject({ orgId: id, eventId: id });

/** A booking's new price, set by its base before it is charged (docs/BASES.md, "Price changes"): integer fen ≥ 0, and why. */
export const PriceChangeBody = z.strictObject({
  priceFen: fen,
  reason: z.string().trim().max(200).refine((v) => v.length > 0, rule('TEXT_BLANK')),
});

/** A refund of a charged booking (docs/BASES.md, "Refunds"): integer fen ≥ 1, and why. */
export const RefundBody = z.strictObject({
  amountFen: z.number().int().min(1).max(100_000_000_00),
  reason: z.string().trim().max(200).refine((v) => v.length > 0, rule('TEXT_BLANK')),
});
/** The refund request's Idempotency-Key header (required, 8–64 of [A-Za-z0-9_.:-]): the same key again answers the same refund. */
export const RefundHeaders = z.object({ 'idempotency-key': RequestKey });

export const ProfileBody = z.strictObject({
  areaSqm: z.number().int().min(0).max(10_000_000),
  theme: text(60),
  address: text(200),
  opensAt: hhmm,
  closesAt: hhmm,
  /** Photo URLs in order; omitted: the list stays as it is (uploaded photos: docs/BASES.md, "Photos"). */
  photos: z.array(z.string().trim().max(500)).max(20).optional(),
  freeCancelHours: z.number().int().min(0).max(720),
  cancelFeeBps: z.number().int().min(0).max(10_000),
});

export const StudioBody = z.strictObject({
  name: text(60).min(1),
  areaSqm: z.number().int().min(1).max(100_000),
  scenes: z.array(text(40).min(1)).max(20).default([]),
  equipment: z.array(text(60).min(1)).max(50).default([]),
  capacity: z.number().int().min(0).max(1000).default(0),
  hourlyRateFen: fen,
  isPublic: z.boolean().default(true),
});

export const MaintenanceBody = z.strictObject({ startsAt: time, endsAt: time, reason: text(200).default('') });

export const CalendarQuery = z.strictObject({
  /**
   * A day's or a week's calendar: from this instant (default now), or from a day's 00:00 Beijing time given as
   * 'YYYY-MM-DD' (a real date: 2026-02-30 is VALIDATION_FAILED); 1 to 31 days (default 7).
   */
  from: z.union([time, z.iso.date()]).optional(),
  days: z.coerce.number().int().min(1).max(31).default(7),
});

export const BookingBody = z.strictObject({
  startsAt: time,
  endsAt: time,
  title: text(60).default(''),
  /** Book for this brand or MCN (the user is its owner, admin or staff). Without it, the user books for themself. */
  orgId: id.optional(),
  /** Who goes live in it: an MCN's signed streamer, or the booking streamer themself (the default when no orgId). */
  streamerId: id.optional(),
});

export const MyBookingsQuery = z.strictObject({ orgId: id.optional() });

export const BookingLiveBody = z.strictObject({
  title: z.string().trim().min(2).max(60),
  description: z.string().trim().max(2000).default(''),
  /** Default: the booking's start. */
  scheduledAt: time.optional(),
  /** Left out, or the booker brand's own when the brand schedules (another is BOOKING_LIVE_BRAND_MISMATCH). */
  brandOrgId: id.optional(),
  /** Who goes live, picked by the brand that booked (default: the streamer it booked for); others may only name the booking's streamer. */
  streamerId: id.optional(),
});

/** A tenant; with `orgId` (an approved organisation) it is pending until that organisation confirms it. */
export const TenantBody = z.strictObject({
  name: text(80).min(1),
  kind: z.enum(['platform', 'mcn', 'service']),
  orgId: id.optional(),
  leaseStart: day,
  leaseEnd: day,
  areaSqm: z.number().int().min(0).max(1_000_000).default(0),
  monthlyRentFen: fen.default(0),
});

/** The console's organisation search for a tenant: `q`, 1–50 characters once trimmed (else SEARCH_QUERY_EMPTY or SEARCH_QUERY_TOO_LONG). */
export const TenantCandidatesQuery = z.strictObject({ q: z.string().optional() });

export const EventBody = z.strictObject({ title: text(80).min(1), heldAt: time, attendees: z.number().int().min(0).max(1_000_000).default(0) });

export const ReportQuery = z.strictObject({
  /** 'YYYY-MM', a calendar month in Asia/Shanghai; default the current one. */
  month: z.string().max(7).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const PROGRAMME_METRICS = ['public_studios', 'resident_firms', 'events_year', 'monthly_gmv_fen', 'monthly_lives', 'monthly_live_hours'] as const;
export type ProgrammeMetric = (typeof PROGRAMME_METRICS)[number];
/**
 * The highest threshold an operator may set per metric (docs/BASES.md, "City programmes"): far above what any
 * base reaches (10,000 public studios, ¥100亿 of GMV in a month …), so a typo of a few extra zeros is refused.
 */
export const PROGRAMME_METRIC_MAX: Record<ProgrammeMetric, number> = {
  public_studios: 10_000,
  resident_firms: 100_000,
  events_year: 10_000,
  monthly_gmv_fen: 1_000_000_000_000,
  monthly_lives: 1_000_000,
  monthly_live_hours: 1_000_000,
};
const criterion = z.strictObject({ metric: z.enum(PROGRAMME_METRICS), min: z.number().int().min(0) }).superRefine((c, ctx) => {
  const maximum = PROGRAMME_METRIC_MAX[c.metric];
  if (c.min > maximum) ctx.addIssue({ code: 'too_big', origin: 'number', maximum, inclusive: true, input: c.min, path: ['min'] });
});
/** A city programme, added or edited by an operator: identified by its name, region and year (unique together). */
export const ProgrammeBody = z.strictObject({
  name: text(80).min(1),
  region: text(40).default(''),
  /** The programme's year (2000–2100); when adding, the current Beijing year if left out. */
  year: z.number().int().min(2000).max(2100).optional(),
  criteria: z
    .array(criterion)
    .min(1)
    .max(PROGRAMME_METRICS.length)
    .superRefine((list, ctx) => {
      list.forEach((c, i) => {
        if (list.findIndex((x) => x.metric === c.metric) < i) ctx.addIssue({ code: 'custom', path: [i, 'metric'], params: rule('CRITERION_REPEATED').params, input: c.metric });
      });
    }),
});
export const ProgrammeParams = z.strictObject({ programmeId: id });
