import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { LaunchesService } from './service.ts';
import { CreateLaunchBody, EmptyBody, LaunchParams, OrgParams, SessionParams } from './schema.ts';

const tags = ['launches'];
const pub = { access: { kind: 'public' } } as const;
const user = { access: { kind: 'user' } } as const;
const brandStaff = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
const brandWriter = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } } as const;
/** Reserving is cheap to ask for again and again: limited per client. */
const reserveLimit = { rateLimit: { max: 60, timeWindow: '1 minute' } };

export function launchesRoutes(app: FastifyInstance, launches: LaunchesService) {
  app.get('/api/launches', { schema: { tags, summary: 'Upcoming launches (首发), and those of the last day' }, config: pub }, async (request) => ({ launches: await launches.upcoming(request.user?.id ?? null) }));
  app.get('/api/launches/:launchId', { schema: { tags, summary: 'A launch: product, level, countdown target, live, first-release stock, reservations', params: LaunchParams }, config: pub }, async (request) => {
    const { launchId } = parseInput(LaunchParams, request.params, request.locale);
    return { launch: await launches.get(launchId, request.user?.id ?? null) };
  });

  app.get('/api/orgs/:orgId/launches', { schema: { tags, summary: 'A brand’s launches', params: OrgParams }, config: brandStaff }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { launches: await launches.forBrand(orgId) };
  });
  app.get('/api/orgs/:orgId/lives', { schema: { tags, summary: 'The brand’s own lives on air or scheduled (to hold a launch or an auction in)', params: OrgParams }, config: brandStaff }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { lives: await launches.brandLives(orgId) };
  });
  app.post('/api/orgs/:orgId/launches', { schema: { tags, summary: 'Announce a launch with its first-release stock (a flash sale from the launch time)', params: OrgParams, body: CreateLaunchBody }, config: brandWriter }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(CreateLaunchBody, request.body, request.locale);
    reply.code(201);
    return { launch: await launches.create(orgId, request.user!, body) };
  });

  app.get('/api/reservations', { schema: { tags, summary: 'My reservations (launches and lives)' }, config: user }, async (request) => launches.mine(request.user!.id));
  app.post('/api/launches/:launchId/reservation', { schema: { tags, summary: 'Reserve a launch (预约): reminders before it starts', params: LaunchParams, body: EmptyBody }, config: { ...user, ...reserveLimit } }, async (request, reply) => {
    const { launchId } = parseInput(LaunchParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    reply.code(201);
    return { reservation: await launches.reserveLaunch(request.user!.id, launchId) };
  });
  app.delete('/api/launches/:launchId/reservation', { schema: { tags, summary: 'Cancel my reservation of a launch', params: LaunchParams }, config: user }, async (request) => {
    const { launchId } = parseInput(LaunchParams, request.params, request.locale);
    await launches.cancel(request.user!.id, 'launch', launchId);
    return { cancelled: true };
  });
  app.get('/api/lives/:sessionId/reservation', { schema: { tags, summary: 'How many reserved a scheduled live, and whether I did', params: SessionParams }, config: pub }, async (request) => {
    const { sessionId } = parseInput(SessionParams, request.params, request.locale);
    return launches.liveReservation(request.user?.id ?? null, sessionId);
  });
  app.post('/api/lives/:sessionId/reservation', { schema: { tags, summary: 'Reserve a scheduled live (预约直播): reminders before it starts', params: SessionParams, body: EmptyBody }, config: { ...user, ...reserveLimit } }, async (request, reply) => {
    const { sessionId } = parseInput(SessionParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    reply.code(201);
    return { reservation: await launches.reserveLive(request.user!.id, sessionId) };
  });
  app.delete('/api/lives/:sessionId/reservation', { schema: { tags, summary: 'Cancel my reservation of a live', params: SessionParams }, config: user }, async (request) => {
    const { sessionId } = parseInput(SessionParams, request.params, request.locale);
    await launches.cancel(request.user!.id, 'live', sessionId);
    return { cancelled: true };
  });
}
