import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Bases } from './service.ts';
import { PublicBaseParams } from './schema.ts';

/**
 * The bases' public pages (docs/BASES.md, "The public page"): anyone, logged in or not, reads an approved
 * base's public profile and the list of approved bases. Like the other public reads (`/api/discover`,
 * `/api/search`, `/api/exhibitions`) they have no rate limit of their own.
 */
export function basesPublicRoutes(app: FastifyInstance, deps: { bases: Bases }) {
  const { bases } = deps;
  const anyone = { kind: 'public' } as const;

  app.get('/api/public/bases', { schema: { tags: ['bases'], summary: 'Approved live-streaming bases, for anyone: name, theme, address, cover photo, public studios' }, config: { access: anyone } }, async () => ({
    bases: await bases.publicPages.list(),
  }));
  app.get('/api/public/bases/:baseId', { schema: { tags: ['bases'], summary: "An approved base's public page: profile, photos, public studios, tenants, upcoming events, figures", params: PublicBaseParams }, config: { access: anyone } }, async (request) => {
    const { baseId } = parseInput(PublicBaseParams, request.params, request.locale);
    return { base: await bases.publicPages.page(baseId) };
  });
}
