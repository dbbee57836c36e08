// A base's public page (docs/BASES.md, "The public page"): `GET /api/public/bases/:baseId` and `GET /api/public/bases`
// answer anyone, logged in or not, with only what is public — the profile, photos, public studios, the tenants in
// their lease (names and kinds), upcoming events (titles and dates) and two figures — and never a booker, a lease,
// a rent, a price paid, a reason or a private studio. Only approved bases; a bad id is refused by its schema.
// On SQLite and PostgreSQL, with the demo and with fixtures of its own.
import { expect, it } from 'vitest';
import { newId } from '../server/platform/ids.ts';
import { baseWithStudio, holdLive, type BaseFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator, streamer } from './helpers/people.ts';
import type { TestResponse } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';
import type { PublicBases } from '../server/bases/public.ts';

const DAY = 86_400_000;
/** The test clock starts at 2026-11-26T08:00Z (16:00 in Shanghai). Local 'YYYY-MM-DD HH:MM' (UTC+8) → ISO UTC. */
const local = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();

// The answers' shapes, as the server builds them (server/bases/public.ts).
type PublicBase = Awaited<ReturnType<PublicBases['page']>>;
type Photo = PublicBase['photos'][number];
type ListedBase = Awaited<ReturnType<PublicBases['list']>>[number];

const PAGE_KEYS = ['address', 'areaSqm', 'cancelFeeBps', 'closesAt', 'description', 'events', 'figures', 'freeCancelHours', 'id', 'name', 'opensAt', 'photos', 'studios', 'tenants', 'theme', 'timeZone'];
const STUDIO_KEYS = ['areaSqm', 'capacity', 'equipment', 'hourlyRateFen', 'id', 'name', 'photos', 'scenes'];
const LIST_KEYS = ['address', 'cover', 'id', 'name', 'studios', 'theme'];
/** Keys no public answer may carry: leases and rents, bookings and bookers, money, maintenance and its reasons, attendees, licences. */
const PRIVATE_KEY = /lease|rent|book|revenue|gmv|income|balance|price(?!Fen)|charge|refund|withdraw|maintenance|reason|attendee|licen|member|orgId|isPublic|streamer/i;

/** Every key of a JSON value, nested. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  return into;
}

function refused(res: TestResponse, status: number, code: string) {
  expect(res.errorCode, res.body).toBe(code);
  expect(res.status).toBe(status);
}

/** A display URL of an uploaded photo, and its thumbnail beside it. */
const UPLOADED = /^\/media\/bases\/[0-9a-f-]{36}\/display\.webp$/;
const THUMB = /^\/media\/bases\/[0-9a-f-]{36}\/thumb\.webp$/;

describeEachDatabase(
  'bases: the public page',
  ({ server }) => {
    const anonymous = () => server().client();
    const demoBaseId = async () => (await server().database.db.selectFrom('organisations').select('id').where('name', '=', '虹桥直播电商基地').executeTakeFirstOrThrow()).id;

    it('the demo base’s page answers a visitor who is not logged in: its profile, photos, public studios with their prices and photos, tenants, upcoming events and figures', async () => {
      const baseId = await demoBaseId();
      const visitor = anonymous();
      const res = await visitor.get(`/api/public/bases/${baseId}`);
      expect(res.status, res.body).toBe(200);
      const base: PublicBase = res.json().base;
      expect(Object.keys(base).sort()).toEqual(PAGE_KEYS);
      expect(base).toMatchObject({ id: baseId, name: '虹桥直播电商基地', theme: '食品 · 美妆 · 家居直播电商', areaSqm: 32_000, address: '上海市闵行区申长路 988 弄 虹桥直播产业园', opensAt: '09:00', closesAt: '23:00', timeZone: 'Asia/Shanghai', freeCancelHours: 24, cancelFeeBps: 5000 });
      expect(base.description).toContain('直播间');

      // Three uploaded photos on the profile, as the photos API gives them; the renditions load without a login.
      expect(base.photos).toHaveLength(3);
      for (const photo of base.photos) {
        expect(photo.url).toMatch(UPLOADED);
        expect(photo.thumbUrl).toBe(photo.url.replace('display.webp', 'thumb.webp'));
        expect(photo.width).toBeGreaterThan(0);
      }
      const thumb = await visitor.get(base.photos[0]!.thumbUrl);
      expect(thumb.status).toBe(200);
      expect(thumb.raw.headers['content-type']).toBe('image/webp');

      // The seven public studios, by name; H9 (not public) is not shown.
      expect(base.studios.map((s) => s.name)).toEqual(['A1 美妆直播间', 'B2 食品厨房直播间', 'C3 绿幕直播间', 'D5 家居实景直播间', 'E6 服饰 T 台直播间', 'F7 珠宝鉴赏直播间', 'G8 助农直播间']);
      for (const studio of base.studios) expect(Object.keys(studio).sort()).toEqual(STUDIO_KEYS);
      const a1 = base.studios[0]!;
      expect(a1).toMatchObject({ areaSqm: 36, capacity: 6, hourlyRateFen: 30_000, scenes: ['美妆台', '白色简约'], equipment: ['4K 摄像机 ×2', '环形补光灯', '提词器', '声卡与领夹麦'] });
      expect(a1.photos).toHaveLength(1);
      expect(a1.photos[0]!.thumbUrl).toMatch(THUMB);
      expect(base.studios.filter((s) => s.photos.length).map((s) => s.name)).toEqual(['A1 美妆直播间', 'B2 食品厨房直播间', 'C3 绿幕直播间']);

      // Tenants whose lease covers today (the one that ended is not listed) and that count as resident firms (self-declared,
      // or confirmed by their organisation: not the 实训点 waiting for 海上学院's confirmation), names and kinds only, each
      // marked confirmed (已确认) or self-declared by the base (基地自填): the demo shows both.
      const today = new Date(server().clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      const current = await server().database.db.selectFrom('base_tenants').select(['name', 'kind', 'org_id']).where('base_org_id', '=', baseId).where('lease_start', '<=', today).where('lease_end', '>=', today).where((eb) => eb.or([eb('org_id', 'is', null), eb('org_status', '=', 'confirmed')])).orderBy('kind').orderBy('name').execute();
      expect(base.tenants).toEqual(current.map((t) => ({ name: t.name, kind: t.kind, confirmation: t.org_id ? 'confirmed' : 'self_declared' })));
      expect(base.tenants.find((t) => t.name === '星火互娱 MCN')?.confirmation).toBe('confirmed');
      expect(base.tenants.find((t) => t.name === '蓝海直播')?.confirmation).toBe('self_declared');
      expect(base.tenants.map((t) => t.name)).not.toContain('海上直播电商学院（实训点）');
      expect(base.tenants.length).toBeGreaterThan(5);
      expect(base.tenants.map((t) => t.name)).toContain('星火互娱 MCN');
      expect(base.tenants.map((t) => t.name)).not.toContain('旧城电商（已退租）');

      // The two events ahead, soonest first; those held already are not listed.
      expect(base.events.map((e) => e.title)).toEqual(['品牌直播招商对接会', '直播基地开放日']);
      expect(base.events.every((e) => Date.parse(e.heldAt) > server().clock.now().getTime())).toBe(true);

      // Seven public studios; the demo's lives of the last 30 days were held in its studios.
      expect(base.figures.studios).toBe(7);
      expect(base.figures.livesLast30Days).toBeGreaterThan(0);

      // Nothing private: no key of a lease, a booking, money or a reason, and none of their values.
      expect([...keysOf(base)].filter((k) => PRIVATE_KEY.test(k))).toEqual([]);
      for (const secret of ['绿幕更换与灯光检修', '旧城电商', 'H9 VIP', '德兴斋', '玉兰凝肌', '小林说吃', '阿May', '长期合作品牌', '灯光故障', '上海虹桥直播产业园管理有限公司', '91310112MA1GBD3456', '年货节直播选品对接会']) {
        expect(res.body).not.toContain(secret);
      }

      // A logged-in user reads the same page.
      const someone = server().client();
      await someone.register(`visitor-${tag()}@example.com`);
      expect((await someone.get(`/api/public/bases/${baseId}`)).json()).toEqual(res.json());
    });

    it('the list of bases answers a visitor who is not logged in: approved bases with their cover and public studios', async () => {
      const baseId = await demoBaseId();
      const res = await anonymous().get('/api/public/bases');
      expect(res.status, res.body).toBe(200);
      const bases: ListedBase[] = res.json().bases;
      const demo = bases.find((b) => b.id === baseId)!;
      expect(Object.keys(demo).sort()).toEqual(LIST_KEYS);
      expect(demo).toMatchObject({ name: '虹桥直播电商基地', theme: '食品 · 美妆 · 家居直播电商', address: '上海市闵行区申长路 988 弄 虹桥直播产业园', studios: 7 });
      // The cover is the profile's first photo.
      const first = (await anonymous().get(`/api/public/bases/${baseId}`)).json().base.photos[0] as Photo;
      expect(demo.cover).toEqual(first);
      expect(demo.cover!.thumbUrl).toMatch(THUMB);
      expect([...keysOf(bases)].filter((k) => PRIVATE_KEY.test(k))).toEqual([]);
    });

    let fixture: BaseFixture;
    it('a base of its own: only public studios (capacity 0 shown as none), tenants in their lease, events ahead, and the lives held in the last 30 days (no practice live, none older)', async () => {
      fixture = await baseWithStudio(server());
      const { owner, orgId } = fixture;
      const post = async (url: string, body: Record<string, unknown>) => {
        const res = await owner.post(url, body);
        expect(res.status, res.body).toBe(201);
        return res.json();
      };
      await post(`/api/orgs/${orgId}/studios`, { name: 'B2 开放直播间', areaSqm: 20, hourlyRateFen: 12_345 });
      await post(`/api/orgs/${orgId}/studios`, { name: 'Z9 内部直播间', areaSqm: 20, hourlyRateFen: 99_900, isPublic: false });
      await post(`/api/orgs/${orgId}/studios/${fixture.studioId}/maintenance`, { startsAt: local('2026-12-02', '09:00'), endsAt: local('2026-12-02', '12:00'), reason: '秘密的维护原因' });
      await post(`/api/orgs/${orgId}/base/tenants`, { name: '在租机构', kind: 'mcn', leaseStart: '2026-01-01', leaseEnd: '2027-12-31', areaSqm: 100, monthlyRentFen: 7_654_321 });
      await post(`/api/orgs/${orgId}/base/tenants`, { name: '已退租机构', kind: 'service', leaseStart: '2025-01-01', leaseEnd: '2026-11-25' });
      await post(`/api/orgs/${orgId}/base/tenants`, { name: '明年入驻机构', kind: 'platform', leaseStart: '2026-11-27', leaseEnd: '2027-11-26' });
      await post(`/api/orgs/${orgId}/base/events`, { title: '已办活动', heldAt: local('2026-11-20', '14:00'), attendees: 77 });
      await post(`/api/orgs/${orgId}/base/events`, { title: '后天的活动', heldAt: local('2026-11-28', '14:00'), attendees: 5 });
      await post(`/api/orgs/${orgId}/base/events`, { title: '明天的活动', heldAt: local('2026-11-27', '10:00') });

      // A verified streamer books a studio for herself and schedules four lives in it: one held 10 days ago, one 40
      // days ago, one a practice live held 5 days ago (started_at as the media server records it), one not held.
      const s = await streamer(server());
      const booking = await s.client.post(`/api/bases/${orgId}/studios/${fixture.studioId}/bookings`, { startsAt: local('2026-11-29', '19:00'), endsAt: local('2026-11-29', '22:00'), title: '私人专场标题' });
      expect(booking.status, booking.body).toBe(201);
      const bookingId = booking.json().booking.id as string;
      const lives: string[] = [];
      for (const hhmm of ['19:00', '19:30', '20:00', '20:30']) {
        const res = await s.client.post(`/api/studio-bookings/${bookingId}/live-sessions`, { title: `直播 ${hhmm}`, scheduledAt: local('2026-11-29', hhmm) });
        expect(res.status, res.body).toBe(201);
        lives.push(res.json().session.id);
      }
      const now = server().clock.now().getTime();
      await holdLive(server(), lives[0]!, new Date(now - 10 * DAY).toISOString(), 60);
      await holdLive(server(), lives[1]!, new Date(now - 40 * DAY).toISOString(), 60);
      await holdLive(server(), lives[2]!, new Date(now - 5 * DAY).toISOString(), 60);
      await server().database.db.updateTable('live_sessions').set({ mode: 'practice' }).where('id', '=', lives[2]!).execute();

      const res = await anonymous().get(`/api/public/bases/${orgId}`);
      expect(res.status, res.body).toBe(200);
      const base: PublicBase = res.json().base;
      expect(base).toMatchObject({ id: orgId, theme: '食品美妆', areaSqm: 12_000, address: '上海市闵行区申长路 1 号', photos: [] });
      expect(base.studios).toEqual([
        { id: fixture.studioId, name: 'A1 美妆直播间', areaSqm: 36, scenes: ['美妆台'], equipment: ['4K 摄像机 ×2', '环形补光灯', '绿幕', '提词器'], capacity: 6, hourlyRateFen: 30_000, photos: [] },
        { id: expect.any(String), name: 'B2 开放直播间', areaSqm: 20, scenes: [], equipment: [], capacity: null, hourlyRateFen: 12_345, photos: [] },
      ]);
      expect(base.tenants).toEqual([{ name: '在租机构', kind: 'mcn', confirmation: 'self_declared' }]);
      expect(base.events.map((e) => [e.title, e.heldAt])).toEqual([
        ['明天的活动', local('2026-11-27', '10:00')],
        ['后天的活动', local('2026-11-28', '14:00')],
      ]);
      expect(base.figures).toEqual({ studios: 2, livesLast30Days: 1 });
      expect([...keysOf(base)].filter((k) => PRIVATE_KEY.test(k))).toEqual([]);
      for (const secret of ['Z9', '99900', '秘密的维护原因', '7654321', '已退租机构', '明年入驻机构', '已办活动', '私人专场标题', '直播 19:00', s.id]) expect(res.body).not.toContain(secret);

      // In the list: two public studios, no cover yet.
      const listed = ((await anonymous().get('/api/public/bases')).json().bases as ListedBase[]).find((b) => b.id === orgId);
      expect(listed).toEqual({ id: orgId, name: expect.stringMatching(/^虹桥基地/), theme: '食品美妆', address: '上海市闵行区申长路 1 号', cover: null, studios: 2 });
    });

    it('a base not approved, an organisation of another kind and an unknown id are BASE_NOT_FOUND (404); an id that is not a UUID is refused by the schema (400)', async () => {
      const owner = server().client();
      await owner.register(`pending-base-${tag()}@example.com`);
      const pending = (await owner.post('/api/orgs', { kind: 'base', name: `待审基地${tag()}` })).json().org.id as string;
      const rejected = (await owner.post('/api/orgs', { kind: 'base', name: `驳回基地${tag()}` })).json().org.id as string;
      const op = await operator(server());
      expect((await op.client.post(`/api/admin/orgs/${rejected}/review`, { decision: 'reject', reason: '资质不全' })).status).toBe(200);
      const brand = (await owner.post('/api/orgs', { kind: 'brand', name: `品牌${tag()}` })).json().org.id as string;
      expect((await op.client.post(`/api/admin/orgs/${brand}/review`, { decision: 'approve' })).status).toBe(200);

      for (const id of [pending, rejected, brand, newId()]) refused(await anonymous().get(`/api/public/bases/${id}`), 404, 'BASE_NOT_FOUND');
      // Its owner is refused too: the public page is the approved base's only.
      refused(await owner.get(`/api/public/bases/${pending}`), 404, 'BASE_NOT_FOUND');
      const en = await server().client({ locale: 'en' }).get(`/api/public/bases/${pending}`);
      expect(en.json().error.message).toBe('Live-streaming base not found');
      const zh = await anonymous().get(`/api/public/bases/${pending}`);
      expect(zh.json().error.message).toBe('直播基地不存在');

      const listed = (await anonymous().get('/api/public/bases')).json().bases as ListedBase[];
      expect(listed.map((b) => b.id)).not.toContain(pending);
      expect(listed.map((b) => b.id)).not.toContain(rejected);
      expect(listed.map((b) => b.id)).not.toContain(brand);
      expect(listed.map((b) => b.id)).toContain(fixture.orgId);

      for (const bad of ['not-a-uuid', '12345', `${fixture.orgId}x`]) {
        const res = await anonymous().get(`/api/public/bases/${bad}`);
        refused(res, 400, 'VALIDATION_FAILED');
        expect(res.json().error.fields).toContainEqual(expect.objectContaining({ path: 'baseId' }));
      }
    });
  },
  { demo: true, timeoutMs: 120_000 },
);
