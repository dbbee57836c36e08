// The RTMP ingest on guard: who may publish (stream keys, approval, one publisher), what (H.264 + AAC
// only), publishers that stall, garbage on the port, an operator's cut-off, and a server without ffmpeg.
import net from 'node:net';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { createSession, detail, eventLogged, eventsAfter, eventsOf, readFlv } from './helpers/live.ts';
import { operator, streamer } from './helpers/people.ts';
import { publish, publishHevcPackets, tryPublish, waitUntil } from './helpers/publisher.ts';

describeEachDatabase(
  'live ingest',
  ({ server }) => {
    it('refuses and logs publishers with no key, a wrong key, another streamer’s key, a second publisher, or an unapproved streamer', async () => {
      const a = await streamer(server());
      const b = await streamer(server());
      const mine = await createSession(a.client, 'A 的直播');
      const theirs = await createSession(b.client, 'B 的直播');
      const base = mine.push.server;
      const theirKey = theirs.push.streamKey.split('?key=')[1];

      for (const [url, reason] of [
        [`${base}/${mine.session.id}`, 'no stream key'],
        [`${base}/${mine.session.id}?key=wrong-key-wrong-key-wrong-key-xx`, 'wrong stream key'],
        [`${base}/${mine.session.id}?key=${theirKey}`, 'wrong stream key'],
      ] as const) {
        const before = (await eventsOf(server(), mine.session.id)).length;
        const run = await publish(url, { seconds: 2 }).exited;
        expect(run.code, `${reason}: ffmpeg should fail`).not.toBe(0);
        expect((await eventsAfter(server(), mine.session.id, before)).at(-1)).toBe(`rejected:${reason}`);
      }
      expect((await detail(a.client, mine.session.id)).session.status).toBe('scheduled');

      const owner = publish(mine.push.url, { seconds: 20 });
      await waitUntil(async () => (await detail(a.client, mine.session.id)).health.publishing, 15_000, 'the first publisher');
      const before = (await eventsOf(server(), mine.session.id)).length;
      const intruder = await publish(mine.push.url, { seconds: 2 }).exited;
      expect(intruder.code).not.toBe(0);
      expect((await eventsAfter(server(), mine.session.id, before)).at(-1)).toBe('rejected:the session already has a publisher');
      expect((await detail(a.client, mine.session.id)).health.publishing).toBe(true);
      owner.child.kill('SIGKILL');

      // A streamer whose approval is withdrawn cannot publish, even with the right key.
      await server().database.db.updateTable('streamer_profiles').set({ status: 'rejected' }).where('user_id', '=', b.id).execute();
      expect((await publish(theirs.push.url, { seconds: 2 }).exited).code).not.toBe(0);
      expect((await eventsAfter(server(), theirs.session.id, 0)).at(-1)).toBe('rejected:the streamer is not approved');

      const op = await operator(server());
      const { rejections } = (await op.client.get('/api/admin/live-streams')).json();
      expect(rejections.length).toBeGreaterThanOrEqual(5);
    });


    it('closes streams that are not H.264 with AAC, and says why on the console', async () => {
      const { client } = await streamer(server());
      const audioOnly = await createSession(client, '纯音频');
      await publish(audioOnly.push.url, { seconds: 8, kind: 'audio-only' }).exited;
      await eventLogged(server(), audioOnly.session.id, 'codec_unsupported:NO_VIDEO');
      const events = (await detail(client, audioOnly.session.id)).events;
      expect(events.find((e: { kind: string }) => e.kind === 'codec_unsupported').detail.found).toBe('audio only (AAC)');

      const mp3 = await createSession(client, 'MP3 音频');
      await publish(mp3.push.url, { seconds: 3, kind: 'mp3' }).exited;
      await eventLogged(server(), mp3.session.id, 'codec_unsupported:AUDIO_CODEC_UNSUPPORTED');

      const hevc = await createSession(client, 'HEVC 推流');
      const { closedByServer } = await publishHevcPackets(hevc.push.url);
      await closedByServer;
      await eventLogged(server(), hevc.session.id, 'codec_unsupported:VIDEO_CODEC_UNSUPPORTED');
      const found = (await detail(client, hevc.session.id)).events.find((e: { kind: string }) => e.kind === 'codec_unsupported').detail.found;
      expect(found).toBe('HEVC');
    });


    it('drops a publisher that stalls, and survives garbage on the RTMP port', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client);
      const run = publish(push.url, { seconds: 30 });
      await waitUntil(async () => (await detail(client, session.id)).health.publishing, 15_000, 'publishing');
      run.child.kill('SIGSTOP');
      await eventLogged(server(), session.id, 'stalled:stalled');
      run.child.kill('SIGKILL');

      const port = Number(new URL(push.server).port);
      const garbage = net.connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => garbage.once('connect', resolve));
      garbage.resume();
      garbage.on('error', () => undefined);
      garbage.write(Buffer.alloc(5000, 0xab));
      garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await new Promise((resolve) => garbage.once('close', resolve));
      expect((await server().client().get('/healthz')).status).toBe(200);
      // The ingest still takes a real publisher.
      const other = await createSession(client);
      const again = publish(other.push.url, { seconds: 30 });
      try {
        await waitUntil(async () => (await detail(client, other.session.id)).session.status === 'live', 15_000, 'a publisher after the garbage');
      } finally {
        again.child.kill('SIGKILL');
        await again.exited;
      }
    });


    it('lets an operator cut a stream off with a reason, which ends it for good', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client, '违规直播');
      const run = publish(push.url, { seconds: 30 });
      await waitUntil(async () => (await detail(client, session.id)).health.publishing, 15_000, 'publishing');
      const op = await operator(server());
      const streams = (await op.client.get('/api/admin/live-streams')).json().streams;
      expect(streams.find((s: { id: string }) => s.id === session.id).health.videoCodec).toBe('H.264');
      expect((await client.post(`/api/admin/live-sessions/${session.id}/cut-off`, { reason: '违规' })).status).toBe(403);
      expect((await op.client.post(`/api/admin/live-sessions/${session.id}/cut-off`, { reason: '含有违禁词' })).status).toBe(204);
      const exited = await run.exited;
      expect(exited.signal === null && exited.code !== 0).toBe(true);
      const ended = (await detail(client, session.id));
      expect(ended.session.status).toBe('ended');
      const row = await server().database.db.selectFrom('live_sessions').select(['ended_reason', 'cut_off_reason', 'cut_off_by']).where('id', '=', session.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ ended_reason: 'cut_off', cut_off_reason: '含有违禁词', cut_off_by: op.id });
      expect((await publish(push.url, { seconds: 2 }).exited).code).not.toBe(0);
      const audit = (await op.client.get('/api/admin/audit-log')).json().entries;
      expect(audit[0]).toMatchObject({ action: 'live.cut_off', targetId: session.id, detail: { reason: '含有违禁词' } });
      expect((await op.client.post(`/api/admin/live-sessions/${session.id}/cut-off`, { reason: '再次' })).errorCode).toBe('LIVE_NOT_LIVE');
    });
  },
  // 3 s without a packet is a stall: short for the stall test, long enough that a busy machine's healthy encoder is not one.
  { media: true, timeoutMs: 90_000, env: { LIVE_RECONNECT_GRACE_SECONDS: '3', LIVE_STALL_SECONDS: '3' } },
);

describeEachDatabase(
  'live video without ffmpeg on the server',
  ({ server }) => {
    it('still goes live and plays over HTTP-FLV, without HLS, recording or browser go-live', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client, '没有 ffmpeg 的服务器');
      const run = publish(push.url, { seconds: 20 });
      try {
        const live = await waitUntil(async () => {
          const d = await detail(client, session.id);
          return d.health.publishing ? d : null;
        }, 15_000, 'live');
        expect(live.playback).toEqual({ flv: `/live/${session.id}.flv`, hls: null, renditions: [], replay: null });
        const flv = await readFlv(server(), session.id, 10_000, 3);
        expect(flv.bytes.subarray(0, 3).toString('latin1')).toBe('FLV');
        const whip = await client.request('POST', `/api/streamer/live-sessions/${session.id}/whip`, 'v=0\r\n', { 'content-type': 'application/sdp' });
        expect(whip.status).toBe(503);
        expect(whip.errorCode).toBe('WHIP_UNAVAILABLE');
      } finally {
        run.child.kill('SIGKILL');
      }
      const ended = await waitUntil(async () => {
        const d = await detail(client, session.id);
        return d.session.status === 'ended' ? d : null;
      }, 15_000, 'the end');
      expect(ended.session.replay).toBe('none');
    });

    it('logs at most 30 refused publishes a minute from one address, however many keys it guesses', async () => {
      const { client } = await streamer(server());
      const { session, push } = await createSession(client, '猜密钥');
      const guess = `${push.url.split('?')[0]}?key=wrong-key-wrong-key-wrong-key-xx`;
      for (let i = 0; i < 40; i++) await tryPublish(guess);
      // The streamer with the right key still goes live; by then every refusal has been dealt with.
      const run = publish(push.url, { seconds: 20 });
      try {
        await eventLogged(server(), session.id, 'publish:');
      } finally {
        run.child.kill('SIGKILL');
      }
      const refusals = (await eventsOf(server(), session.id)).filter((e) => e.startsWith('rejected:'));
      expect(refusals).toEqual(Array.from({ length: 30 }, () => 'rejected:wrong stream key'));
    });
  },
  { media: true, ffmpeg: null, timeoutMs: 60_000, env: { LIVE_RECONNECT_GRACE_SECONDS: '1' } },
);
