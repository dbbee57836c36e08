import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { SESSION_COOKIE } from '../platform/access.ts';
import { AuctionParams, BidBody, CreateAuctionBody, RoomParams } from './schema.ts';
import type { Auctions } from './service.ts';

const tags = ['auctions'];
const user = { access: { kind: 'user' } } as const;
const anyone = { access: { kind: 'public' } } as const;

export function auctionsRoutes(app: FastifyInstance, auctions: Auctions) {
  app.post('/api/rooms/:id/auctions', { schema: { tags, summary: 'Create an auction of a one-off lot in a live (brand members, the streamer)', params: RoomParams, body: CreateAuctionBody }, config: user }, async (request, reply) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(CreateAuctionBody, request.body, request.locale);
    reply.code(201);
    return { auction: await auctions.create(id, request.user!, body) };
  });
  app.get('/api/rooms/:id/auctions', { schema: { tags, summary: "A live's auctions, newest first", params: RoomParams }, config: anyone }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return { auctions: await auctions.forSession(id) };
  });
  app.get('/api/auctions/:auctionId', { schema: { tags, summary: 'An auction: lot, current price, leader (masked), close', params: AuctionParams }, config: anyone }, async (request) => {
    const { auctionId } = parseInput(AuctionParams, request.params, request.locale);
    return { auction: await auctions.get(auctionId) };
  });
  app.get('/api/auctions/:auctionId/me', { schema: { tags, summary: 'My side of an auction: my maximum, whether I lead, my order', params: AuctionParams }, config: user }, async (request) => {
    const { auctionId } = parseInput(AuctionParams, request.params, request.locale);
    return { me: await auctions.mine(auctionId, request.user!) };
  });
  app.get('/api/auctions/:auctionId/bids', { schema: { tags, summary: 'Every accepted bid with bidders and amounts (the seller only)', params: AuctionParams }, config: user }, async (request) => {
    const { auctionId } = parseInput(AuctionParams, request.params, request.locale);
    return { bids: await auctions.bids(auctionId, request.user!) };
  });
  // Per signed-in session (a whole audience may share one IP behind a carrier NAT): 20 bids per 10 s is far above a person's pace.
  const bidRateLimit = { max: 20, timeWindow: 10_000, keyGenerator: (request: { cookies?: Record<string, string | undefined>; ip: string }) => `auction-bid:${request.cookies?.[SESSION_COOKIE] ?? request.ip}` };
  app.post('/api/auctions/:auctionId/bids', { schema: { tags, summary: 'Bid an amount or set a proxy maximum (final; idempotent by clientKey)', params: AuctionParams, body: BidBody }, config: { ...user, rateLimit: bidRateLimit } }, async (request, reply) => {
    const { auctionId } = parseInput(AuctionParams, request.params, request.locale);
    const body = parseInput(BidBody, request.body, request.locale);
    const result = await auctions.bid(auctionId, request.user!, body);
    reply.code(result.created ? 201 : 200);
    return result;
  });
}
