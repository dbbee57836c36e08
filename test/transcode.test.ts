import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { streamer } from './helpers/people.ts';
import { publish, waitUntil } from './helpers/publisher.ts';

describeEachDatabase(
  'TRANSCODE: a 480p rendition',
  ({ server }) => {
    it('encodes and serves a lower rendition beside the original', async () => {
      const { client } = await streamer(server());
      const { session, push } = (await client.post('/api/streamer/live-sessions', { title: '多清晰度', scheduledAt: new Date(Date.now() + 60_000).toISOString() })).json();
      const run = publish(push.url, { seconds: 20, size: '854x480' });
      try {
        const view = await waitUntil(async () => {
          const v = (await server().client().get(`/api/live-sessions/${session.id}`)).json();
          return v.session.status === 'live' ? v : null;
        }, 15_000, 'live');
        expect(view.playback.renditions).toEqual([{ name: '480p', flv: `/live/${session.id}_480p.flv` }]);
        const base = `http://127.0.0.1:${(server().app.server.address() as AddressInfo).port}`;
        const bytes = await waitUntil(async () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 2500);
          const chunks: Buffer[] = [];
          try {
            const response = await fetch(`${base}/live/${session.id}_480p.flv`, { signal: controller.signal });
            const reader = response.body!.getReader();
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              chunks.push(Buffer.from(value));
            }
          } catch {
            // aborted after 2.5 s
          }
          const all = Buffer.concat(chunks);
          return all.length > 20_000 ? all : null;
        }, 20_000, 'the 480p rendition');
        expect(bytes.subarray(0, 3).toString('latin1')).toBe('FLV');
        // The rendition is Zhibo's own publisher: it is not the session's publisher and is not listed as one.
        expect((await client.get(`/api/streamer/live-sessions/${session.id}`)).json().health.stream.width).toBe(854);
      } finally {
        run.child.kill('SIGKILL');
      }
    });
  },
  { media: true, timeoutMs: 60_000, env: { TRANSCODE: 'true', HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' } },
);
