import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { Bases } from './service.ts';
import { EventBody, MaintenanceBody, OrgBookingParams, OrgEventParams, OrgMaintenanceParams, PriceChangeBody } from './schema.ts';

/**
 * The base's corrections (docs/BASES.md, "Price changes", "Maintenance", "Tenants and events"): a booking's
 * price before it is charged, and editing or deleting maintenance periods and events. Owners and admins
 * write (not operators); every member, and operators, read.
 */
export function basesEditRoutes(app: FastifyInstance, deps: { bases: Bases }) {
  const { bases } = deps;
  const baseRead = { kind: 'org', roles: 'any', orgKinds: ['base'] } as const;
  const baseWrite = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'], operators: false } as const;

  // --- a booking's price, before it is charged ---
  app.post('/api/orgs/:orgId/base/bookings/:bookingId/price', { schema: { tags: ['bases'], summary: "Change a booking's price before it is charged", params: OrgBookingParams, body: PriceChangeBody }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, bookingId } = parseInput(OrgBookingParams, request.params, request.locale);
    const body = parseInput(PriceChangeBody, request.body, request.locale);
    const { booking, change, created } = await bases.prices.change(orgId, bookingId, request.user!.id, body);
    reply.code(created ? 201 : 200);
    return { booking, change };
  });
  app.get('/api/orgs/:orgId/base/booking-prices', { schema: { tags: ['bases'], summary: "The base's bookings not charged yet (their price can change) and its latest price changes", params: OrgIdParams }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return bases.prices.overview(orgId);
  });

  // --- maintenance periods ---
  app.get('/api/orgs/:orgId/base/maintenance', { schema: { tags: ['bases'], summary: "The base's maintenance periods (from 30 days ago on)", params: OrgIdParams }, config: { access: baseRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { maintenance: await bases.edits.listMaintenance(orgId) };
  });
  app.put('/api/orgs/:orgId/studios/:studioId/maintenance/:maintenanceId', { schema: { tags: ['bases'], summary: 'Edit a maintenance period', params: OrgMaintenanceParams, body: MaintenanceBody }, config: { access: baseWrite } }, async (request) => {
    const { orgId, studioId, maintenanceId } = parseInput(OrgMaintenanceParams, request.params, request.locale);
    const body = parseInput(MaintenanceBody, request.body, request.locale);
    return { maintenance: await bases.edits.updateMaintenance(orgId, studioId, maintenanceId, body) };
  });
  app.delete('/api/orgs/:orgId/studios/:studioId/maintenance/:maintenanceId', { schema: { tags: ['bases'], summary: 'Delete a maintenance period', params: OrgMaintenanceParams }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, studioId, maintenanceId } = parseInput(OrgMaintenanceParams, request.params, request.locale);
    await bases.edits.removeMaintenance(orgId, studioId, maintenanceId);
    reply.code(204);
  });

  // --- events ---
  app.put('/api/orgs/:orgId/base/events/:eventId', { schema: { tags: ['bases'], summary: 'Edit an event held at the base', params: OrgEventParams, body: EventBody }, config: { access: baseWrite } }, async (request) => {
    const { orgId, eventId } = parseInput(OrgEventParams, request.params, request.locale);
    const body = parseInput(EventBody, request.body, request.locale);
    return { event: await bases.edits.updateEvent(orgId, eventId, body) };
  });
  app.delete('/api/orgs/:orgId/base/events/:eventId', { schema: { tags: ['bases'], summary: 'Delete an event held at the base', params: OrgEventParams }, config: { access: baseWrite } }, async (request, reply) => {
    const { orgId, eventId } = parseInput(OrgEventParams, request.params, request.locale);
    await bases.edits.removeEvent(orgId, eventId);
    reply.code(204);
  });
}
