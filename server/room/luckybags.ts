import crypto from 'node:crypto';
import type { AuthUser } from '../accounts/service.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { RoomContext } from './service.ts';
import type { RoomStore } from './store.ts';

export function bagView(bag: NonNullable<Awaited<ReturnType<RoomStore['findBag']>>>) {
  return {
    id: bag.id,
    prize: bag.prize,
    condition: bag.condition_kind === 'keyword' ? { kind: 'keyword' as const, keyword: bag.keyword ?? '' } : { kind: 'follow' as const },
    winners: bag.winners,
    drawAt: bag.draw_at,
    commitment: bag.commitment,
    status: bag.status,
    ...(bag.status === 'drawn' && { seed: bag.revealed_seed ?? undefined, winnerIds: JSON.parse(bag.winner_ids ?? '[]') as string[], entrants: bag.entrant_count ?? 0 }),
  };
}

/** Lucky bags (福袋): entered by following the streamer or by posting a keyword in the chat (./service.ts), drawn at their time. */
export function createLuckyBags(
  ctx: RoomContext,
  /** The open bags each chat message checks for its keyword: forgotten when one opens or is drawn. */
  openBags: { forget(sessionId: string): void },
) {
  const { store, bus, clock, secrets, logger, now, session, requireStaff, publish, flushMessages } = ctx;

  return {
    async startLuckyBag(sessionId: string, actor: AuthUser, input: { prize: string; winners: number; condition: { kind: 'keyword'; keyword: string } | { kind: 'follow' }; drawInSeconds: number }) {
      await requireStaff(sessionId, actor, 'lucky_bags');
      // Commit–reveal: the seed's hash is published now; the seed, which fixes the winners, only after the draw.
      const seed = crypto.randomBytes(32).toString('hex');
      const bag = {
        id: newId(),
        session_id: sessionId,
        prize: input.prize,
        winners: input.winners,
        condition_kind: input.condition.kind,
        keyword: input.condition.kind === 'keyword' ? input.condition.keyword : null,
        draw_at: new Date(clock.now().getTime() + input.drawInSeconds * 1000).toISOString(),
        seed_enc: secrets.encrypt(seed),
        commitment: crypto.createHash('sha256').update(seed).digest('hex'),
        status: 'open' as const,
        revealed_seed: null,
        winner_ids: null,
        entrant_count: null,
        created_by: actor.id,
        created_at: now(),
        drawn_at: null,
      };
      await store.insertBag(bag);
      openBags.forget(sessionId);
      await store.log(sessionId, actor.id, 'luckybag.start', {}, { bagId: bag.id, commitment: bag.commitment }, now());
      await publish(sessionId, { type: 'luckybag.started', luckyBag: bagView(bag), priority: true });
      return bagView(bag);
    },

    async enterLuckyBag(sessionId: string, user: AuthUser, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      if (bag.status !== 'open') throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      const info = await session(sessionId);
      if (bag.condition_kind === 'follow' && !(await store.isFollowing(user.id, info.streamerId))) throw new AppError('LUCKYBAG_NOT_ELIGIBLE', { condition: 'follow' });
      if (bag.condition_kind === 'keyword') throw new AppError('LUCKYBAG_NOT_ELIGIBLE', { condition: `keyword ${bag.keyword}` });
      await store.enter(bagId, user.id, now());
    },

    /** Draws a lucky bag: winners are the entrants with the smallest HMAC-SHA256(seed, userId). */
    async drawLuckyBag(sessionId: string, actor: AuthUser | null, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      if (actor) await requireStaff(sessionId, actor, 'lucky_bags');
      if (bag.status !== 'open') throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      await flushMessages();
      const seed = secrets.decrypt(bag.seed_enc);
      // One cut-off time for the draw and for the audit's entrant list.
      const drawTime = now();
      const entrants = await store.entrants(bagId, drawTime);
      const winners = rankEntrants(seed, entrants.map((e) => e.user_id)).slice(0, bag.winners);
      if (!(await store.markDrawn(bagId, seed, winners, entrants.length, drawTime))) throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      openBags.forget(sessionId);
      const drawn = (await store.findBag(bagId))!;
      await store.log(sessionId, actor?.id ?? null, 'luckybag.draw', {}, { bagId, entrants: entrants.length, winners }, now());
      await publish(sessionId, { type: 'luckybag.drawn', luckyBag: bagView(drawn), priority: true, ...(entrants.length === 0 && { code: 'LUCKYBAG_NO_ENTRANTS' }) });
      for (const winner of winners) await bus.publish(sessionId, { type: 'notice', to: winner, code: 'LUCKYBAG_WON', prize: bag.prize, bagId });
      return bagView(drawn);
    },

    async luckyBagAudit(sessionId: string, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      const entrants = bag.status === 'drawn' ? await store.entrants(bagId, bag.drawn_at ?? undefined) : [];
      return {
        ...bagView(bag),
        method: 'winners = the entrants with the smallest HMAC-SHA256(key = seed as hex text, message = user id), in hex; check sha256(seed) = commitment',
        entrants: entrants.map((e) => ({ id: e.user_id, name: e.display_name })),
      };
    },

    async drawDueBags() {
      const due = await store.dueBags(now()).catch((error: unknown) => {
        logger.warn({ err: error }, 'lucky bags: looking for due draws failed; the next second retries');
        return [];
      });
      for (const bag of due) {
        await this.drawLuckyBag(bag.session_id, null, bag.id).catch((error: unknown) => {
          if (!(error instanceof AppError && error.code === 'LUCKYBAG_ALREADY_DRAWN')) logger.error({ err: error, bagId: bag.id }, 'drawing a lucky bag failed');
        });
      }
    },
  };
}

export function rankEntrants(seed: string, userIds: string[]): string[] {
  return userIds
    .map((id) => ({ id, score: crypto.createHmac('sha256', seed).update(id).digest('hex') }))
    .sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : 0))
    .map((e) => e.id);
}
