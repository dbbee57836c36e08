import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Replays } from './chapters.ts';
import { ChapterSessionParams, ExplanationProductParams } from './schema.ts';

/** Replay chapters and product explanations: public, like the replay itself (docs/VIDEO.md, Replay chapters). */
export function replaysRoutes(app: FastifyInstance, replays: Replays) {
  const anyone = { kind: 'public' } as const;

  app.get('/api/sessions/:id/chapters', { schema: { tags: ['live'], summary: "A replay's product chapters", params: ChapterSessionParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(ChapterSessionParams, request.params, request.locale);
    return replays.chapters(id);
  });

  app.get('/api/products/:id/explanation', { schema: { tags: ['live'], summary: "A product's latest explanation in a replay", params: ExplanationProductParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(ExplanationProductParams, request.params, request.locale);
    return { explanation: await replays.explanation(id) };
  });
}
