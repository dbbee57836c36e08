// An authorization sweep over every route (docs/API.md): each route the app has, called as people who
// should not reach the victims' data — no session, a plain viewer, a streamer of no MCN, the
// commission's reviewer, the owner of another organisation of the same kind (naming the victim
// organisation, and naming their own with the victim's ids), a member of an organisation of the wrong
// kind, a staff member where the route wants an owner — must never answer 5xx, never answer 2xx with a
// victim's private data, and never change the victims' rows. The demo's organisations are the victims
// (test/helpers/access-sweep.ts). Routes that may answer or act for anyone by design are listed below,
// each with its reason, so a new public route or a new shared one has to be added here on purpose.
import crypto from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { OrgKind } from '../server/platform/db-types.ts';
import { ORG_KINDS, buildSweepWorld, sampleValue, type SweepWorld, type VictimIds } from './helpers/access-sweep.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';

// ---------------------------------------------------------------------------------------------------
// The allowed exceptions.

/** Routes anyone may call (config.access public), each with why. A public route not listed here fails the sweep. */
const PUBLIC: Record<string, string> = {
  'GET /api/auth/session': 'who is logged in (null for no one) and a CSRF token',
  'GET /api/live-sessions': 'the lives on the home page',
  'GET /api/live-sessions/:id': "a live's page and its playback URLs",
  'POST /api/media/hooks/on_publish': "an external media origin's callback, checked by its token (docs/VIDEO.md)",
  'POST /api/media/hooks/on_unpublish': "an external media origin's callback, checked by its token (docs/VIDEO.md)",
  'GET /api/sessions/:id/chapters': "a replay's product chapters",
  'GET /api/products/:id/explanation': 'where a replay explains a product',
  'GET /api/products/:id': 'a product page',
  'GET /api/public/bases': "approved bases' public pages (docs/BASES.md)",
  'GET /api/public/bases/:baseId': "an approved base's public page: nothing about bookings, leases or money",
  'GET /api/rooms/:id': 'a live room, open to every viewer',
  'GET /api/rooms/:id/products': "a live's 小黄车",
  'POST /api/rooms/:id/products/:productId/click': 'a viewer opened a product card (counted, docs/ANALYTICS.md)',
  'GET /api/rooms/:id/lucky-bags/:bagId': "a lucky bag's terms and, once drawn, its proof",
  'GET /api/rooms/:id/auctions': "a live's auctions",
  'GET /api/rooms/:id/presales': "a live's pre-sales",
  'GET /api/coupons/:id': "a coupon's terms",
  'GET /api/flash-sales/:id': "a flash sale's price and stock",
  'GET /api/training/tracks': 'the 互联网营销师 job types, levels and hours',
  'GET /api/certificates/:number/verify': 'anyone checks a certificate with its number and code (docs/TRAINING.md)',
  'GET /api/campaigns': 'shopping festivals (docs/CAMPAIGNS.md)',
  'GET /api/campaigns/:id': "a festival's page",
  'GET /api/campaigns/:id/leaderboard': "a festival's public leaderboard",
  'GET /api/crossborder/products/:productId': "a cross-border product's origin and taxes",
  'GET /api/first-stores': 'first stores (全球首店) open to claim',
  'GET /api/auctions/:auctionId': "an auction's public state",
  'GET /api/launches': 'the launch (首发) calendar',
  'GET /api/launches/:launchId': "a launch's page",
  'GET /api/lives/:sessionId/reservation': 'how many reserved a live',
  'GET /api/presales/:id': "a pre-sale's prices, windows and rules",
  'GET /api/b2b/products/:productId': "a wholesale product's page (its prices need a licence)",
  'GET /api/origin/areas': 'the certified origin areas (docs/ORIGIN.md)',
  'GET /api/origin/products/:productId': "a product's certified origin",
  'GET /api/exhibitions': 'exhibitions (docs/EXHIBITIONS.md)',
  'GET /api/exhibitions/:exhibitionId': "an exhibition's halls and booths",
  'GET /api/discover': 'the home page (docs/DISCOVERY.md)',
  'GET /api/streamers/:streamerId/profile': "a streamer's public page",
  'GET /api/brands/:id/profile': "a brand's public page",
  'GET /api/search': 'search (docs/SEARCH.md)',
  'POST /api/payments/notify/:provider': "the payment provider's signed notification (no session, no CSRF)",
  'GET /api/payments/sandbox/public-key': "the payment sandbox's public key",
};

/** Routes that refuse from memory before the access check, by design, with the refusals they may give so. */
const EARLY: Record<string, { why: string; codes: readonly string[] }> = {
  'POST /api/flash-sales/:id/orders': { why: "a flash sale's crowd: sold out, ended, not started or busy is answered before the session lookup (server/app.ts)", codes: ['FLASH_NOT_STARTED', 'FLASH_ENDED', 'FLASH_SOLD_OUT', 'FLASH_BUSY'] },
};

/** /api routes the OpenAPI document leaves out, each with why. */
const UNDOCUMENTED: Record<string, string> = {
  'GET /api/openapi.json': 'the API document itself (public)',
  'GET /api/docs': 'Swagger UI for the same document (public, @fastify/swagger-ui)',
  'GET /api/docs/': 'Swagger UI',
  'GET /api/docs/static/index.html': 'Swagger UI',
  'GET /api/docs/static/swagger-initializer.js': 'Swagger UI',
  'GET /api/docs/*': 'Swagger UI static files',
  'GET /api/docs/json': 'the API document, for Swagger UI',
  'GET /api/docs/yaml': 'the API document, for Swagger UI',
  'GET /api/open/v1/sessions/:sessionId/events': 'a WebSocket (hidden from OpenAPI by @fastify/websocket); its grant is checked before the upgrade, test/open-events-ws.test.ts',
};

/** Routes outside /api, all public, each with why (fastify's table shows /live/:file and /live/:id/:file as one parameter, :file|:id). */
const PAGES: Record<string, string> = {
  'GET /healthz': 'liveness probe, answers { status }',
  'GET /readyz': 'readiness probe, answers which backing service is up',
  'GET /replay/:id/:file': 'replay video files of an ended live, watchable by anyone (docs/VIDEO.md)',
  'GET /live/:file|:id': 'live video (HTTP-FLV), watchable by anyone (docs/VIDEO.md)',
  'GET /live/:file|:id/:file': 'live HLS, watchable by anyone (docs/VIDEO.md)',
  'GET /media/covers/:file': 'live covers, shown on public pages',
  'GET /media/products/:pictureId/:file': 'product pictures, shown on public pages (docs/PICTURES.md)',
  'GET /media/bases/:pictureId/:file': 'base photos, shown on public base pages (docs/BASES.md)',
  'GET /ws/rooms/:id': "a live room's WebSocket, open to viewers (docs/realtime-protocol.md)",
  'GET /sandbox/pay/:tradeNo': "the payment sandbox's cashier page, reached with an unguessable trade number (docs/COMMERCE.md)",
  'POST /sandbox/pay/:tradeNo': "the payment sandbox's pay button, as a real provider's cashier page",
  'GET /*': 'the web app and link previews of public pages (docs/PREVIEWS.md)',
};

/** Routes acting on the caller's own session or account only: swept with throwaway users, not the sweep's callers. */
const SELF: Record<string, string> = {
  'POST /api/auth/register': 'logs the caller in as a new user',
  'POST /api/auth/login': 'logs the caller in',
  'POST /api/auth/logout': "ends the caller's session",
  'POST /api/auth/password': "changes the caller's password",
  'PATCH /api/me': "the caller's name and language",
  'PUT /api/streamer/profile': "the caller's own real-name submission (resets their review)",
};

/**
 * Routes a logged-in stranger may call with the victims' ids, by design: `answers` 2xx (to anyone, or
 * to verified streamers only), `changes` the victims' rows in the tables named, `shows` the kinds of
 * private value named.
 */
type Shared = { why: string; answers?: true | 'streamers'; changes?: readonly string[]; shows?: readonly string[] };
const SHARED: Record<string, Shared> = {
  'GET /api/bases/:baseId/calendar': { why: "any user sees a base's calendar to book a studio: others' bookings as id, times and status only (docs/API.md)", answers: true, shows: ['studio booking'] },
  'GET /api/streamers/:streamerId/follow': { why: 'whether the caller follows that streamer', answers: true },
  'POST /api/streamers/:streamerId/follow': { why: 'the caller follows a streamer', answers: true },
  'DELETE /api/streamers/:streamerId/follow': { why: 'the caller unfollows a streamer', answers: true },
  'GET /api/offers/:id': { why: 'an active offer is on the selection square for every user (docs/COOPERATION.md)', answers: true },
  'GET /api/orgs/:orgId/offers/:id': { why: "another brand's offer answers only while active, as on the square (GET /api/offers/:id); a paused one is OFFER_NOT_FOUND", answers: true },
  'GET /api/auctions/:auctionId/me': { why: "the caller's own standing in a public auction", answers: true },
  'GET /api/commission/base-applications': { why: "the commission's portal lists the bases' programme applications (docs/TALENT.md)", shows: ['base application'] },
  'POST /api/rooms/:id/chat/:messageId/report': { why: "any viewer reports a chat message to the live's moderators", answers: true },
  'POST /api/orgs/:orgId/campaigns/:id/apply': { why: 'festivals are public; a brand applies with its own organisation', answers: true },
  'POST /api/first-stores/:id/claim': { why: "any user claims a first store's coupon, which takes one of its codes (docs/VOUCHERS.md)", answers: true, changes: ['first_stores', 'voucher_codes'] },
  'POST /api/coupons/:id/claim': { why: "any user claims a brand's public coupon, which counts it (docs/COMMERCE.md)", answers: true, changes: ['coupons'] },
  'POST /api/campaigns/:id/coupons/:couponId/claim': { why: "any user claims a festival's coupon, which counts it (docs/CAMPAIGNS.md)", answers: true, changes: ['coupons'] },
  'POST /api/offers/:id/samples': { why: 'a verified streamer asks for a sample of an active offer for themselves (docs/COOPERATION.md); no one else', answers: 'streamers', changes: ['cooperation_samples'] },
  'POST /api/launches/:launchId/reservation': { why: 'the caller reserves a public launch', answers: true },
  'DELETE /api/launches/:launchId/reservation': { why: "the caller drops their own reservation", answers: true },
  'PUT /api/exhibitions/booths/:boothId/follow': { why: 'the caller follows a public booth', answers: true },
  'DELETE /api/exhibitions/booths/:boothId/follow': { why: 'the caller unfollows a booth', answers: true },
};

/** The writes a commission account may make (server/platform/access.ts). */
const COMMISSION_MAY = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password', 'PATCH /api/me']);

// ---------------------------------------------------------------------------------------------------
// The routes, from the app itself.

type Access =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'platform'; roles: string[] }
  | { kind: 'apiKey' }
  | { kind: 'org'; roles: string[] | 'any'; orgKinds: OrgKind[] };

type JsonSchema = Record<string, any>;
type Operation = { description?: string; parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } };
type Route = { method: string; path: string; key: string; access: Access; op: Operation };

/** The access rule, read back from the sentence server/platform/openapi.ts writes into each operation's description. */
function parseAccess(description: string): Access {
  const who = /Who may call it: (.*)\.$/.exec(description)?.[1];
  if (!who) throw new Error(`no access sentence in: ${description}`);
  if (who === 'anyone') return { kind: 'public' };
  if (who === 'a logged-in user') return { kind: 'user' };
  if (who.startsWith('an API key')) return { kind: 'apiKey' };
  const platform = /^a user with platform role (.*)$/.exec(who);
  if (platform) return { kind: 'platform', roles: platform[1]!.split(' or ') };
  const org = /^a member of organisation \{orgId\} with (any role|role ([a-z_ ]+?))(?: \(([a-z ]+) organisations\))?(;|$)/.exec(who);
  if (org) return { kind: 'org', roles: org[2] ? org[2].split(' or ') : 'any', orgKinds: org[3] ? (org[3].split(' or ') as OrgKind[]) : [...ORG_KINDS] };
  throw new Error(`unknown access sentence: ${who}`);
}

/** Every route and method of fastify's route table: path fragments indented under their parents. */
function routeTable(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    stack.length = match[1]!.length / 4;
    stack.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${stack.join('').replace(/^\*$/, '/*')}`);
  }
  return out;
}

async function documentedRoutes(server: TestServer): Promise<Route[]> {
  const doc = (await server.client().get('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
  const routes: Route[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const upper = method.toUpperCase();
      routes.push({ method: upper, path, key: `${upper} ${path.replace(/\{(\w+)\}/g, ':$1')}`, access: parseAccess(op.description ?? ''), op });
    }
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------------
// The victims' ids in paths, bodies and queries.

/** `segment/{param}` → the victim's id it names (see harvestIds); some depend on the rest of the path. */
function victimKeyFor(path: string, segment: string, param: string): keyof VictimIds | undefined {
  const at = `${segment}/${param}`;
  if (at === 'products/id' || at === 'products/productId') {
    if (path.includes('/crossborder/')) return 'crossborderProduct';
    if (path.includes('/b2b/')) return 'b2bProduct';
    if (path.includes('/origin/')) return 'originProduct';
    return 'product';
  }
  if (at === 'photos/photoId') return path.includes('/studios/') ? 'studioPhoto' : 'basePhoto';
  if (at === 'studios/studioId') return path.includes('/maintenance') ? 'maintenanceStudio' : path.includes('/photos') ? 'photoStudio' : 'studio';
  const table: Record<string, keyof VictimIds> = {
    'accounts/accountId': 'ledgerAccount', 'addresses/id': 'address', 'after-sales/id': 'afterSale', 'api-keys/keyId': 'apiKey',
    'applications/id': 'application', 'assistants/userId': 'assistant', 'auctions/auctionId': 'auction',
    'base-applications/applicationId': 'baseApplication', 'base-programmes/programmeId': 'programme', 'bases/baseId': 'base',
    'bookings/bookingId': 'booking', 'studio-bookings/bookingId': 'booking', 'booths/boothId': 'booth', 'brands/id': 'brand',
    'brands/orgId': 'brand', 'orgs/orgId': 'brand', 'campaigns/id': 'campaign', 'certificates/number': 'certificate',
    'chat/messageId': 'chatMessage', 'contracts/contractId': 'contract', 'mcn-contracts/contractId': 'contract',
    'coupon-drops/dropId': 'couponDrop', 'coupons/couponId': 'campaignCoupon', 'coupons/id': 'coupon', 'enrollments/enrollmentId': 'enrollment',
    'events/eventId': 'baseEvent', 'exams/examId': 'exam', 'exhibitions/exhibitionId': 'exhibition', 'first-stores/id': 'firstStore',
    'flash-sales/id': 'flashSale', 'launches/launchId': 'launch', 'lessons/lessonId': 'lesson', 'licences/licenceId': 'licence',
    'live-sessions/id': 'session', 'lives/sessionId': 'session', 'rooms/id': 'session', 'sessions/id': 'session', 'sessions/sessionId': 'session',
    'lucky-bags/bagId': 'luckyBag', 'maintenance/maintenanceId': 'maintenance', 'members/userId': 'brandOwner',
    'nominations/nominationId': 'nomination', 'notifications/notificationId': 'notification', 'offers/id': 'offer',
    'orders/id': 'order', 'orders/orderId': 'order', 'pictures/pictureId': 'picture', 'practices/practiceId': 'practice',
    'presale-orders/id': 'presaleOrder', 'presales/id': 'presale', 'presets/presetId': 'preset', 'rfqs/rfqId': 'rfq',
    'samples/id': 'sample', 'sensitive-words/word': 'sensitiveWord', 'skus/skuId': 'sku', 'slot-fees/id': 'slotFee',
    'stores/storeId': 'store', 'streamer-profiles/userId': 'streamer', 'streamers/streamerId': 'streamer', 'tenants/tenantId': 'tenant',
    'vouchers/id': 'voucher', 'webhook-deliveries/deliveryId': 'delivery', 'webhooks/endpointId': 'webhook', 'withdrawals/id': 'withdrawal',
  };
  return table[at];
}

/** Body and query fields that name something, → the victim's id of it. */
const FIELD_IDS: Record<string, keyof VictimIds> = {
  productId: 'product', skuId: 'sku', sessionId: 'session', streamerId: 'streamer', orgId: 'brand', brandOrgId: 'brand',
  studioId: 'studio', storeId: 'store', offerId: 'offer', orderId: 'order', itemId: 'orderItem', userId: 'streamer',
  addressId: 'address', userCouponId: 'userCoupon', programmeId: 'programme', producerId: 'producer', exhibitorOrgId: 'brand',
  hallId: 'hall', couponId: 'coupon', endpointId: 'webhook', ids: 'offer',
};

type Filled = { url: string; body: unknown; victimIdInPath: boolean };

/** The route's URL with `orgId` (when given) and the victims' ids, its query and a body its schema accepts. */
function fill(route: Route, world: SweepWorld, now: Date, orgId?: string): Filled {
  let victimIdInPath = false;
  const params = new Map((route.op.parameters ?? []).map((p) => [`${p.in}:${p.name}`, p]));
  const segments = route.path.split('/');
  const url = segments
    .map((part, i) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return part;
      if (name === 'orgId' && orgId) return orgId;
      const enumValues = params.get(`path:${name}`)?.schema.enum as string[] | undefined;
      if (enumValues) return enumValues[0];
      const key = victimKeyFor(route.path, segments[i - 1]!, name);
      const id = key ? world.ids[key] : undefined;
      if (id) victimIdInPath = true;
      return encodeURIComponent(id ?? crypto.randomUUID());
    })
    .join('/');
  const fillField = (name: string) => (FIELD_IDS[name] ? world.ids[FIELD_IDS[name]] : undefined);
  const query = new URLSearchParams();
  for (const p of route.op.parameters ?? []) {
    if (p.in !== 'query' || (!p.required && !fillField(p.name))) continue;
    query.set(p.name, String(sampleValue(p.schema, p.name, fillField, now)));
  }
  const schema = route.op.requestBody?.content['application/json']?.schema;
  const body = schema ? sampleValue(schema, 'body', fillField, now) : undefined;
  return { url: query.size ? `${url}?${query}` : url, body, victimIdInPath };
}

// ---------------------------------------------------------------------------------------------------
// Callers, calls and what each must answer.

type Caller = { name: string; client: TestClient; role: 'anonymous' | 'viewer' | 'streamer' | 'commission'; apiKey?: string };

/**
 * refused: the access rule turns it away (401/403, or ORG_WRONG_KIND). runs: the caller passes the
 * rule, so the handler decides; with a victim's id in the path, a 2xx is allowed only on SHARED routes.
 */
type Call = { caller: Caller; orgId?: string; expect: 'refused' | 'runs'; note: string };

const REFUSALS = new Set(['AUTH_REQUIRED', 'FORBIDDEN', 'ORG_WRONG_KIND', 'COMMISSION_READ_ONLY', 'APIKEY_INVALID']);

function callsFor(route: Route, world: SweepWorld, strangers: Caller[]): Call[] {
  const { access } = route;
  const [anonymous, viewer, , commission] = strangers as [Caller, Caller, Caller, Caller];
  const attacker = (kind: OrgKind): Caller => ({ name: `owner of another ${kind}`, client: world.attackers[kind].client, role: 'viewer' });
  const named = /\{(?!orgId\})/.test(route.path);
  if (access.kind === 'public') return [anonymous, viewer, commission].map((caller) => ({ caller, expect: 'runs', note: '' }));
  if (access.kind === 'apiKey') {
    return [
      { caller: anonymous, expect: 'refused', note: 'no key' },
      { caller: viewer, expect: 'refused', note: 'a session, no key' },
      { caller: { name: "another brand's API key", client: anonymous.client, role: 'anonymous', apiKey: world.apiKey }, expect: 'runs', note: 'every scope' },
    ];
  }
  if (access.kind === 'user' || access.kind === 'platform') {
    // Every organisation's owner too where the path names something of the victims'.
    const callers = named ? [...strangers, ...ORG_KINDS.map(attacker)] : strangers;
    return callers.map((caller) => {
      const allowed = caller.role !== 'anonymous' && (access.kind === 'user' || access.roles.includes(caller.role));
      return { caller, expect: allowed ? 'runs' : 'refused', note: '' };
    });
  }
  const calls: Call[] = [];
  for (const kind of access.orgKinds) {
    // Strangers and the owner of another organisation of the kind, naming the victim organisation…
    const victimOrg = world.victim[kind];
    for (const caller of [anonymous, viewer, commission, attacker(kind)]) calls.push({ caller, orgId: victimOrg, expect: 'refused', note: `victim ${kind}` });
    // …that owner naming their own, with the victim's ids in the rest of the path, the query and the body…
    calls.push({ caller: attacker(kind), orgId: world.attackers[kind].orgId, expect: 'runs', note: 'own org, victim ids' });
    // …and the victim's staff where the route wants an owner or admin.
    if (access.roles !== 'any' && !access.roles.includes('staff')) {
      calls.push({ caller: { name: `staff of the victim ${kind}`, client: world.victimStaff[kind], role: 'viewer' }, orgId: victimOrg, expect: 'refused', note: 'role' });
    }
  }
  // An organisation of the wrong kind, named by its own owner.
  for (const kind of ORG_KINDS.filter((k) => !access.orgKinds.includes(k))) {
    calls.push({ caller: { name: `owner of the victim ${kind}`, client: world.victimOwners[kind], role: 'viewer' }, orgId: world.victim[kind], expect: 'refused', note: 'wrong kind' });
  }
  return calls;
}

function markersIn(body: string, markers: Map<string, string>): string[] {
  const found = new Set<string>();
  for (const [value, label] of markers) if (body.includes(value)) found.add(label);
  return [...found];
}

/** Checks one answer against the rules; returns what is wrong with it. */
function judge(route: Route, call: Call, filled: Filled, response: TestResponse, markers: Map<string, string>): string[] {
  const problems: string[] = [];
  const who = `${call.caller.name}${call.note ? ` (${call.note})` : ''}`;
  const { status } = response;
  const code = response.errorCode;
  const shared = SHARED[route.key];
  const early = Boolean(code && EARLY[route.key]?.codes.includes(code));
  if (status >= 500) problems.push(`${status} ${code ?? ''} for ${who}`);
  if (call.caller.role === 'commission' && route.method !== 'GET' && !COMMISSION_MAY.has(route.key) && code !== 'COMMISSION_READ_ONLY' && !early) {
    problems.push(`the commission's write answered ${status} ${code ?? ''}, not COMMISSION_READ_ONLY`);
  }
  if (call.expect === 'refused' && !(status >= 400 && status < 500 && code && (REFUSALS.has(code) || early))) {
    problems.push(`not refused by the access rule for ${who}: ${status} ${code ?? ''}`);
  }
  if (status >= 200 && status < 300) {
    const answers = shared?.answers === true || (shared?.answers === 'streamers' && call.caller.role === 'streamer');
    if (call.expect === 'runs' && filled.victimIdInPath && route.access.kind !== 'public' && !answers) problems.push(`2xx with the victim's id in the path for ${who}`);
    const leaked = markersIn(response.body, markers).filter((label) => !shared?.shows?.includes(label));
    if (leaked.length) problems.push(`2xx showing the victim's ${leaked.join(', ')} to ${who}`);
  }
  return problems;
}

/** Fills a page's path (outside /api) with the victims' ids where it names one. */
function pageUrl(key: string, world: SweepWorld): string {
  const path = key.slice(key.indexOf(' ') + 1).replace(/:\w+\|(:\w+)/, '$1');
  const values: Record<string, string> = { ':id': world.ids.session ?? '', ':file': 'index.m3u8', ':pictureId': world.ids.picture ?? '', ':tradeNo': crypto.randomUUID() };
  return path.replace(/:\w+/g, (param) => values[param] ?? crypto.randomUUID()).replace(/\*$/, '');
}

// ---------------------------------------------------------------------------------------------------

describeEachDatabase(
  'authorization sweep over every route',
  ({ server }) => {
    let world: SweepWorld;
    let routes: Route[];
    let strangers: Caller[];
    const now = () => server().clock.now();

    beforeAll(async () => {
      world = await buildSweepWorld(server());
      routes = await documentedRoutes(server());
      strangers = [
        { name: 'anonymous', client: server().client(), role: 'anonymous' },
        { name: 'a plain viewer', client: world.viewer, role: 'viewer' },
        { name: 'a streamer of no MCN', client: world.streamer, role: 'streamer' },
        { name: 'the commission', client: world.commission, role: 'commission' },
      ];
      // Each client has its CSRF token before requests go out side by side.
      for (const client of [...strangers.map((c) => c.client), ...Object.values(world.attackers).map((a) => a.client), ...Object.values(world.victimStaff), ...Object.values(world.victimOwners)]) await client.refreshCsrf();
    });

    async function send(route: Route, caller: Caller, filled: Filled): Promise<TestResponse> {
      const headers: Record<string, string> = { 'idempotency-key': `sweep-${crypto.randomBytes(6).toString('hex')}` };
      if (caller.apiKey) headers.authorization = `Bearer ${caller.apiKey}`;
      const method = route.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      return caller.client.request(method, filled.url, method === 'GET' || method === 'DELETE' ? undefined : ((filled.body ?? {}) as Record<string, unknown>), headers);
    }

    it('finds every route in the OpenAPI document or in the lists of undocumented ones and pages', () => {
      const documented = new Set(routes.map((r) => r.key));
      const table = routeTable(server().app.printRoutes({ commonPrefix: false }));
      expect(table.filter((key) => !documented.has(key) && !UNDOCUMENTED[key] && !PAGES[key]), 'routes in no list').toEqual([]);
      expect([...Object.keys(UNDOCUMENTED), ...Object.keys(PAGES)].filter((key) => !table.includes(key)), 'listed routes that do not exist').toEqual([]);
      const publicRoutes = routes.filter((r) => r.access.kind === 'public').map((r) => r.key);
      expect(publicRoutes.filter((key) => !PUBLIC[key] && !SELF[key]), 'public routes not listed in PUBLIC').toEqual([]);
      expect(Object.keys(PUBLIC).filter((key) => !publicRoutes.includes(key)), 'PUBLIC lists routes that are not public').toEqual([]);
      expect([...Object.keys(SHARED), ...Object.keys(SELF), ...Object.keys(EARLY)].filter((key) => !documented.has(key)), 'exceptions for routes that do not exist').toEqual([]);
    });

    it('never answers 5xx, never shows a stranger the victims’ data, never lets one change it', { timeout: 240_000 }, async () => {
      const problems: string[] = [];
      const started = Date.now();
      let calls = 0;
      const run = async (route: Route, call: Call) => {
        const filled = fill(route, world, now(), call.orgId);
        const response = await send(route, call.caller, filled);
        calls += 1;
        for (const problem of judge(route, call, filled, response, world.markers)) problems.push(`${route.key}: ${problem}`);
      };
      // Reads first, a few at a time; then each write on its own, with the victims' rows compared around it.
      const reads = routes.filter((r) => r.method === 'GET').flatMap((route) => callsFor(route, world, strangers).map((call) => () => run(route, call)));
      for (let i = 0; i < reads.length; i += 8) await Promise.all(reads.slice(i, i + 8).map((read) => read()));
      const writes = routes.filter((r) => r.method !== 'GET' && !SELF[r.key]).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
      let before = await world.fingerprinter.take();
      for (const route of writes) {
        await Promise.all(callsFor(route, world, strangers).map((call) => run(route, call)));
        const after = await world.fingerprinter.take();
        const allowed = SHARED[route.key]?.changes ?? [];
        for (const change of world.fingerprinter.diff(before, after)) {
          if (!allowed.some((table) => change.startsWith(`${table}:`))) problems.push(`${route.key}: changed the victims' data: ${change}`);
        }
        before = after;
      }
      console.log(`access sweep: ${routes.length} routes, ${calls} calls in ${Date.now() - started} ms`);
      expect(problems).toEqual([]);
    });

    it('answers the routes on the caller’s own session and the pages outside /api without a 5xx', async () => {
      const problems: string[] = [];
      for (const route of routes.filter((r) => SELF[r.key])) {
        const anonymous = server().client();
        const user = server().client();
        await user.register(`self-${crypto.randomBytes(4).toString('hex')}@example.com`);
        for (const [who, client] of [['anonymous', anonymous], ['a throwaway user', user]] as const) {
          const response = await send(route, { name: who, client, role: 'viewer' }, fill(route, world, now()));
          if (response.status >= 500) problems.push(`${route.key}: ${response.status} for ${who}`);
          if (who === 'anonymous' && route.access.kind !== 'public' && response.status !== 401) problems.push(`${route.key}: ${response.status} for anonymous`);
        }
      }
      for (const key of Object.keys(PAGES)) {
        const url = pageUrl(key, world);
        const response = await server().app.inject({ method: key.slice(0, key.indexOf(' ')) as 'GET' | 'POST', url, headers: { accept: 'text/html' } });
        if (response.statusCode >= 500) problems.push(`${key}: ${response.statusCode} at ${url}`);
        const leaked = markersIn(response.body, world.markers);
        if (leaked.length) problems.push(`${key}: shows the victim's ${leaked.join(', ')} at ${url}`);
      }
      expect(problems).toEqual([]);
    });
  },
  { demo: true, timeoutMs: 300_000 },
);
