// Link previews (docs/PREVIEWS.md): index.html answered for a live room, a base's public page or a certificate's
// verification page carries that page's <title>, description, Open Graph and twitter:card tags, escaped, with
// absolute URLs; an unknown, private or bad id gets the plain index.html. On SQLite and PostgreSQL, with the demo.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../server/platform/ids.ts';
import { createPreviews } from '../server/previews/index.ts';
import { escapeHtml, injectHead } from '../server/previews/html.ts';
import type { Db } from '../server/platform/db.ts';
import type { FastifyRequest } from 'fastify';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator, streamer } from './helpers/people.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const HOST = 'zhibo.example';
const ORIGIN = `http://${HOST}`;

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The page's <title> and its meta tags (name or property → content), unescaped as a browser reads them. */
function headOf(html: string) {
  const titles = [...html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => unescape(m[1]!));
  const meta = new Map([...html.matchAll(/<meta (?:name|property)="([^"]+)" content="([^"]*)" \/>/g)].map((m) => [m[1]!, unescape(m[2]!)]));
  return { title: titles.length === 1 ? titles[0]! : titles, meta: (key: string) => meta.get(key) };
}

async function page(server: TestServer, url: string, headers: Record<string, string> = {}) {
  const res = await server.app.inject({ method: 'GET', url, headers: { host: HOST, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  return res.body;
}

describeEachDatabase(
  'link previews',
  ({ server }) => {
    const db = () => server().database.db;
    let plain = '';
    /** index.html as built: a preview changes its <title> and nothing else. */
    const expectOnlyTitleReplaced = (html: string) => {
      const start = plain.indexOf('<title>');
      const end = plain.indexOf('</title>') + '</title>'.length;
      expect(html.startsWith(plain.slice(0, start))).toBe(true);
      expect(html.endsWith(plain.slice(end))).toBe(true);
      expect(html).not.toBe(plain);
    };
    const liveId = async (title: string) => (await db().selectFrom('live_sessions').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id;
    const orgId = async (name: string) => (await db().selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

    it('the plain index.html is what the SPA served before', async () => {
      plain = await page(server(), '/');
      expect(headOf(plain).title).toBe('Zhibo 直播');
      expect(headOf(plain).meta('og:title')).toBeUndefined();
    });

    it('the demo live room: its title, status with the start in Beijing time, streamer, absolute og:url and og:image', async () => {
      const id = await liveId('老字号鲜肉月饼现烤直播：新品首发');
      const html = await page(server(), `/watch/${id}?tech=hls`);
      expectOnlyTitleReplaced(html);
      const head = headOf(html);
      expect(head.title).toBe('老字号鲜肉月饼现烤直播：新品首发 - 直播');
      expect(head.meta('og:title')).toBe('老字号鲜肉月饼现烤直播：新品首发');
      // Scheduled two hours after the demo's 16:00 in Shanghai.
      expect(head.meta('description')).toBe('预告 · 11月26日 18:00（北京时间）开播 · 主播：小林说吃');
      expect(head.meta('og:description')).toBe(head.meta('description'));
      expect(head.meta('og:url')).toBe(`${ORIGIN}/watch/${id}`);
      // No cover: the app's icon, absolute.
      expect(head.meta('og:image')).toBe(`${ORIGIN}/icons/icon-512.png`);
      expect(head.meta('og:type')).toBe('video.other');
      expect(head.meta('og:site_name')).toBe('直播');
      expect(head.meta('og:locale')).toBe('zh_CN');
      expect(head.meta('twitter:card')).toBe('summary');
    });

    it('an ended live with a cover: 已结束, the cover absolute on the request’s origin; X-Forwarded-* ignored without TRUST_PROXY', async () => {
      const id = await liveId('阿May的换季家居好物分享（回放）');
      await db().updateTable('live_sessions').set({ cover_url: `/media/covers/${id}-0a1b2c.jpg` }).where('id', '=', id).execute();
      const html = await page(server(), `/watch/${id}`, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
      const head = headOf(html);
      expect(head.meta('description')).toBe('已结束 · 主播：阿May美妆');
      expect(head.meta('og:image')).toBe(`${ORIGIN}/media/covers/${id}-0a1b2c.jpg`);
      expect(head.meta('og:url')).toBe(`${ORIGIN}/watch/${id}`);
      expect(head.meta('twitter:card')).toBe('summary_large_image');
    });

    it('the demo base’s public page: name, theme, address and its cover photo, absolute', async () => {
      const baseId = await orgId('虹桥直播电商基地');
      const profile = await db().selectFrom('base_profiles').select(['theme', 'address', 'photos']).where('org_id', '=', baseId).executeTakeFirstOrThrow();
      const cover = (JSON.parse(profile.photos) as string[])[0]!;
      expect(cover).toMatch(/^\/media\/bases\/[0-9a-f-]{36}\/display\.webp$/);
      const html = await page(server(), `/bases/${baseId}`);
      expectOnlyTitleReplaced(html);
      const head = headOf(html);
      expect(head.title).toBe('虹桥直播电商基地 - 直播');
      expect(head.meta('og:title')).toBe('虹桥直播电商基地');
      expect(head.meta('description')!.startsWith(`${profile.theme} · ${profile.address}`)).toBe(true);
      expect(head.meta('og:image')).toBe(`${ORIGIN}${cover}`);
      expect(head.meta('og:url')).toBe(`${ORIGIN}/bases/${baseId}`);
      expect(head.meta('og:type')).toBe('website');
      expect(head.meta('twitter:card')).toBe('summary_large_image');
    });

    it('a demo certificate’s verification page (with its code): holder, job and level, centre; no code, a wrong code or a forged number: the plain page', async () => {
      const cert = await server().services.training.store.db.selectFrom('training_certificates').selectAll().where('job', '=', 'seller').where('level', '=', 5).orderBy('number').executeTakeFirstOrThrow();
      const url = `/certificates/${encodeURIComponent(cert.number)}?code=${encodeURIComponent(cert.code)}`;
      const head = headOf(await page(server(), url));
      expect(head.title).toBe(`证书验证：${cert.number} - 直播`);
      expect(head.meta('description')).toBe(`证书真实有效 · 持证人：${cert.holder_name} · 职业（工种）与等级：直播销售员 · 五级 · 培训机构：${cert.org_name}`);
      expect(head.meta('og:url')).toBe(`${ORIGIN}${url}`);
      expect(head.meta('og:image')).toBe(`${ORIGIN}/icons/icon-512.png`);
      // Nothing the page does not show: no scores in the preview (they are on the page only once opened).
      expect(head.meta('description')).not.toContain(String(cert.theory_score));
      expect(await page(server(), `/certificates/${cert.number}`)).toBe(plain);
      expect(await page(server(), `/certificates/${cert.number}?code=${cert.code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`)).toBe(plain);
      expect(await page(server(), `/certificates/ZB-2026-999999?code=${cert.code}`)).toBe(plain);
      expect(await page(server(), `/certificates/${'x'.repeat(80)}?code=${cert.code}`)).toBe(plain);
    });

    it('a hostile live title comes out as inert text in every tag', async () => {
      const { id: streamerId } = await streamer(server());
      const hostile = `"><script>alert(1)</script><title>$' $& $1 </title> & '`;
      const id = newId();
      const at = server().clock.now().toISOString();
      await db().insertInto('live_sessions').values({ id, streamer_id: streamerId, brand_org_id: null, title: hostile, description: '<img src=x onerror=alert(2)>', cover_url: null, status: 'live', scheduled_at: at, started_at: at, ended_at: null, created_at: at }).execute();
      const html = await page(server(), `/watch/${id}`);
      expectOnlyTitleReplaced(html);
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('<img src=x');
      expect(html.match(/<title>/g)).toHaveLength(1);
      const head = headOf(html);
      expect(head.meta('og:title')).toBe(hostile);
      expect(head.title).toBe(`${hostile} - 直播`);
      expect(head.meta('description')).toMatch(/^直播中 · 主播：.+ · <img src=x onerror=alert\(2\)>$/);
      expect(html).toContain(escapeHtml(hostile));
    });

    it('unknown, bad or private ids get the plain index.html, status 200', async () => {
      const practice = await db().selectFrom('live_sessions').select('id').where('mode', '=', 'practice').executeTakeFirstOrThrow();
      const brand = await orgId('德兴斋');
      const { id: ownerId } = await operator(server());
      const pending = await server().services.orgs.create(ownerId, { kind: 'base', name: '待审核的基地', description: '' });
      for (const url of [
        '/watch/not-a-uuid',
        `/watch/${newId()}`,
        `/watch/${practice.id}`,
        `/watch/${practice.id.toUpperCase()}`,
        `/bases/${newId()}`,
        `/bases/${pending.id}`,
        `/bases/${brand}`,
        "/bases/1'%20or%20'1'='1",
      ]) {
        expect(await page(server(), url), url).toBe(plain);
      }
    });

    it('English words for the fixed parts when Accept-Language prefers English', async () => {
      const id = await liveId('老字号鲜肉月饼现烤直播：新品首发');
      const head = headOf(await page(server(), `/watch/${id}`, { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' }));
      expect(head.title).toBe('老字号鲜肉月饼现烤直播：新品首发 - Zhibo');
      expect(head.meta('description')).toBe('Upcoming · starts 26 Nov, 18:00 (Beijing time) · Streamer: 小林说吃');
      expect(head.meta('og:site_name')).toBe('Zhibo');
      expect(head.meta('og:locale')).toBe('en_US');
      const cert = await server().services.training.store.db.selectFrom('training_certificates').selectAll().where('job', '=', 'seller').where('level', '=', 5).orderBy('number').executeTakeFirstOrThrow();
      const certHead = headOf(await page(server(), `/certificates/${cert.number}?code=${cert.code}`, { 'accept-language': 'en' }));
      expect(certHead.meta('description')).toBe(`This certificate is genuine · Holder: ${cert.holder_name} · Job type and level: Live seller · Level 5 · Training centre: ${cert.org_name}`);
    });

    it('a link fetcher asking for */* (or nothing) gets the preview too; an unknown page still answers it 404 as before', async () => {
      const id = await liveId('德兴斋蝴蝶酥工厂溯源专场');
      for (const accept of ['*/*', undefined]) {
        const res = await server().app.inject({ method: 'GET', url: `/watch/${id}`, headers: { host: HOST, ...(accept && { accept }) } });
        expect(res.statusCode).toBe(200);
        expect(headOf(res.body).meta('og:title')).toBe('德兴斋蝴蝶酥工厂溯源专场');
      }
      const unknown = await server().app.inject({ method: 'GET', url: `/watch/${newId()}`, headers: { host: HOST, accept: '*/*' } });
      expect(unknown.statusCode).toBe(404);
      const json = await server().app.inject({ method: 'GET', url: `/watch/${id}`, headers: { host: HOST, accept: 'application/json' } });
      expect(json.statusCode).toBe(404);
      // A fetcher that asks HEAD first gets 200 and the page's type, not a 404 that makes it give up.
      for (const accept of ['*/*', 'text/html']) {
        const head = await server().app.inject({ method: 'HEAD', url: `/watch/${id}`, headers: { host: HOST, accept } });
        expect(head.statusCode, accept).toBe(200);
        expect(head.headers['content-type'], accept).toContain('text/html');
        expect(head.body, accept).toBe('');
      }
    });

    it('a preview is kept a while (30 s): a crawler storm does not read the database per request', async () => {
      const { id: ownerId } = await operator(server());
      const base = await server().services.orgs.create(ownerId, { kind: 'base', name: '浦江直播基地', description: '滨江直播园区' });
      await server().services.orgs.review(base.id, 'approve', undefined, ownerId);
      const first = await Promise.all(Array.from({ length: 20 }, () => page(server(), `/bases/${base.id}`)));
      expect(new Set(first).size).toBe(1);
      expect(headOf(first[0]!).meta('description')).toBe('滨江直播园区');
      await db().updateTable('organisations').set({ name: '改名后的基地' }).where('id', '=', base.id).execute();
      expect(headOf(await page(server(), `/bases/${base.id}`)).meta('og:title')).toBe('浦江直播基地');
    });
  },
  { demo: true },
);

describe('link previews behind a proxy and when reads fail', () => {
  it('with TRUST_PROXY the origin is the forwarded scheme and host', async () => {
    const server = await startTestServer({ dialect: 'sqlite', env: { TRUST_PROXY: 'true' } });
    try {
      const { id: streamerId } = await streamer(server);
      const id = newId();
      const at = server.clock.now().toISOString();
      await server.database.db.insertInto('live_sessions').values({ id, streamer_id: streamerId, brand_org_id: null, title: '代理后的直播', cover_url: '/media/covers/c.png', status: 'scheduled', scheduled_at: at, started_at: null, ended_at: null, created_at: at }).execute();
      const head = headOf(await page(server, `/watch/${id}`, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'live.zhibo.example' }));
      expect(head.meta('og:url')).toBe(`https://live.zhibo.example/watch/${id}`);
      expect(head.meta('og:image')).toBe('https://live.zhibo.example/media/covers/c.png');
      // A forwarded scheme other than https is http, never javascript: or the like.
      const odd = headOf(await page(server, `/watch/${id}`, { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'live.zhibo.example' }));
      expect(odd.meta('og:url')).toBe(`http://live.zhibo.example/watch/${id}`);
      // A Host unfit for a URL: the plain page.
      const bad = await server.app.inject({ method: 'GET', url: `/watch/${id}`, headers: { accept: 'text/html', 'x-forwarded-host': 'a.example"><b>' } });
      expect(bad.statusCode).toBe(200);
      expect(headOf(bad.body).title).toBe('Zhibo 直播');
    } finally {
      await server.close();
    }
  });

  it('a database that fails gives the plain page (no error page), and the failure is not kept', async () => {
    let fail = true;
    const warnings: unknown[] = [];
    const db = {
      selectFrom: () => {
        if (fail) throw new Error('database away');
        return { innerJoin: () => ({ select: () => ({ where: () => ({ where: () => ({ executeTakeFirst: async () => ({ title: '恢复了', description: '', status: 'ended', scheduled_at: '2026-11-26T08:00:00Z', cover_url: null, display_name: '主播' }) }) }) }) }) };
      },
    } as unknown as Db;
    const previews = createPreviews({ db, certificates: { verify: async () => Promise.reject(new Error('unused')) }, distDir: path.join(import.meta.dirname, '..', 'web', 'dist') });
    const request = { url: `/watch/${newId()}`, host: HOST, protocol: 'http', locale: 'zh-CN', log: { warn: (...args: unknown[]) => warnings.push(args) } } as unknown as FastifyRequest;
    expect(await previews.htmlFor(request)).toBeNull();
    expect(warnings).toHaveLength(1);
    fail = false;
    expect(headOf((await previews.htmlFor(request))!).meta('og:title')).toBe('恢复了');
  });

  it('the head goes in place of <title>, or before </head>; replacement patterns stay text', () => {
    expect(injectHead('<head><title>x</title></head>', "<title>$' $&</title>")).toBe("<head><title>$' $&</title></head>");
    expect(injectHead('<head></head>', '<title>t</title>')).toBe('<head><title>t</title>\n  </head>');
    expect(injectHead('<p>no head</p>', '<title>t</title>')).toBeNull();
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
