import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { streamer } from './helpers/people.ts';
import { waitUntil } from './helpers/publisher.ts';
import type { TestClient } from './helpers/server.ts';

const TOKEN = 'origin-callback-token-0123456789';

/** The body SRS 5 posts to http_hooks.on_publish (other origins send the same fields). */
function srsHook(action: string, stream: string, param: string) {
  return {
    server_id: 'vid-0xk989d', service_id: 'rZ1OWn4f', action, client_id: '341w361a', ip: '203.0.113.7',
    vhost: '__defaultVhost__', app: 'live', tcUrl: 'rtmp://origin.example.com/live', stream, param,
    stream_url: `/live/${stream}`, stream_id: 'vid-124q9y3',
  };
}

describeEachDatabase(
  'an external origin (SRS-style callbacks)',
  ({ server }) => {
    const hook = (client: TestClient, action: 'on_publish' | 'on_unpublish', body: Record<string, unknown>, token = TOKEN) =>
      client.post(`/api/media/hooks/${action}?token=${encodeURIComponent(token)}`, body, { 'x-csrf-token': '' });

    it('accepts a publisher with the right key and serves play URLs from MEDIA_PLAY_BASE_URL', async () => {
      const { client } = await streamer(server());
      const created = (await client.post('/api/streamer/live-sessions', { title: 'SRS 直播', scheduledAt: new Date(Date.now() + 60_000).toISOString() })).json();
      const { id } = created.session;
      const key = created.push.streamKey.split('?key=')[1];
      // An origin is a server, not a browser: no cookies, no CSRF token.
      const origin = server().client();
      const accepted = await hook(origin, 'on_publish', srsHook('on_publish', id, `?key=${key}`), TOKEN);
      expect(accepted.status).toBe(200);
      expect(accepted.json()).toEqual({ code: 0 });
      const view = (await server().client().get(`/api/live-sessions/${id}`)).json();
      expect(view.session.status).toBe('live');
      expect(view.playback).toEqual({ flv: `https://cdn.example.com/live/${id}.flv`, hls: `https://cdn.example.com/live/${id}.m3u8`, renditions: [], replay: null });

      expect((await hook(origin, 'on_unpublish', srsHook('on_unpublish', id, `?key=${key}`))).json()).toEqual({ code: 0 });
      const ended = await waitUntil(async () => {
        const detail = (await client.get(`/api/streamer/live-sessions/${id}`)).json();
        // The session is marked ended just before its `ended` event is written: wait for both.
        return detail.session.status === 'ended' && detail.events.some((e: { kind: string }) => e.kind === 'ended') ? detail : null;
      }, 10_000, 'the live to end after the grace period');
      expect(ended.events.map((e: { kind: string }) => e.kind)).toEqual(['ended', 'unpublish', 'publish']);
    });

    it('refuses a wrong key, an unknown stream, another app, and logs each refusal', async () => {
      const { client } = await streamer(server());
      const { session } = (await client.post('/api/streamer/live-sessions', { title: 'SRS 拒绝', scheduledAt: new Date(Date.now() + 60_000).toISOString() })).json();
      const origin = server().client();
      const wrong = await hook(origin, 'on_publish', srsHook('on_publish', session.id, '?key=nope'));
      expect(wrong.status).toBe(403);
      expect(wrong.json()).toEqual({ code: 403, msg: 'wrong stream key' });
      expect((await hook(origin, 'on_publish', srsHook('on_publish', session.id, ''))).json().msg).toBe('no stream key');
      expect((await hook(origin, 'on_publish', srsHook('on_publish', '00000000-0000-7000-8000-000000000000', '?key=x'))).json().msg).toBe('unknown session');
      expect((await hook(origin, 'on_publish', { ...srsHook('on_publish', session.id, '?key=x'), app: 'other' })).json().msg).toBe('unknown stream path');
      const events = (await client.get(`/api/streamer/live-sessions/${session.id}`)).json().events;
      expect(events.filter((e: { kind: string }) => e.kind === 'rejected').map((e: { reason: string }) => e.reason)).toEqual(['unknown stream path', 'no stream key', 'wrong stream key']);
      expect((await client.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status).toBe('scheduled');
    });

    it('refuses callbacks without the shared token', async () => {
      const origin = server().client();
      for (const token of ['', 'wrong-token-wrong-token']) {
        const response = await hook(origin, 'on_publish', srsHook('on_publish', 'x', ''), token);
        expect(response.status).toBe(403);
        expect(response.errorCode).toBe('MEDIA_HOOK_FORBIDDEN');
      }
    });
  },
  { env: { MEDIA_INGEST: 'external', MEDIA_HOOK_TOKEN: TOKEN, MEDIA_PLAY_BASE_URL: 'https://cdn.example.com/', LIVE_RECONNECT_GRACE_SECONDS: '1' } },
);
