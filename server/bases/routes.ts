import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { Bases } from './service.ts';
import type { createBaseReports } from './report.ts';
import { basesEditRoutes } from './edit-routes.ts';
import { basesPublicRoutes } from './public-routes.ts';
import { baseProgrammeRoutes } from './programme-routes.ts';
import { baseTenancyRoutes } from './tenancy-routes.ts';
import { BaseParams, BookingBody, BookingLiveBody, BookingParams, CalendarQuery, EventBody, MaintenanceBody, OrgBookingParams, OrgStudioParams, ProfileBody, RefundBody, RefundHeaders, ReportQuery, StudioBody, StudioParams, TenantBody, TenantParams } from './schema.ts';

/**
 * Live-streaming bases (docs/BASES.md). Any logged-in user browses bases and their calendars; brands,
 * MCNs (their owners, admins and staff) and verified streamers book; the base's members run its console
 * (owners and admins write; operators read).
 */
export function basesRoutes(app: FastifyInstance, deps: { bases: Bases; reports: ReturnType<typeof createBaseReports> }) {
  const { bases, reports } = deps;
  const user = { kind: 'user' } as const;
  const baseRead = { kind: 'org', roles: 'any', orgKinds: ['base'] } as const;
  const baseWrite = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'], operators: false } as const;
  const baseFinance = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'] } as const;

  // Studio time is charged once a booking has ended: a sweep at start and every five minutes (server/bases/fees.ts).
  app.addHook('onReady', async () => bases.fees.start());
  app.addHook('onClose', async () => bases.fees.stop());
  // Price changes, and editing or deleting maintenance periods and events (server/bases/edit-routes.ts).
  basesEditRoutes(app, { bases });
  // Public pages of approved bases, for anyone, logged in or not (server/bases/public-routes.ts).
  basesPublicRoutes(app, { bases });

  // --- bookers: brands, MCNs and streamers ---
  app.get('/api/bases', { schema: { tags: ['bases'], summary: 'List live-streaming bases' }, config: { access: user } }, async () => ({ bases: await bases.listBases() }));
  app.get('/api/bases/:baseId/calendar', { schema: { tags: ['bases'], summary: "A base's booking calendar (a day or a week)", params: BaseParams, querystring: CalendarQuery }, config: { access: user } }, async (request) => {
    const { baseId } = parseInput(BaseParams, request.params, request.locale);
    const query = parseInput(CalendarQuery, request.query, request.locale);
    return bases.calendar(baseId, request.user!.id, query);
  });
  app.post('/api/bases/:baseId/studios/:studioId/bookings', { schema: { tags: ['bases'], summary: 'Book a studio', params: StudioParams, body: BookingBody }, config: { access: user } }, async (request, reply) => {
    const { baseId, studioId } = parseInput(StudioParams, request.params, request.locale);
    const body = parseInput(BookingBody, request.body, request.locale);
    const booking = await bases.book(baseId, studioId, request.user!.id, body);
    reply.code(201);
    return { booking };
  });
  app.get('/api/me/studio-bookings', { schema: { tags: ['bases'], summary: 'My studio bookings (mine, my organisations’, or where I stream)' }, config: { access: user } }, async (request) => ({
    bookings: await bases.myBookings(request.user!.id),
  }));
  app.post('/api/studio-bookings/:bookingId/cancel', { schema: { tags: ['bases'], summary: 'Cancel a studio booking', params: BookingParams }, config: { access: user } }, async (request) => {
    const { bookingId } = parseInput(BookingParams, request.params, request.locale);
    return { booking: await bases.cancel(bookingId, request.user!.id) };
  });
  app.post('/api/studio-bookings/:bookingId/live-sessions', { schema: { tags: ['bases'], summary: 'Schedule a live from a booking', params: BookingParams, body: BookingLiveBody }, config: { access: user } }, async (request, reply) => {
    const { bookingId } = parseInput(BookingParams, request.params, request.locale);
    const body = parseInput(BookingLiveBody, request.body, request.locale);
    const created = await bases.scheduleLive(bookingId, request.user!.id, body);
    reply.code(201);
    return created;
  });
  app.get('/api/studio-bookings/:bookingId/live-streamers', { schema: { tags: ['bases'], summary: 'The streamers the brand that booked may pick for a live from the booking', params: BookingParams }, config: { access: user } }, async (request) => {
    const { bookingId } = parseInput(BookingParams, request.params, request.locale);
    return bases.liveStreamers(bookingId, request.user!.id);
  });
  // City programmes: listed to everyone logged in, managed by operators (server/bases/programme-routes.ts).
  baseProgrammeRoutes(app, { bases });
  // Organisations confirm or decline the bases that list them as tenants (server/bases/tenancy-routes.ts).
  baseTenancyRoutes(app, { bases });

  // --- the base's console ---
  app.get('/api/orgs/:orgId/base/profile', { schema: { tags: ['bases'], summary: "The base's profile", params: OrgIdParams }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { profile: await bases.store.profile(orgId) };
  });
  app.put('/api/orgs/:orgId/base/profile', { schema: { tags: ['bases'], summary: "Save the base's profile and cancellation rule", params: OrgIdParams, body: ProfileBody }, config: { access: baseWrite } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(ProfileBody, request.body, request.locale);
    return { profile: await bases.saveProfile(orgId, body) };
  });
  app.get('/api/orgs/:orgId/studios', { schema: { tags: ['bases'], summary: 'List studios', params: OrgIdParams }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { studios: await bases.store.listStudios(orgId) };
  });
  app.post('/api/orgs/:orgId/studios', { schema: { tags: ['bases'], summary: 'Add a studio', params: OrgIdParams, body: StudioBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(StudioBody, request.body, request.locale);
    reply.code(201);
    return { studio: await bases.addStudio(orgId, body) };
  });
  app.put('/api/orgs/:orgId/studios/:studioId', { schema: { tags: ['bases'], summary: 'Edit a studio', params: OrgStudioParams, body: StudioBody }, config: { access: baseWrite } }, async (request) => {
    const { orgId, studioId } = parseInput(OrgStudioParams, request.params, request.locale);
    const body = parseInput(StudioBody, request.body, request.locale);
    return { studio: await bases.updateStudio(orgId, studioId, body) };
  });
  app.post('/api/orgs/:orgId/studios/:studioId/maintenance', { schema: { tags: ['bases'], summary: "Add a studio's maintenance period", params: OrgStudioParams, body: MaintenanceBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, studioId } = parseInput(OrgStudioParams, request.params, request.locale);
    const body = parseInput(MaintenanceBody, request.body, request.locale);
    reply.code(201);
    return { maintenance: await bases.addMaintenance(orgId, studioId, body) };
  });
  app.get('/api/orgs/:orgId/base/calendar', { schema: { tags: ['bases'], summary: "The base's booking calendar, with bookers", params: OrgIdParams, querystring: CalendarQuery }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(CalendarQuery, request.query, request.locale);
    return bases.calendar(orgId, request.user!.id, query, true);
  });
  app.get('/api/orgs/:orgId/base/income', { schema: { tags: ['bases'], summary: "The base's studio income: its ledger account, what is still to charge, the latest entries", params: OrgIdParams }, config: { access: baseFinance } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const [income, refunds, charged] = await Promise.all([bases.fees.income(orgId), bases.refunds.list(orgId), bases.refunds.charged(orgId)]);
    return { income: { ...income, refunds, charged } };
  });
  // A refund of a charged booking, base → the account that paid (server/bases/refunds.ts). The base's money:
  // its own owners and admins only (not an operator). Withdrawals of the base's account go through the
  // ledger's route, POST /api/orgs/:orgId/ledger/withdrawals.
  app.post('/api/orgs/:orgId/base/bookings/:bookingId/refunds', { schema: { tags: ['bases'], summary: 'Refund part or all of what a booking was charged', params: OrgBookingParams, body: RefundBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, bookingId } = parseInput(OrgBookingParams, request.params, request.locale);
    const key = parseInput(RefundHeaders, { 'idempotency-key': request.headers['idempotency-key'] }, request.locale)['idempotency-key'];
    const body = parseInput(RefundBody, request.body, request.locale);
    const { refund, booking, created } = await bases.refunds.refund(orgId, bookingId, request.user!.id, body, key);
    reply.code(created ? 201 : 200);
    return { refund, booking };
  });
  app.get('/api/orgs/:orgId/base/tenants', { schema: { tags: ['bases'], summary: 'Tenants settled in the base', params: OrgIdParams }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { tenants: await bases.store.tenants(orgId) };
  });
  app.post('/api/orgs/:orgId/base/tenants', { schema: { tags: ['bases'], summary: 'Add a tenant and its lease', params: OrgIdParams, body: TenantBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(TenantBody, request.body, request.locale);
    reply.code(201);
    return { tenant: await bases.addTenant(orgId, body) };
  });
  app.delete('/api/orgs/:orgId/base/tenants/:tenantId', { schema: { tags: ['bases'], summary: 'Remove a tenant', params: TenantParams }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, tenantId } = parseInput(TenantParams, request.params, request.locale);
    await bases.removeTenant(orgId, tenantId);
    reply.code(204);
  });
  app.post('/api/orgs/:orgId/base/events', { schema: { tags: ['bases'], summary: 'Record an event held at the base', params: OrgIdParams, body: EventBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(EventBody, request.body, request.locale);
    reply.code(201);
    return { event: await bases.addEvent(orgId, body) };
  });
  app.get('/api/orgs/:orgId/base/report', { schema: { tags: ['bases'], summary: "The base's monthly output report (JSON or CSV)", params: OrgIdParams, querystring: ReportQuery }, config: { access: baseRead } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(ReportQuery, request.query, request.locale);
    const report = await reports.report(orgId, query.month);
    if (query.format === 'json') return { report };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="zhibo-base-report-${report.month}.csv"`);
    return reports.csv(report, request.locale);
  });
  app.get('/api/orgs/:orgId/base/programme-check', { schema: { tags: ['bases'], summary: "The month's report checked against each city programme's criteria", params: OrgIdParams, querystring: ReportQuery }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(ReportQuery, request.query, request.locale);
    return reports.programmeCheck(orgId, query.month);
  });
}
