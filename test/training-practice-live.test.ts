// Practice lives (实训) as real live sessions (docs/TRAINING.md, "Practice lives"), on SQLite and
// PostgreSQL: a practice creates a hidden live session in practice mode with a stream key the trainee
// (not an approved streamer) can push with; only the trainee and the centre's trainers can open its
// page, room, video or analytics; no listing shows it; the simulated audience reaches the room from the
// server, claimed once per second range; nothing is sold in it and no order row is written.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createTrainingStore } from '../server/training/store.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import { RoomSocket } from './helpers/room-client.ts';
import type { TestServer } from './helpers/server.ts';

let counter = 0;
const uniq = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

async function centre(server: TestServer) {
  const owner = server.client();
  await owner.register(`trainer-${uniq()}@example.com`, 'Secret123x', '培训老师');
  const org = (await owner.post('/api/orgs', { kind: 'training', name: `实训学院${uniq()}`, description: '' })).json().org;
  const trainee = server.client();
  const login = `trainee-${uniq()}@example.com`;
  await trainee.register(login, 'Secret123x', '学员小周');
  const enrolled = await owner.post(`/api/orgs/${org.id}/training/enrollments`, { login, job: 'seller', level: 5 });
  expect(enrolled.status).toBe(201);
  const stranger = server.client();
  await stranger.register(`stranger-${uniq()}@example.com`, 'Secret123x', '路人');
  return { owner, trainee, stranger, orgId: org.id as string, enrollmentId: enrolled.json().enrollment.id as string };
}

describeEachDatabase(
  'practice lives',
  ({ server }) => {
    it('a practice is a hidden live session: pushable by the trainee, seen by trainee and trainers only, in no listing, selling nothing', async () => {
      const s = server();
      const c = await centre(s);
      const title = `实训专场${uniq()}`;
      const started = await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/practices`, { title });
      expect(started.status).toBe(201);
      const practice = started.json().practice;
      const sessionId = practice.session.id as string;
      expect(practice.session).toMatchObject({ status: 'scheduled', publishing: false });
      expect(practice.session.push.streamKey).toMatch(new RegExp(`^${sessionId}\\?key=`));
      const row = await s.database.db.selectFrom('live_sessions').select(['mode', 'streamer_id', 'status']).where('id', '=', sessionId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ mode: 'practice', status: 'scheduled' });
      // The trainer sees the session and its player, never the stream key.
      const seenByTrainer = (await c.owner.get(`/api/training/practices/${practice.id}`)).json().practice;
      expect(seenByTrainer.session).toMatchObject({ id: sessionId, push: null });

      // The trainee is no approved streamer, yet the key lets them push (as OBS would); a wrong key does not.
      const key = new URLSearchParams(practice.session.push.streamKey.split('?')[1]).get('key')!;
      expect(await s.services.live.authorizePublish({ sessionId, key, ip: '127.0.0.1' })).toEqual({ ok: true });
      expect((await s.services.live.authorizePublish({ sessionId, key: `${key}x`, ip: '127.0.0.1' })).ok).toBe(false);
      // A follower of the trainee is not told the practice went live.
      expect((await c.stranger.post(`/api/streamers/${row.streamer_id}/follow`, {})).status).toBe(200);
      await s.services.live.onPublishStart(sessionId, '127.0.0.1');
      await s.services.notifications.sweep();
      expect(JSON.stringify((await c.stranger.get('/api/notifications')).json())).not.toContain(sessionId);
      expect((await c.trainee.get(`/api/training/practices/${practice.id}`)).json().practice.session).toMatchObject({ status: 'live', publishing: true });

      // Outsiders and anonymous visitors: not found, wherever they look.
      const anonymous = s.client();
      for (const who of [c.stranger, anonymous]) {
        expect((await who.get(`/api/live-sessions/${sessionId}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
        expect((await who.get(`/api/rooms/${sessionId}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
        expect((await who.get(`/api/sessions/${sessionId}/chapters`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
        expect((await who.get(`/live/${sessionId}/index.m3u8`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
        expect((await who.get(`/live/${sessionId}.flv`)).status).toBe(404);
      }
      expect((await c.stranger.get(`/api/training/practices/${practice.id}`)).errorCode).toBe('PRACTICE_NOT_FOUND');
      // An MCN the trainee is signed to sees the trainee's public lives' numbers, never the practice's.
      const mcnOwner = s.client();
      await mcnOwner.register(`mcn-${uniq()}@example.com`, 'Secret123x', 'MCN');
      const mcnOrg = (await mcnOwner.post('/api/orgs', { kind: 'mcn', name: `实训MCN${uniq()}`, description: '' })).json().org;
      const op = await operator(s);
      expect((await op.client.post(`/api/admin/orgs/${mcnOrg.id}/review`, { decision: 'approve' })).status).toBe(200);
      const at = s.clock.now().toISOString();
      await s.database.db.insertInto('mcn_contracts').values({ id: crypto.randomUUID(), mcn_org_id: mcnOrg.id, streamer_id: row.streamer_id, split_bps: 3000, exclusive: 0, starts_at: at, ends_at: null, status: 'accepted', created_at: at, accepted_at: at }).execute();
      expect(await s.services.mcn.isSignedTo(mcnOrg.id, row.streamer_id)).toBe(true);
      for (const part of ['screen', 'review']) expect((await mcnOwner.get(`/api/orgs/${mcnOrg.id}/analytics/sessions/${sessionId}/${part}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
      const mcnList = await mcnOwner.get(`/api/orgs/${mcnOrg.id}/analytics/sessions`);
      expect(mcnList.status).toBe(200);
      expect(mcnList.body).not.toContain(sessionId);
      // The trainee opens its big screen (the review waits for the end).
      expect((await c.trainee.get(`/api/analytics/sessions/${sessionId}/screen`)).status).toBe(200);
      expect((await c.stranger.get(`/live/${sessionId}.flv`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
      // The trainee and the trainer pass the gate (the HLS file itself is not there: no ffmpeg in this test).
      for (const who of [c.trainee, c.owner]) {
        expect((await who.get(`/api/live-sessions/${sessionId}`)).json().session).toMatchObject({ id: sessionId, status: 'live' });
        expect((await who.get(`/api/rooms/${sessionId}`)).status).toBe(200);
        expect((await who.get(`/live/${sessionId}/index.m3u8`)).errorCode).toBe('NOT_FOUND');
      }

      // No listing shows it, live as it is.
      const listings = [
        '/api/live-sessions?status=live,scheduled,ended',
        '/api/discover',
        `/api/search?q=${encodeURIComponent(title)}`,
      ];
      for (const url of listings) {
        const response = await anonymous.get(url);
        expect(response.status, url).toBe(200);
        expect(response.body, url).not.toContain(sessionId);
      }
      const streamerPage = await c.trainee.get(`/api/streamers/${row.streamer_id}/profile`);
      expect(streamerPage.body).not.toContain(sessionId);
      // Its search row exists (search's triggers wrote it) and is kept hidden (0029_practice_lives).
      const searchDoc = await sql<{ visible: number }>`select visible from search_docs where kind = 'session' and ref_id = ${sessionId}`.execute(s.database.db);
      expect(searchDoc.rows.map((r) => Number(r.visible))).toEqual([0]);
      const { grantFor } = await import('../server/webhooks/live-routes.ts');
      await expect(grantFor(s.database.db, s.clock, { keyId: 'k', orgId: c.orgId, scopes: ['orders:read'] } as never, sessionId)).rejects.toMatchObject({ code: 'LIVE_SESSION_NOT_FOUND' });

      // Nothing is sold: no products in its 小黄车, no order attributed to it.
      expect((await c.trainee.put(`/api/rooms/${sessionId}/products`, { items: [] })).errorCode).toBe('PRACTICE_LIVE_NO_SALES');
      const order = await c.trainee.post('/api/orders', { items: [{ productId: 'p', skuId: 's', quantity: 1 }], sessionId, addressId: 'a' });
      expect(order.status).toBe(409);
      expect(order.errorCode).toBe('PRACTICE_LIVE_NO_SALES');
      const orders = await s.database.db.selectFrom('orders').select('id').where('session_id', '=', sessionId).execute();
      expect(orders).toEqual([]);

      // Ending the practice ends the live session; the key stops working.
      const ended = (await c.trainee.post(`/api/training/practices/${practice.id}/end`, {})).json().practice;
      expect(ended.session).toMatchObject({ status: 'ended', push: null });
      expect((await s.database.db.selectFrom('live_sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()).status).toBe('ended');
      expect((await s.services.live.authorizePublish({ sessionId, key, ip: '127.0.0.1' })).ok).toBe(false);
      expect((await c.stranger.get(`/api/live-sessions/${sessionId}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
    });

    it('the simulated audience and the trainee’s checked lines reach the room; outsiders cannot join it; no order rows', async () => {
      const s = server();
      const c = await centre(s);
      const practice = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/practices`, { title: '蝴蝶酥实训' })).json().practice;
      const sessionId = practice.session.id as string;

      const outsider = await RoomSocket.open(s, sessionId, { client: c.stranger, hello: false });
      expect((await outsider.next((f) => f.t === 'error')).code).toBe('LIVE_SESSION_NOT_FOUND');
      expect((await outsider.closedWith()).code).toBe(4004);

      const trainer = await RoomSocket.open(s, sessionId, { client: c.owner });
      const trainee = await RoomSocket.open(s, sessionId, { client: c.trainee });
      s.clock.advance(50_000);
      await s.services.training.practices.simulate();
      // 50 s: chat lines 0–11 (the last 8 are published), orders at 20 s and 45 s, the viewers count.
      const audience = await trainer.event('practice.audience');
      expect(audience).toMatchObject({ chats: 12, orders: 2, elapsedSeconds: 50 });
      expect(audience.viewers).toBeGreaterThan(0);
      await trainee.event('practice.audience');
      const chats = trainer.events('chat').filter((e) => e.simulated);
      expect(chats.map((e) => e.id)).toEqual(Array.from({ length: 8 }, (_, i) => `sim-${practice.id}-${i + 4}`));
      expect(trainer.events('purchase').filter((e) => e.simulated)).toHaveLength(2);
      // The same seconds are published once: a second tick (another node, or this one again) adds nothing.
      await s.services.training.practices.simulate();
      const store = createTrainingStore(s.database.db);
      expect(await store.claimSimSeconds(practice.id, -1, 50)).toBe(false);
      s.clock.advance(4_000);
      await s.services.training.practices.simulate();
      await trainer.event('chat', (e) => e.id === `sim-${practice.id}-12`);
      expect(trainer.events('chat').filter((e) => e.simulated)).toHaveLength(9);

      // The trainee's line is checked against the 广告法 list and shown in the room with its hits.
      const hit = (await c.trainee.post(`/api/training/practices/${practice.id}/lines`, { text: '这是全网最低价！' })).json();
      expect(hit.hits.map((h: { word: string }) => h.word)).toContain('最低价');
      const said = await trainer.event('chat', (e) => e.script === true);
      expect(said).toMatchObject({ user: { role: 'streamer' }, text: hit.masked });
      expect(said.hits).toContain('最低价');
      expect(said.text).not.toContain('最低价');

      const orders = await s.database.db.selectFrom('orders').select('id').where('session_id', '=', sessionId).execute();
      expect(orders).toEqual([]);
      // An ended practice is no longer simulated.
      await c.trainee.post(`/api/training/practices/${practice.id}/end`, {});
      expect((await store.runningLivePractices()).some((p) => p.id === practice.id)).toBe(false);
      for (const socket of [trainer, trainee]) socket.close();
    });
  },
  { listen: true },
);
