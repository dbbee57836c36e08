// Going live and watching: scheduling, publishing from ffmpeg, HTTP-FLV and HLS, reconnects, stream keys,
// covers and replays. What the ingest refuses or drops is in test/live-ingest.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { recordingDir } from '../server/live/media/pipeline.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { createSession, detail, eventLogged, eventsAfter, eventsOf, inAnHour, readFlv } from './helpers/live.ts';
import { operator, streamer } from './helpers/people.ts';
import { publish, waitUntil } from './helpers/publisher.ts';

describeEachDatabase(
  'live video',
  ({ server }) => {
    it('lets only approved streamers schedule a live, with clear errors for bad input', async () => {
      const pending = await streamer(server(), { approved: false });
      expect((await pending.client.post('/api/streamer/live-sessions', { title: '未审核', scheduledAt: inAnHour() })).errorCode).toBe('STREAMER_NOT_APPROVED');
      const viewer = server().client();
      await viewer.register('viewer-live@example.com');
      expect((await viewer.post('/api/streamer/live-sessions', { title: '观众', scheduledAt: inAnHour() })).status).toBe(403);

      const { client } = await streamer(server());
      const past = await client.post('/api/streamer/live-sessions', { title: '过去的直播', scheduledAt: '2020-01-01T00:00:00Z' });
      expect(past.errorCode).toBe('LIVE_SCHEDULE_IN_PAST');
      const badBrand = await client.post('/api/streamer/live-sessions', { title: '品牌不存在', scheduledAt: inAnHour(), brandOrgId: 'nope' });
      expect(badBrand.errorCode).toBe('LIVE_BRAND_INVALID');
      const badTitle = await client.post('/api/streamer/live-sessions', { title: 'x', scheduledAt: 'tomorrow' });
      expect(badTitle.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['scheduledAt', 'title']);

      const created = await createSession(client, '新品首发');
      expect(created.push.url).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:\\d+/live/${created.session.id}\\?key=[\\w-]{32}$`));
      // Another streamer cannot see it, let alone its key.
      const other = await streamer(server());
      expect((await other.client.get(`/api/streamer/live-sessions/${created.session.id}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
    });


    it('goes live from ffmpeg, plays over HTTP-FLV and HLS, reports health, survives a reconnect, and keeps the replay', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client);
      const notStarted = await server().client().get(`/live/${session.id}.flv`);
      expect(notStarted.status).toBe(409);
      expect(notStarted.errorCode).toBe('LIVE_NOT_STARTED');

      const first = publish(push.url, { seconds: 30 });
      await waitUntil(async () => (await detail(client, session.id)).session.status === 'live', 15_000, 'the session to go live');
      const flv = await readFlv(server(), session.id, 10_000, 10_001);
      expect(flv.status).toBe(200);
      expect(flv.contentType).toBe('video/x-flv');
      expect(flv.bytes.subarray(0, 3).toString('latin1')).toBe('FLV');
      expect(flv.bytes.length).toBeGreaterThan(10_000);

      const hls = await waitUntil(async () => {
        const response = await server().client().get(`/live/${session.id}/index.m3u8`);
        return response.status === 200 && (response.body.match(/\.ts/g) ?? []).length >= 2 ? response.body : null;
      }, 20_000, 'two HLS segments');
      expect(hls).toContain('#EXT-X-TARGETDURATION:1');
      const segment = /seg-\d+\.ts/.exec(hls)![0];
      expect((await server().client().get(`/live/${session.id}/${segment}`)).raw.headers['content-type']).toBe('video/mp2t');

      const live = await detail(client, session.id);
      expect(live.playback).toMatchObject({ flv: `/live/${session.id}.flv`, hls: `/live/${session.id}/index.m3u8` });
      expect(live.health.stream).toMatchObject({ videoCodec: 'H.264', audioCodec: 'AAC', width: 320, height: 240, keyframeIntervalS: 1 });
      expect(live.health.stream.fps).toBeGreaterThan(20);
      expect(live.health.stream.bitrateKbps).toBeGreaterThan(50);
      await server().services.live.beat();
      const stored = await server().database.db.selectFrom('live_sessions').select(['peak_viewers', 'health']).where('id', '=', session.id).executeTakeFirstOrThrow();
      expect(stored.peak_viewers).toBeGreaterThanOrEqual(0);
      expect(JSON.parse(stored.health!).videoCodec).toBe('H.264');

      // The recording holds a whole part (4 s) from this encoder before it drops, so the replay has both encoders' parts.
      const recordingPlaylist = path.join(recordingDir(server().config.dataDir, session.id), 'index.m3u8');
      await waitUntil(async () => fs.existsSync(recordingPlaylist) && /part-\d{5}\.ts/.test(fs.readFileSync(recordingPlaylist, 'utf8')), 20_000, 'a first part of the recording');

      // The encoder drops and comes back within the grace period: the same live carries on.
      first.child.kill('SIGKILL');
      await waitUntil(async () => !(await detail(client, session.id)).health.publishing, 10_000, 'the publisher to drop');
      // The server writes the drop's event just after the flag: the order of the events is checked below.
      await eventLogged(server(), session.id, 'unpublish:closed');
      const second = publish(push.url, { seconds: 4 });
      await waitUntil(async () => (await detail(client, session.id)).health.reconnects === 1, 15_000, 'the reconnect');
      await second.exited;

      // No reconnect this time: after the grace period the live ends and the replay is kept.
      const ended = await waitUntil(async () => {
        const d = await detail(client, session.id);
        return d.session.status === 'ended' && d.session.replay === 'ready' ? d : null;
      }, 20_000, 'the live to end with a replay');
      expect(ended.playback.replay).toBe(`/replay/${session.id}/index.m3u8`);
      expect(await eventsOf(server(), session.id)).toEqual(['publish:', 'unpublish:closed', 'reconnect:', 'unpublish:closed', 'ended:publisher_lost']);
      const replay = await server().client().get(`/replay/${session.id}/index.m3u8`);
      expect(replay.body).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(replay.body).toContain('#EXT-X-ENDLIST');
      expect(replay.body).toContain('#EXT-X-DISCONTINUITY');
      const parts = replay.body.match(/part-\d{5}\.ts/g)!;
      expect(parts.length).toBeGreaterThanOrEqual(2);
      expect((await server().client().get(`/replay/${session.id}/${parts[0]}`)).status).toBe(200);
      const recording = await server().database.db.selectFrom('recordings').selectAll().where('session_id', '=', session.id).executeTakeFirstOrThrow();
      expect(recording.duration_ms).toBeGreaterThan(4000);
      // Kept for three years by default.
      expect(Date.parse(recording.retain_until) - Date.parse(recording.started_at)).toBeGreaterThanOrEqual(3 * 365 * 86_400_000);

      // An ended session's key no longer publishes.
      const before = (await eventsOf(server(), session.id)).length;
      const late = await publish(push.url, { seconds: 2 }).exited;
      expect(late.code).not.toBe(0);
      expect((await eventsAfter(server(), session.id, before)).at(-1)).toBe('rejected:the session has ended');
      expect((await server().client().get(`/live/${session.id}.flv`)).errorCode).toBe('LIVE_ENDED');
    });


    it('regenerates the stream key: the old one stops working', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client);
      const renewed = (await client.post(`/api/streamer/live-sessions/${session.id}/stream-key`)).json();
      expect(renewed.push.streamKey).not.toBe(push.streamKey);
      expect((await publish(push.url, { seconds: 2 }).exited).code).not.toBe(0);
      expect((await eventsAfter(server(), session.id, 0)).at(-1)).toBe('rejected:wrong stream key');
      const good = publish(renewed.push.url, { seconds: 30 });
      try {
        await waitUntil(async () => (await detail(client, session.id)).session.status === 'live', 15_000, 'live on the new key');
      } finally {
        good.child.kill('SIGKILL');
        await good.exited;
      }
    });


    it('takes a cover image, and refuses one that is not an image or is too large', async () => {
      const { client } = await streamer(server());
      const { session } = await createSession(client);
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
      const put = (body: Buffer, type: string) => client.request('PUT', `/api/streamer/live-sessions/${session.id}/cover`, body, { 'content-type': type });
      const fake = await put(Buffer.from('<html>not an image</html>'), 'image/png');
      expect(fake.errorCode).toBe('COVER_NOT_IMAGE');
      const text = await put(Buffer.from('hello'), 'text/plain');
      expect(text.status).toBe(415);
      expect(text.errorCode).toBe('COVER_NOT_IMAGE');
      const big = await put(Buffer.concat([png, Buffer.alloc(20_000)]), 'image/png');
      expect(big.status).toBe(413);
      expect(big.errorCode).toBe('COVER_TOO_LARGE');
      expect((await detail(client, session.id)).session.coverUrl).toBeNull();
      const accepted = await put(png, 'image/png');
      expect(accepted.status, accepted.body).toBe(200);
      const coverUrl = accepted.json().coverUrl as string;
      const served = await server().client().get(coverUrl);
      expect(served.raw.headers['content-type']).toBe('image/png');
    });


    it('answers a player asking for a session that does not exist or has not started', async () => {
      const missing = await server().client({ locale: 'en' }).get('/live/00000000-0000-7000-8000-000000000000.flv');
      expect(missing.status).toBe(404);
      expect(missing.json().error).toMatchObject({ code: 'LIVE_SESSION_NOT_FOUND', message: 'Live session not found' });
      expect((await server().client().get('/api/live-sessions/00000000-0000-7000-8000-000000000000')).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
      const { client } = await streamer(server());
      const { session } = await createSession(client);
      const publicView = (await server().client().get(`/api/live-sessions/${session.id}`)).json();
      expect(publicView.playback).toEqual({ flv: null, hls: null, renditions: [], replay: null });
      expect(JSON.stringify(publicView)).not.toContain('key=');
      expect((await server().client().get(`/live/${session.id}/index.m3u8`)).errorCode).toBe('LIVE_NOT_STARTED');
      expect((await server().client().get('/live/not-a-session.flv')).status).toBe(404);
    });
  },
  // A 5 s grace: the reconnecting encoder (a new ffmpeg) must be back in time even on a slow, busy machine.
  { media: true, timeoutMs: 90_000, env: { LIVE_RECONNECT_GRACE_SECONDS: '5', COVER_MAX_BYTES: '10240' } },
);

describeEachDatabase('replay retention', ({ server }) => {
  async function endedSessionWithRecording() {
    const { client } = await streamer(server());
    const { session } = (await client.post('/api/streamer/live-sessions', { title: '回放保留', scheduledAt: new Date(server().clock.now().getTime() + 60_000).toISOString() })).json();
    const { recordingDir } = await import('../server/live/media/pipeline.ts');
    const fs = await import('node:fs');
    const dir = recordingDir(server().config.dataDir, session.id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/index.m3u8`, '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4.0,\npart-00000.ts\n#EXT-X-ENDLIST\n');
    fs.writeFileSync(`${dir}/part-00000.ts`, Buffer.alloc(188));
    const now = server().clock.now();
    await server().database.db.updateTable('live_sessions').set({ status: 'ended', ended_at: now.toISOString(), replay_status: 'ready' }).where('id', '=', session.id).execute();
    await server().database.db
      .insertInto('recordings')
      .values({ session_id: session.id, path: dir, started_at: now.toISOString(), ended_at: now.toISOString(), duration_ms: 4000, bytes: 188, retain_until: new Date(now.getTime() + 1096 * 86_400_000).toISOString(), deleted_at: null, deleted_by: null, delete_reason: null })
      .execute();
    return { id: session.id as string, dir, fs };
  }

  it('keeps a replay for three years, then purges it', async () => {
    const { id, dir, fs } = await endedSessionWithRecording();
    expect((await server().client().get(`/replay/${id}/index.m3u8`)).status).toBe(200);
    server().clock.advance(1095 * 86_400_000);
    await server().services.live.purgeExpiredRecordings();
    expect((await server().client().get(`/replay/${id}/part-00000.ts`)).status).toBe(200);
    server().clock.advance(2 * 86_400_000);
    await server().services.live.purgeExpiredRecordings();
    expect(fs.existsSync(dir)).toBe(false);
    expect((await server().client().get(`/replay/${id}/index.m3u8`)).errorCode).toBe('REPLAY_NOT_AVAILABLE');
    expect((await server().client().get(`/api/live-sessions/${id}`)).json().session.replay).toBe('deleted');
  });

  it('lets only an operator delete a replay earlier, with a reason', async () => {
    const { id, dir, fs } = await endedSessionWithRecording();
    const { client: someone } = await streamer(server());
    expect((await someone.post(`/api/admin/live-sessions/${id}/replay/delete`, { reason: '不想要了' })).status).toBe(403);
    const op = await operator(server());
    expect((await op.client.post(`/api/admin/live-sessions/${id}/replay/delete`, {})).errorCode).toBe('VALIDATION_FAILED');
    expect((await op.client.post(`/api/admin/live-sessions/${id}/replay/delete`, { reason: '侵权投诉成立' })).status).toBe(204);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await op.client.post(`/api/admin/live-sessions/${id}/replay/delete`, { reason: '再次删除' })).errorCode).toBe('REPLAY_NOT_AVAILABLE');
    const audit = (await op.client.get('/api/admin/audit-log')).json().entries[0];
    expect(audit).toMatchObject({ action: 'replay.delete', targetId: id, detail: { reason: '侵权投诉成立' } });
  });
});
