import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { chaptersFrom } from '../server/replays/chapters.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestServer } from './helpers/server.ts';
import { shop, tag } from './helpers/shop.ts';

// Replays with product chapters (docs/VIDEO.md, Replay chapters): pins recorded in live_pins, chapters
// placed against the recording's start, a product's latest explanation, and what is not viewable.

const pinsOf = (server: TestServer, sessionId: string) =>
  server.database.db.selectFrom('live_pins').select(['product_id', 'pinned_at', 'unpinned_at', 'pinned_by']).where('session_id', '=', sessionId).orderBy('pinned_at').orderBy('id').execute();

/** The live goes on air (as the ingest would say), with a recording that starts `recordingDelayS` later. */
async function goLive(server: TestServer, sessionId: string, recordingDelayS: number) {
  await server.services.live.onPublishStart(sessionId, '127.0.0.1');
  const dir = path.join(server.dataDir, 'media', 'recordings', sessionId);
  fs.mkdirSync(dir, { recursive: true });
  const startedAt = new Date(server.clock.now().getTime() + recordingDelayS * 1000).toISOString();
  await server.services.liveStore.upsertRecording({ session_id: sessionId, path: dir, started_at: startedAt, ended_at: null, duration_ms: 0, bytes: 0, retain_until: '2099-01-01T00:00:00.000Z', deleted_at: null, deleted_by: null, delete_reason: null });
  // Without ffmpeg in this test the server does not record by itself: this is what it marks while on air.
  await server.services.liveStore.update(sessionId, { replay_status: 'recording' });
}

/** The recording is finalized: `seconds` of video, and the replay can be watched. */
async function finalize(server: TestServer, sessionId: string, seconds: number) {
  const recording = (await server.services.liveStore.findRecording(sessionId))!;
  await server.services.liveStore.updateRecording(sessionId, { ended_at: new Date(Date.parse(recording.started_at) + seconds * 1000).toISOString(), duration_ms: seconds * 1000 });
  await server.services.liveStore.update(sessionId, { replay_status: 'ready' });
}

it('places pins against the recording: clamped at its start, cut at its end, short ones dropped, repeats merged', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + s * 1000).toISOString();
  const recording = { started_at: at(4), ended_at: at(200), duration_ms: 170_000 };
  const chapters = chaptersFrom(
    [
      { product_id: 'a', pinned_at: at(2), unpinned_at: at(62) },
      { product_id: 'b', pinned_at: at(62), unpinned_at: at(63) },
      { product_id: 'a', pinned_at: at(63), unpinned_at: at(103) },
      { product_id: 'c', pinned_at: at(103), unpinned_at: null },
    ],
    recording,
  );
  expect(chapters).toEqual([
    { productId: 'a', startS: 0, endS: 99 },
    { productId: 'c', startS: 99, endS: 170 },
  ]);
  // Before the playlist's duration is known, the wall-clock span of the recording counts.
  expect(chaptersFrom([{ product_id: 'a', pinned_at: at(10), unpinned_at: null }], { started_at: at(0), ended_at: at(30), duration_ms: 0 })).toEqual([{ productId: 'a', startS: 10, endS: 30 }]);
});

describeEachDatabase(
  'replay chapters',
  ({ server }) => {
    // First, while the only replays are the demo's.
    it('gives the demo replays chapters', async () => {
      const sessions = await server().database.db.selectFrom('live_sessions').select('id').where('replay_status', '=', 'ready').execute();
      expect(sessions.length).toBeGreaterThan(0);
      for (const { id } of sessions) {
        const { chapters, durationS } = (await server().client().get(`/api/sessions/${id}/chapters`)).json();
        expect(durationS).toBe(180);
        expect(chapters.length).toBeGreaterThanOrEqual(2);
        expect(chapters[0]).toMatchObject({ startS: 8, endS: 60 });
        expect(chapters.every((c: { title: string; endS: number }) => c.title && c.endS <= 180)).toBe(true);
      }
    });

    it('records pins on pin, re-pin, unpin and the end of the live; chapters count from the recording start', async () => {
      const s = await shop(server());
      const clock = server().clock;
      const pin = async (productId: string | null) => {
        const response = await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId });
        expect(response.status, response.body).toBe(200);
      };
      const t0 = clock.now().getTime();
      const iso = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
      await goLive(server(), s.sessionId, 4);

      clock.advance(2_000);
      await pin(s.butterfly.id);
      expect(await pinsOf(server(), s.sessionId)).toEqual([{ product_id: s.butterfly.id, pinned_at: iso(2), unpinned_at: null, pinned_by: s.host.id }]);
      // While on air there is no replay to chapter yet.
      expect((await server().client().get(`/api/sessions/${s.sessionId}/chapters`)).errorCode).toBe('REPLAY_NOT_AVAILABLE');

      clock.advance(60_000);
      await pin(s.serum.id); // 1 s by mistake…
      clock.advance(1_000);
      await pin(s.butterfly.id); // …back to the butterfly pastry
      clock.advance(40_000);
      await pin(s.mooncake.id);
      clock.advance(40_000);
      await pin(null);
      clock.advance(5_000);
      await pin(s.serum.id);
      clock.advance(30_000);
      const ended = await s.host.client.post(`/api/streamer/live-sessions/${s.sessionId}/end`);
      expect(ended.status, ended.body).toBe(200);

      expect(await pinsOf(server(), s.sessionId)).toEqual([
        { product_id: s.butterfly.id, pinned_at: iso(2), unpinned_at: iso(62), pinned_by: s.host.id },
        { product_id: s.serum.id, pinned_at: iso(62), unpinned_at: iso(63), pinned_by: s.host.id },
        { product_id: s.butterfly.id, pinned_at: iso(63), unpinned_at: iso(103), pinned_by: s.host.id },
        { product_id: s.mooncake.id, pinned_at: iso(103), unpinned_at: iso(143), pinned_by: s.host.id },
        { product_id: s.serum.id, pinned_at: iso(148), unpinned_at: iso(178), pinned_by: s.host.id },
      ]);
      // A pin after the end opens nothing.
      await pin(s.mooncake.id);
      expect(await pinsOf(server(), s.sessionId)).toHaveLength(5);
      // Ended, but the recording is still being finalized.
      expect((await server().client().get(`/api/sessions/${s.sessionId}/chapters`)).errorCode).toBe('REPLAY_NOT_AVAILABLE');

      await finalize(server(), s.sessionId, 170);
      const response = await server().client().get(`/api/sessions/${s.sessionId}/chapters`);
      expect(response.status, response.body).toBe(200);
      expect(response.json()).toEqual({
        sessionId: s.sessionId,
        durationS: 170,
        chapters: [
          { productId: s.butterfly.id, title: '蝴蝶酥礼盒', image: null, startS: 0, endS: 99 },
          { productId: s.mooncake.id, title: '鲜肉月饼', image: null, startS: 99, endS: 139 },
          { productId: s.serum.id, title: '精华液', image: null, startS: 144, endS: 170 },
        ],
      });
      expect((await server().client().get(`/api/sessions/00000000-0000-7000-8000-000000000000/chapters`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
      expect((await server().client().get(`/api/sessions/not-a-uuid/chapters`)).status).toBe(400);

      // Bought from the replay's product list: the order is the session's, at the list price (live prices end with the live).
      const order = await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }], sessionId: s.sessionId }, { 'idempotency-key': `replay-${tag()}-key` });
      expect(order.status, order.body).toBe(201);
      expect(order.json().order.items[0]).toMatchObject({ unitPriceFen: 6800 });
      expect((await server().database.db.selectFrom('orders').select('session_id').where('id', '=', order.json().order.id).executeTakeFirstOrThrow()).session_id).toBe(s.sessionId);

      // The explanation of each product: here, the only replay.
      const explanation = await server().client().get(`/api/products/${s.mooncake.id}/explanation`);
      expect(explanation.status, explanation.body).toBe(200);
      expect(explanation.json().explanation).toEqual({ productId: s.mooncake.id, sessionId: s.sessionId, sessionTitle: '购物直播', startS: 99, endS: 139 });

      // The brand's page shows the link on the product's card.
      const profile = (await server().client().get(`/api/brands/${s.orgId}/profile`)).json();
      const card = profile.products.find((p: { id: string }) => p.id === s.mooncake.id);
      expect(card.explanation).toEqual({ sessionId: s.sessionId, startS: 99 });

      // A second live of the same products: the butterfly pastry's latest explanation is there once its replay can be watched.
      clock.advance(3_600_000);
      const second = (await s.host.client.post('/api/streamer/live-sessions', { title: '第二场', scheduledAt: new Date(clock.now().getTime() + 60_000).toISOString(), brandOrgId: s.orgId })).json().session;
      expect((await s.host.client.put(`/api/rooms/${second.id}/products`, { items: [{ productId: s.butterfly.id }, { productId: s.serum.id }] })).status).toBe(200);
      await goLive(server(), second.id, 0);
      clock.advance(20_000);
      expect((await s.host.client.post(`/api/rooms/${second.id}/pin`, { productId: s.butterfly.id })).status).toBe(200);
      clock.advance(30_000);
      // On air: the chapters wait, and the explanation is still the first replay's.
      expect((await server().client().get(`/api/sessions/${second.id}/chapters`)).errorCode).toBe('REPLAY_NOT_AVAILABLE');
      expect((await server().client().get(`/api/products/${s.butterfly.id}/explanation`)).json().explanation).toMatchObject({ sessionId: s.sessionId, startS: 0 });
      expect((await s.host.client.post(`/api/streamer/live-sessions/${second.id}/end`)).status).toBe(200);
      await finalize(server(), second.id, 60);
      expect((await server().client().get(`/api/products/${s.butterfly.id}/explanation`)).json().explanation).toEqual({ productId: s.butterfly.id, sessionId: second.id, sessionTitle: '第二场', startS: 20, endS: 50 });
      // The serum's only chapter is in the first replay (its pin in neither… it was never pinned in the second).
      expect((await server().client().get(`/api/products/${s.serum.id}/explanation`)).json().explanation).toMatchObject({ sessionId: s.sessionId, startS: 144 });

      // An operator deletes the second replay: its chapters are gone, and the explanation falls back to the first.
      const op = await operator(server());
      expect((await op.client.post(`/api/admin/live-sessions/${second.id}/replay/delete`, { reason: '测试删除回放' })).status).toBe(204);
      expect((await server().client().get(`/api/sessions/${second.id}/chapters`)).errorCode).toBe('REPLAY_NOT_AVAILABLE');
      expect((await server().client().get(`/api/products/${s.butterfly.id}/explanation`)).json().explanation).toMatchObject({ sessionId: s.sessionId, startS: 0, endS: 99 });
    });

    it('answers null for a product never explained (a normal state, not an error), and a clear 404 for an unknown product', async () => {
      const s = await shop(server());
      const never = await server().client().get(`/api/products/${s.butterfly.id}/explanation`);
      expect(never.status).toBe(200);
      expect(never.json()).toEqual({ explanation: null });
      const unknown = await server().client({ locale: 'zh-CN' }).get(`/api/products/no-such-product/explanation`);
      expect([unknown.status, unknown.errorCode]).toEqual([404, 'PRODUCT_NOT_FOUND']);
      // A pin in a live that has not started is recorded, but there is no replay for it to be a chapter of.
      expect((await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id })).status).toBe(200);
      expect(await pinsOf(server(), s.sessionId)).toHaveLength(1);
      expect((await server().client().get(`/api/products/${s.butterfly.id}/explanation`)).json()).toEqual({ explanation: null });
    });

  },
  { ffmpeg: null, demo: true },
);
