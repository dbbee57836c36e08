import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthUser } from '../accounts/service.ts';
import { SESSION_COOKIE } from '../platform/access.ts';
import { cached } from '../platform/cache.ts';
import { AppError } from '../platform/errors.ts';
import type { TrainingStore } from './store.ts';

/**
 * Who may see a practice live (实训): its trainee and the centre's owner, admins and staff. For any other
 * session the answer is yes (public lives are public). A session's mode never changes, so the lookup is
 * kept a while; a trainer's role briefly.
 */
export function createPracticeVisibility(deps: { store: TrainingStore; isTrainer: (orgId: string, userId: string) => Promise<boolean> }) {
  const practices = cached<{ traineeId: string; orgId: string | null } | null>(60_000, async (sessionId) => {
    const row = await deps.store.practiceOfSession(sessionId);
    return row?.mode === 'practice' ? { traineeId: row.streamer_id, orgId: row.org_id } : null;
  });
  const trainers = cached<boolean>(10_000, async (key) => {
    const [orgId, userId] = key.split('|') as [string, string];
    return deps.isTrainer(orgId, userId);
  });
  return {
    async isPractice(sessionId: string) {
      return (await practices.get(sessionId)) !== null;
    },
    async mayWatch(sessionId: string, userId: string | null) {
      const practice = await practices.get(sessionId);
      if (!practice) return true;
      if (!userId) return false;
      if (userId === practice.traineeId) return true;
      return practice.orgId !== null && (await trainers.get(`${practice.orgId}|${userId}`));
    },
  };
}

export type PracticeVisibility = ReturnType<typeof createPracticeVisibility>;

const SESSION_ID = /^[0-9a-f-]{36}$/;
/** Routes that show one session: its page, room, chapters, analytics, video and replay. */
const WATCH_ROUTES = [
  /^\/api\/live-sessions\/:id$/,
  /^\/api\/rooms\/:id(\/|$)/,
  /^\/api\/sessions\/:id\//,
  /^\/api\/analytics\/sessions\/:id\//,
  /^\/api\/orgs\/:orgId\/analytics\/sessions\/:id\//,
  /^\/live\/:id\/:file$/,
  /^\/replay\/:id\/:file$/,
];
/** Room actions that would sell something: refused in a practice live (no order rows, no money). */
const SELLING = /^\/api\/rooms\/:id\/(products|flash-sales|coupon-drops|auctions|presales?|vouchers)(\/|$)|^\/api\/rooms\/:id\/presets\/:presetId\/launch$/;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sessionIdOf(request: FastifyRequest): string | null {
  const url = request.routeOptions.url ?? '';
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  if (url === '/live/:file') return /^([0-9a-f-]{36})(_480p)?\.flv$/.exec(params.file ?? '')?.[1] ?? null;
  if (!WATCH_ROUTES.some((r) => r.test(url))) return null;
  return params.id && SESSION_ID.test(params.id) ? params.id : null;
}

/**
 * The practice lives' gate, one hook for every route that shows a session: anyone but the trainee and
 * the centre's trainers is answered LIVE_SESSION_NOT_FOUND, as for a session that does not exist; and
 * nothing is sold in a practice live (PRACTICE_LIVE_NO_SALES): no products in its 小黄车, no coupon
 * drops or flash sales, no order attributed to it. Video and replay paths are outside /api, where the
 * login is not read for every request: it is read here, only for a practice session.
 */
export function installPracticeGate(app: FastifyInstance, deps: { visibility: PracticeVisibility; resolveSession: (token: string | undefined) => Promise<AuthUser | null> }) {
  app.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url ?? '';
    if (request.method === 'POST' && url === '/api/orders') {
      const sessionId = (request.body as { sessionId?: unknown } | undefined)?.sessionId;
      if (typeof sessionId === 'string' && SESSION_ID.test(sessionId) && (await deps.visibility.isPractice(sessionId))) throw new AppError('PRACTICE_LIVE_NO_SALES');
      return;
    }
    const sessionId = sessionIdOf(request);
    if (!sessionId || !(await deps.visibility.isPractice(sessionId))) return;
    const user = request.url.startsWith('/api/') ? request.user : await deps.resolveSession(request.cookies[SESSION_COOKIE]);
    if (!(await deps.visibility.mayWatch(sessionId, user?.id ?? null))) throw new AppError('LIVE_SESSION_NOT_FOUND');
    if (UNSAFE.has(request.method) && SELLING.test(url)) throw new AppError('PRACTICE_LIVE_NO_SALES');
  });
}
