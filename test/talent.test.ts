// The talent catalogue and the commission's portal (docs/TALENT.md), on SQLite and PostgreSQL, over
// the demo: eligibility with its evidence, nominations refused when not eligible or not the
// organisation's (nothing stored), operator review with the criteria checked again, the catalogue's
// CSV, bases' programme applications, and the commission reading everything and refused on writes.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { newId } from '../server/platform/ids.ts';
import { createTalentStore } from '../server/talent/store.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestServer } from './helpers/server.ts';

type Key = keyof typeof DEMO_ACCOUNTS;

async function signIn(server: TestServer, key: Key) {
  const client = server.client();
  const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
  const memberships = (await client.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[];
  return { client, userId: user.id, orgId: memberships[0]?.org.id as string };
}

async function snapshot(server: TestServer) {
  const db = createTalentStore(server.database.db).db;
  return JSON.stringify(
    await Promise.all([
      db.selectFrom('talent_nominations').selectAll().orderBy('id').execute(),
      db.selectFrom('base_applications').selectAll().orderBy('id').execute(),
      db.selectFrom('talent_criteria').selectAll().execute(),
      db.selectFrom('organisations').select(['id', 'status']).orderBy('id').execute(),
      db.selectFrom('streamer_profiles').select(['user_id', 'status']).orderBy('user_id').execute(),
    ]),
  );
}

/** A live of the streamer cut off by an operator for a violation, ended `daysAgo` days ago. */
async function cutOff(server: TestServer, streamerId: string, operatorId: string, daysAgo = 10) {
  const at = new Date(server.clock.now().getTime() - daysAgo * 86_400_000).toISOString();
  const id = newId();
  await server.database.db
    .insertInto('live_sessions')
    .values({ id, streamer_id: streamerId, brand_org_id: null, title: '违规直播', cover_url: null, status: 'ended', scheduled_at: at, started_at: at, ended_at: at, created_at: at, ended_reason: 'cut_off', cut_off_by: operatorId, cut_off_reason: '虚假宣传' })
    .execute();
  return id;
}

describeEachDatabase(
  'talent catalogue and commission portal',
  ({ server }) => {
    it('checks a centre’s certified trainee against the criteria, with the evidence', async () => {
      const centre = await signIn(server(), 'training');
      const food = await server().client().login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
      const answer = (await centre.client.get(`/api/orgs/${centre.orgId}/talent/candidates`)).json();
      expect(answer.criteria).toMatchObject({ minLevels: { seller: 5 }, minGmvFen: 100_000, windowDays: 365, maxViolations: 0 });
      const her = answer.candidates.find((c: { streamer: { id: string } }) => c.streamer.id === food.id);
      expect(her).toMatchObject({ eligible: true, streamer: { displayName: '小林说吃', verification: 'approved' }, violations: [] });
      expect(her.certificates[0]).toMatchObject({ job: 'seller', level: 5, meets: true });
      expect(her.certificates[0].number).toMatch(/^ZB-\d{4}-\d{6}$/);
      expect(her.certificates[0].verifyPath).toMatch(/^\/certificates\/ZB-.+\?code=/);
      // The certificate's link verifies.
      const [path, query] = (her.certificates[0].verifyPath as string).split('?');
      expect((await server().client().get(`/api/certificates/${path!.split('/').pop()}/verify?${query}`)).json().valid).toBe(true);
      expect(her.gmv.netFen).toBeGreaterThanOrEqual(100_000);
      expect(her.gmv.netFen).toBe(her.gmv.paidFen - her.gmv.refundedFen);
      expect(her.gmv.lives.length).toBeGreaterThan(0);
      expect(her.checks.map((c: { criterion: string; met: boolean }) => [c.criterion, c.met])).toEqual([['verified', true], ['certificate', true], ['gmv', true], ['violations', true]]);
      // The demo nominated her and the operator approved: she is in the catalogue.
      expect(her.nomination).toMatchObject({ status: 'approved', orgId: centre.orgId });
      const catalogue = (await centre.client.get('/api/talent/catalogue')).json().talent;
      expect(catalogue.map((x: { streamer: { displayName: string } }) => x.streamer.displayName)).toEqual(['小林说吃']);
      expect(catalogue[0].evidence.certificates[0].number).toBe(her.certificates[0].number);
    });

    it('refuses nominating a streamer who does not meet the criteria, or is not the organisation’s, and stores nothing', async () => {
      const mcn = await signIn(server(), 'mcn');
      const centre = await signIn(server(), 'training');
      const beauty = await server().client().login(DEMO_ACCOUNTS.streamerBeauty.login, DEMO_PASSWORD);
      const outsider = await server().client().register(`outsider-${newId()}@example.com`);
      const before = await snapshot(server());
      // 阿May美妆 is signed to the MCN but holds no certificate yet.
      const refused = await mcn.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: beauty.id });
      expect(refused.status).toBe(422);
      expect(refused.errorCode).toBe('TALENT_NOT_ELIGIBLE');
      const failing = refused.json().error.fields as { path: string; code: string; message: string }[];
      expect(failing.map((f) => f.path)).toContain('certificate');
      expect(failing.find((f) => f.path === 'certificate')).toMatchObject({ code: 'TALENT_CERTIFICATE', message: expect.stringContaining('直播销售员五级及以上') });
      // The centre enrolled her but has not certified her; nobody knows the outsider.
      expect((await centre.client.post(`/api/orgs/${centre.orgId}/talent/nominations`, { streamerId: beauty.id })).errorCode).toBe('TALENT_NOT_YOURS');
      expect((await mcn.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: outsider.id })).errorCode).toBe('TALENT_NOT_YOURS');
      // A brand cannot nominate at all; a viewer is no member.
      const brand = await signIn(server(), 'foodBrand');
      expect((await brand.client.post(`/api/orgs/${brand.orgId}/talent/nominations`, { streamerId: beauty.id })).errorCode).toBe('ORG_WRONG_KIND');
      const viewer = await signIn(server(), 'viewer');
      expect((await viewer.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: beauty.id })).errorCode).toBe('FORBIDDEN');
      // 小林说吃 is already listed.
      const food = await server().client().login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
      expect((await mcn.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: food.id })).errorCode).toBe('TALENT_ALREADY_NOMINATED');
      expect(await snapshot(server())).toBe(before);
    });

    it('an operator approves with the criteria checked again; a violation in the window fails them', async () => {
      const mcn = await signIn(server(), 'mcn');
      const operator = await signIn(server(), 'operator');
      const food = await server().client().login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
      const store = createTalentStore(server().database.db);
      // Start over for 小林说吃: the MCN nominates her this time (with a note a spreadsheet would run).
      await store.db.deleteFrom('talent_nominations').where('streamer_id', '=', food.id).execute();
      const created = await mcn.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: food.id, note: '=HYPERLINK("http://evil.example")' });
      expect(created.status).toBe(201);
      const nomination = created.json().nomination;
      expect(nomination).toMatchObject({ status: 'pending', org: { id: mcn.orgId, kind: 'mcn' }, evidence: { eligible: true } });
      expect((await operator.client.get('/api/admin/talent/nominations?status=pending')).json().nominations.map((n: { id: string }) => n.id)).toEqual([nomination.id]);
      expect((await mcn.client.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: food.id })).errorCode).toBe('TALENT_ALREADY_NOMINATED');

      // A live cut off 10 days ago: approval is refused, the nomination stays pending.
      const liveId = await cutOff(server(), food.id, operator.userId);
      const refused = await operator.client.post(`/api/admin/talent/nominations/${nomination.id}/review`, { decision: 'approve' });
      expect(refused.errorCode).toBe('TALENT_NOT_ELIGIBLE');
      expect(refused.json().error.fields).toEqual([expect.objectContaining({ path: 'violations', code: 'TALENT_VIOLATIONS' })]);
      expect((await store.nomination(nomination.id))!.status).toBe('pending');
      // A cut-off older than the window does not count.
      await server().database.db.updateTable('live_sessions').set({ ended_at: new Date(server().clock.now().getTime() - 400 * 86_400_000).toISOString() }).where('id', '=', liveId).execute();

      expect((await mcn.client.post(`/api/admin/talent/nominations/${nomination.id}/review`, { decision: 'approve' })).errorCode).toBe('FORBIDDEN');
      const approved = await operator.client.post(`/api/admin/talent/nominations/${nomination.id}/review`, { decision: 'approve', reason: '符合条件' });
      expect(approved.json().nomination).toMatchObject({ status: 'approved', reviewReason: '符合条件', evidence: { eligible: true, violations: [] } });
      expect((await operator.client.post(`/api/admin/talent/nominations/${nomination.id}/review`, { decision: 'reject' })).errorCode).toBe('REVIEW_ALREADY_DECIDED');

      // The catalogue as CSV: BOM, CRLF, yuan, the certificate's absolute link, and the note made harmless.
      const csv = await mcn.client.get('/api/talent/catalogue?format=csv');
      expect(csv.raw.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.body.startsWith('\uFEFF主播,推荐机构')).toBe(true);
      const row = csv.body.split('\r\n')[1]!;
      expect(row).toContain('小林说吃');
      expect(row).toContain('星火互娱 MCN');
      // The organisation's kind in words, and times in Beijing time ("2026-12-08 09:48:54"), not ISO UTC.
      expect(row).toContain(',MCN 机构,');
      expect(row).toMatch(/,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/);
      expect(row).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      expect(row).toMatch(/ZB-\d{4}-\d{6} 直播销售员 五级/);
      expect(row).toMatch(/http:\/\/[^ ,]+\/certificates\/ZB-/);
      expect(row).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
      const en = server().client();
      await en.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      expect((await en.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await en.get('/api/talent/catalogue?format=csv')).body.startsWith('\uFEFFStreamer,Nominated by')).toBe(true);
    });

    it('a base applies for a programme with the month’s check as evidence; approval needs every criterion met', async () => {
      const base = await signIn(server(), 'base');
      const operator = await signIn(server(), 'operator');
      const programmes = (await base.client.get('/api/base-programmes')).json().programmes as { id: string; region: string }[];
      const city = programmes.find((p) => p.region === '上海市')!;
      const before = await snapshot(server());
      expect((await base.client.post(`/api/orgs/${base.orgId}/base/applications`, { programmeId: 'nope' })).errorCode).toBe('BASE_PROGRAMME_NOT_FOUND');
      expect((await base.client.post(`/api/orgs/${base.orgId}/base/applications`, { programmeId: city.id, month: '2026-13' })).errorCode).toBe('BASE_MONTH_INVALID');
      // The demo's application for the 闵行区 programme is open.
      const district = programmes.find((p) => p.region === '闵行区')!;
      expect((await base.client.post(`/api/orgs/${base.orgId}/base/applications`, { programmeId: district.id })).errorCode).toBe('BASE_APPLICATION_EXISTS');
      expect(await snapshot(server())).toBe(before);

      const applied = await base.client.post(`/api/orgs/${base.orgId}/base/applications`, { programmeId: city.id, note: '申报市级示范基地' });
      expect(applied.status).toBe(201);
      const application = applied.json().application;
      expect(application.evidence.criteria.map((c: { metric: string }) => c.metric)).toEqual(['public_studios', 'resident_firms', 'events_year', 'monthly_gmv_fen']);
      expect(application.met).toBe(application.evidence.criteria.every((c: { met: boolean }) => c.met));
      const review = await operator.client.post(`/api/admin/base-applications/${application.id}/review`, { decision: 'approve' });
      if (application.met) expect(review.json().application.status).toBe('approved');
      else {
        expect(review.errorCode).toBe('BASE_APPLICATION_UNMET');
        expect(review.json().error.fields.length).toBeGreaterThan(0);
        expect((await operator.client.post(`/api/admin/base-applications/${application.id}/review`, { decision: 'reject', reason: '公共直播间不足' })).json().application.status).toBe('rejected');
      }
      const mine = (await base.client.get(`/api/orgs/${base.orgId}/base/applications`)).json().applications;
      expect(mine.length).toBe(3);
      // The demo's application for last year's programme, retired since: rejected on last November's report, still readable.
      const lastYear = mine.find((a: { programme: { retiredAt: string | null } }) => a.programme.retiredAt);
      expect(lastYear).toMatchObject({ status: 'rejected', met: false, month: '2025-11', programme: { name: '上海市直播电商示范基地（示例）', year: 2025 } });
      expect(lastYear.evidence.criteria).toEqual([
        { metric: 'public_studios', min: 8, value: 7, met: false },
        { metric: 'resident_firms', min: 8, value: 4, met: false },
        { metric: 'events_year', min: 4, value: 0, met: false },
      ]);
    });

    it('the commission reads applications, registries, nominations and exports; every write is refused', async () => {
      const commission = await signIn(server(), 'commission');
      const c = commission.client;
      const applications = (await c.get('/api/commission/base-applications')).json().applications;
      const hongqiao = applications.find((a: { base: { name: string }; programme: { region: string } }) => a.base.name === '虹桥直播电商基地' && a.programme.region === '闵行区');
      expect(hongqiao.evidence.criteria.length).toBe(4);
      expect(hongqiao.evidence.summary).toHaveProperty('lives');
      expect((await c.get('/api/commission/base-applications?format=csv')).body.startsWith('\uFEFF基地,申报项目')).toBe(true);

      const names = async (kind: string) => (await c.get(`/api/commission/registries/${kind}`)).json().rows.map((r: { name?: string; holderName?: string }) => r.name ?? r.holderName);
      expect(await names('mcn')).toContain('星火互娱 MCN');
      expect(await names('base')).toContain('虹桥直播电商基地');
      expect(await names('brand')).toEqual(expect.arrayContaining(['德兴斋', '玉兰凝肌']));
      expect(await names('training')).toContain('海上直播电商学院');
      const talent = (await c.get('/api/commission/registries/talent')).json().rows;
      expect(talent.find((t: { holderName: string }) => t.holderName === '林晓' || t.holderName === '小林说吃')).toMatchObject({ inCatalogue: true });
      for (const kind of ['mcn', 'base', 'brand', 'training', 'talent']) {
        const csv = await c.get(`/api/commission/registries/${kind}?format=csv`);
        expect(csv.status).toBe(200);
        expect(csv.body.startsWith('\uFEFF')).toBe(true);
      }
      expect((await c.get('/api/commission/registries/users')).errorCode).toBe('VALIDATION_FAILED');
      const nominations = (await c.get('/api/commission/talent')).json();
      expect(nominations.nominations.length).toBeGreaterThan(0);
      expect(nominations.nominations[0].evidence.certificates.length).toBeGreaterThan(0);
      expect((await c.get('/api/commission/talent?format=csv')).status).toBe(200);
      // 活动统计: the demo's 五五购物节 with its launch, pre-sale and auction, and the same GMV as its leaderboard.
      const stats = (await c.get('/api/commission/campaigns')).json().campaigns;
      const festival = stats.find((x: { name: string }) => x.name.includes('五五购物节'));
      expect(festival).toMatchObject({ brands: 2, launches: 1, presales: 1, auctions: 1 });
      expect(festival.subsidyFen).toBeGreaterThan(0);
      const board = (await c.get(`/api/campaigns/${festival.id}/leaderboard`)).json();
      const brands = (board.leaderboard ?? board).brands as { gmvFen: number; orders: number }[];
      expect(festival.gmvFen).toBe(brands.reduce((sum, b) => sum + b.gmvFen, 0));
      expect(festival.orders).toBe(brands.reduce((sum, b) => sum + b.orders, 0));
      const statsCsv = await c.get('/api/commission/campaigns?format=csv');
      expect(statsCsv.body.startsWith('\uFEFF活动,阶段')).toBe(true);
      expect(statsCsv.body).toContain('五五购物节');
      // Only the commission and operators see the portal.
      const viewer = await signIn(server(), 'viewer');
      expect((await viewer.client.get('/api/commission/base-applications')).errorCode).toBe('FORBIDDEN');

      // Writes, anywhere: refused before anything runs, nothing changes.
      const mcn = await signIn(server(), 'mcn');
      const pending = (await c.get('/api/commission/base-applications?status=pending')).json().applications[0];
      const before = await snapshot(server());
      const writes = [
        await c.post('/api/orgs', { kind: 'mcn', name: '商务委测试机构', description: '' }),
        await c.put('/api/admin/talent/criteria', { minLevels: { seller: 1 }, minGmvFen: 0 }),
        await c.post(`/api/admin/base-applications/${pending.id}/review`, { decision: 'approve' }),
        await c.post(`/api/orgs/${mcn.orgId}/talent/nominations`, { streamerId: mcn.userId }),
        await c.put('/api/streamer/profile', { realName: '张三', idNumber: '110101199003070011' }),
        await c.post('/api/admin/orgs/whatever/review', { decision: 'approve' }),
        await c.delete(`/api/orgs/${mcn.orgId}/members/${mcn.userId}`),
      ];
      for (const w of writes) {
        expect(w.status).toBe(403);
        expect(w.errorCode).toBe('COMMISSION_READ_ONLY');
      }
      expect(await snapshot(server())).toBe(before);
      // Its own session and settings are its own.
      expect((await c.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await c.post('/api/auth/logout')).status).toBeLessThan(300);
    });
  },
  { demo: true, timeoutMs: 60_000 },
);
