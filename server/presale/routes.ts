import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { PresaleDomain } from './index.ts';
import { CreatePresaleBody, DepositBody, EmptyBody, OrgPresaleParams, PresaleOrderParams, PresaleParams, RoomParams } from './schema.ts';

const tags = ['presale'];
const anyone = { access: { kind: 'public' } } as const;
const user = { access: { kind: 'user' } } as const;
const brandReaders = { access: { kind: 'org', roles: 'any', orgKinds: ['brand'] } } as const;
const brandEditors = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } } as const;
/** Paying deposits and balances opens trades with the payment provider: a person gets a few a minute. */
const payLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } } as const;

/** 定金预售 routes (docs/PRESALE.md). */
export function presaleRoutes(app: FastifyInstance, domain: PresaleDomain) {
  const s = domain.service;

  // The brand.
  app.get('/api/orgs/:orgId/presales', { schema: { tags, summary: "A brand's pre-sales with units per state", params: OrgIdParams }, config: brandReaders }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { presales: await s.brandList(orgId) };
  });
  app.post('/api/orgs/:orgId/presales', { schema: { tags, summary: 'Set up a pre-sale with a deposit on a SKU', params: OrgIdParams, body: CreatePresaleBody }, config: brandEditors }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(CreatePresaleBody, request.body, request.locale);
    reply.code(201);
    return { presale: await s.create(orgId, request.user!, body) };
  });
  app.post('/api/orgs/:orgId/presales/:id/cancel', { schema: { tags, summary: 'Cancel a pre-sale: every buyer is refunded in full', params: OrgPresaleParams, body: EmptyBody }, config: brandEditors }, async (request) => {
    const { orgId, id } = parseInput(OrgPresaleParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return { presale: await s.cancel(orgId, id) };
  });

  // Viewers and buyers.
  app.get('/api/presales/:id', { schema: { tags, summary: 'A pre-sale with its prices, windows and rules', params: PresaleParams }, config: anyone }, async (request) => {
    const { id } = parseInput(PresaleParams, request.params, request.locale);
    return { presale: await s.get(id) };
  });
  app.get('/api/rooms/:id/presales', { schema: { tags, summary: "A live's current pre-sales", params: RoomParams }, config: anyone }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return { presales: await s.forSession(id) };
  });
  app.post('/api/presales/:id/deposits', { schema: { tags, summary: 'Pay the deposit (the rules must be accepted): answers the order and its payment page', params: PresaleParams, body: DepositBody }, config: { ...user, ...payLimit } }, async (request, reply) => {
    const { id } = parseInput(PresaleParams, request.params, request.locale);
    const body = parseInput(DepositBody, request.body, request.locale);
    reply.code(201);
    return await s.deposit(request.user!, id, body);
  });
  app.get('/api/me/presale-orders', { schema: { tags, summary: 'My pre-sale orders' }, config: user }, async (request) => ({ presaleOrders: await s.mine(request.user!) }));
  app.get('/api/presale-orders/:id', { schema: { tags, summary: 'One of my pre-sale orders', params: PresaleOrderParams }, config: user }, async (request) => {
    const { id } = parseInput(PresaleOrderParams, request.params, request.locale);
    return { presaleOrder: await s.getMine(request.user!, id) };
  });
  app.post('/api/presale-orders/:id/balance', { schema: { tags, summary: 'Pay the balance inside its window: answers the balance order and its payment page', params: PresaleOrderParams, body: EmptyBody }, config: { ...user, ...payLimit } }, async (request) => {
    const { id } = parseInput(PresaleOrderParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return await s.payBalance(request.user!, id);
  });
  app.post('/api/presale-orders/:id/deposit-refund', { schema: { tags, summary: 'Ask for the deposit back (refused by the rules unless the seller failed)', params: PresaleOrderParams, body: EmptyBody }, config: user }, async (request) => {
    const { id } = parseInput(PresaleOrderParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return await s.requestDepositRefund(request.user!, id);
  });
}
