import type { FastifyInstance } from 'fastify';
import { CreateSessionBody } from '../live/schema.ts';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { Mcn } from './index.ts';
import { CalendarQuery, ContractListQuery, ContractParams, DeclineBody, MyContractParams, OfferBody, RenewBody, StreamerParams, TerminateBody } from './schema.ts';

/**
 * MCN operations (docs/MCN.md). The MCN's owners and admins manage contracts and read the roster
 * (an operator may read); a streamer answers and ends their own contracts under /api/me. Another
 * MCN's contract is CONTRACT_NOT_FOUND, another MCN's routes FORBIDDEN.
 */
export function mcnRoutes(app: FastifyInstance, deps: { mcn: Mcn }) {
  const { mcn } = deps;
  const user = { kind: 'user' } as const;
  const mcnRead = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['mcn'] } as const;
  const mcnWrite = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['mcn'], operators: false } as const;

  // The MCN's own people only: a signed streamer does not read the real names of the others.
  app.get('/api/orgs/:orgId/streamers', { schema: { tags: ['mcn'], summary: 'List streamers', params: OrgIdParams }, config: { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['mcn'] } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { streamers: await mcn.listSignedStreamers(orgId) };
  });

  // --- the MCN's console ---
  app.get('/api/orgs/:orgId/contracts', { schema: { tags: ['mcn'], summary: 'List contracts', params: OrgIdParams, querystring: ContractListQuery }, config: { access: mcnRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(ContractListQuery, request.query, request.locale);
    return { contracts: await mcn.contracts.listForMcn(orgId, query) };
  });
  app.post('/api/orgs/:orgId/contracts', { schema: { tags: ['mcn'], summary: 'Create contract', params: OrgIdParams, body: OfferBody }, config: { access: mcnWrite } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(OfferBody, request.body, request.locale);
    const contract = await mcn.contracts.offer(orgId, request.user!.id, body);
    reply.code(201);
    return { contract };
  });
  app.get('/api/orgs/:orgId/contracts/:contractId', { schema: { tags: ['mcn'], summary: 'Get contract', params: ContractParams }, config: { access: mcnRead } }, async (request) => {
    const { orgId, contractId } = parseInput(ContractParams, request.params, request.locale);
    return { contract: await mcn.contracts.getForMcn(orgId, contractId) };
  });
  app.post('/api/orgs/:orgId/contracts/:contractId/cancel', { schema: { tags: ['mcn'], summary: 'Cancel contract', params: ContractParams }, config: { access: mcnWrite } }, async (request) => {
    const { orgId, contractId } = parseInput(ContractParams, request.params, request.locale);
    return { contract: await mcn.contracts.cancel(orgId, contractId) };
  });
  app.post('/api/orgs/:orgId/contracts/:contractId/renew', { schema: { tags: ['mcn'], summary: 'Renew contract', params: ContractParams, body: RenewBody }, config: { access: mcnWrite } }, async (request, reply) => {
    const { orgId, contractId } = parseInput(ContractParams, request.params, request.locale);
    const body = parseInput(RenewBody, request.body, request.locale);
    const contract = await mcn.contracts.renew(orgId, request.user!.id, contractId, body);
    reply.code(201);
    return { contract };
  });
  app.post('/api/orgs/:orgId/contracts/:contractId/terminate', { schema: { tags: ['mcn'], summary: 'Terminate contract', params: ContractParams, body: TerminateBody }, config: { access: mcnWrite } }, async (request) => {
    const { orgId, contractId } = parseInput(ContractParams, request.params, request.locale);
    const body = parseInput(TerminateBody, request.body, request.locale);
    return { contract: await mcn.contracts.terminateByMcn(orgId, contractId, body) };
  });
  app.get('/api/orgs/:orgId/roster', { schema: { tags: ['mcn'], summary: 'Roster of contracted streamers', params: OrgIdParams }, config: { access: mcnRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return mcn.roster.roster(orgId);
  });
  app.get('/api/orgs/:orgId/calendar', { schema: { tags: ['mcn'], summary: 'Calendar of upcoming lives', params: OrgIdParams, querystring: CalendarQuery }, config: { access: mcnRead } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(CalendarQuery, request.query, request.locale);
    return mcn.roster.calendar(orgId, query);
  });
  // Acting for a streamer: only under an accepted contract in force that grants 'manage_sessions'.
  // The brands the streamer may name on a live (their memberships and approved 带货申请, docs/API.md "Live video").
  app.get('/api/orgs/:orgId/streamers/:streamerId/live-brands', { schema: { tags: ['mcn'], summary: 'Brands a roster streamer may name on a live', params: StreamerParams }, config: { access: mcnWrite } }, async (request) => {
    const { orgId, streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return { brands: await mcn.sessionBrands(orgId, streamerId) };
  });
  app.post('/api/orgs/:orgId/streamers/:streamerId/live-sessions', { schema: { tags: ['mcn'], summary: 'Schedule a live for a roster streamer', params: StreamerParams, body: CreateSessionBody }, config: { access: mcnWrite } }, async (request, reply) => {
    const { orgId, streamerId } = parseInput(StreamerParams, request.params, request.locale);
    const body = parseInput(CreateSessionBody, request.body, request.locale);
    const created = await mcn.scheduleSession(orgId, streamerId, request.user!.id, body);
    reply.code(201);
    return created;
  });

  // --- the streamer's console: their own contracts ---
  app.get('/api/me/mcn-contracts', { schema: { tags: ['mcn'], summary: 'List my MCN contracts' }, config: { access: user } }, async (request) => ({
    contracts: await mcn.contracts.listForStreamer(request.user!.id),
  }));
  app.get('/api/me/mcn-contracts/:contractId', { schema: { tags: ['mcn'], summary: 'Get my MCN contract', params: MyContractParams }, config: { access: user } }, async (request) => {
    const { contractId } = parseInput(MyContractParams, request.params, request.locale);
    return { contract: await mcn.contracts.getForStreamer(request.user!.id, contractId) };
  });
  app.post('/api/me/mcn-contracts/:contractId/accept', { schema: { tags: ['mcn'], summary: 'Accept my MCN contract', params: MyContractParams }, config: { access: user } }, async (request) => {
    const { contractId } = parseInput(MyContractParams, request.params, request.locale);
    return { contract: await mcn.contracts.accept(request.user!.id, contractId) };
  });
  app.post('/api/me/mcn-contracts/:contractId/decline', { schema: { tags: ['mcn'], summary: 'Decline my MCN contract', params: MyContractParams, body: DeclineBody }, config: { access: user } }, async (request) => {
    const { contractId } = parseInput(MyContractParams, request.params, request.locale);
    const body = parseInput(DeclineBody, request.body ?? undefined, request.locale);
    return { contract: await mcn.contracts.decline(request.user!.id, contractId, body?.reason || null) };
  });
  app.post('/api/me/mcn-contracts/:contractId/terminate', { schema: { tags: ['mcn'], summary: 'Terminate my MCN contract', params: MyContractParams, body: TerminateBody }, config: { access: user } }, async (request) => {
    const { contractId } = parseInput(MyContractParams, request.params, request.locale);
    const body = parseInput(TerminateBody, request.body, request.locale);
    return { contract: await mcn.contracts.terminateByStreamer(request.user!.id, contractId, body) };
  });
}
