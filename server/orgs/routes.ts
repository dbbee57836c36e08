import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { AddMemberBody, CreateOrgBody, MemberParams, OrgIdParams, ReviewBody, StatusQuery } from './schema.ts';
import type { OrgsService } from './service.ts';

export function orgsRoutes(app: FastifyInstance, deps: { orgs: OrgsService }) {
  const { orgs } = deps;

  app.post('/api/orgs', { schema: { tags: ['orgs'], summary: 'Create organisation', body: CreateOrgBody }, config: { access: { kind: 'user' } } }, async (request, reply) => {
    const body = parseInput(CreateOrgBody, request.body, request.locale);
    reply.code(201);
    return { org: await orgs.create(request.user!.id, body) };
  });

  app.get('/api/me/orgs', { schema: { tags: ['orgs'], summary: 'List my organisations' }, config: { access: { kind: 'user' } } }, async (request) => ({
    memberships: await orgs.listForUser(request.user!.id),
  }));

  app.get('/api/orgs/:orgId', { schema: { tags: ['orgs'], summary: 'Get organisation', params: OrgIdParams }, config: { access: { kind: 'org', roles: 'any' } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { org: await orgs.get(orgId), myRole: request.membership?.role ?? null };
  });

  app.get('/api/orgs/:orgId/members', { schema: { tags: ['orgs'], summary: 'List members', params: OrgIdParams }, config: { access: { kind: 'org', roles: 'any' } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { members: await orgs.members(orgId) };
  });

  app.post('/api/orgs/:orgId/members', { schema: { tags: ['orgs'], summary: 'Add a member', params: OrgIdParams, body: AddMemberBody }, config: { access: { kind: 'org', roles: ['owner', 'admin'], operators: false } } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(AddMemberBody, request.body, request.locale);
    reply.code(201);
    return { member: await orgs.addMember(orgId, body.login, body.role, request.user!.id) };
  });

  app.delete('/api/orgs/:orgId/members/:userId', { schema: { tags: ['orgs'], summary: 'Remove a member', params: MemberParams }, config: { access: { kind: 'org', roles: ['owner', 'admin'], operators: false } } }, async (request, reply) => {
    const { orgId, userId } = parseInput(MemberParams, request.params, request.locale);
    await orgs.removeMember(orgId, userId, request.user!.id);
    reply.code(204);
  });

  app.get('/api/admin/orgs', { schema: { tags: ['orgs'], summary: 'List organisations (operator)', querystring: StatusQuery }, config: { access: { kind: 'platform', roles: ['operator'] } } }, async (request) => {
    const { status } = parseInput(StatusQuery, request.query, request.locale);
    return { orgs: await orgs.list(status) };
  });

  app.post('/api/admin/orgs/:orgId/review', { schema: { tags: ['orgs'], summary: 'Review an organisation (operator)', params: OrgIdParams, body: ReviewBody }, config: { access: { kind: 'platform', roles: ['operator'] } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(ReviewBody, request.body, request.locale);
    return { org: await orgs.review(orgId, body.decision, body.reason, request.user!.id) };
  });
}
