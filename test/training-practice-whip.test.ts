// Browser push (WHIP) into a practice live (docs/TRAINING.md, "Practice lives"), on SQLite and PostgreSQL:
// `POST /api/training/practices/:id/whip` takes an SDP offer from the practice's trainee only (who is no
// approved streamer), while the practice runs; the media goes through the same WhipIngest and loopback push
// URL as the streamer's go-live and the practice's session goes live. Refusals: another user or a trainer
// (PRACTICE_NOT_FOUND), an ended practice (PRACTICE_ENDED), not an SDP offer (WHIP_OFFER_INVALID), a
// resource of another practice on DELETE (NOT_FOUND), a server without ffmpeg (WHIP_UNAVAILABLE), a practice
// whose live session has ended (LIVE_ENDED).
// The offers come from werift, the same WebRTC stack the server uses; the media is a test pattern that
// ffmpeg encodes to H.264 RTP and werift sends.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { describeEachDatabase } from './helpers/each-database.ts';
import { ffmpegPath, waitUntil } from './helpers/publisher.ts';
import type { TestServer } from './helpers/server.ts';

let counter = 0;
const uniq = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

async function centre(server: TestServer) {
  const owner = server.client();
  await owner.register(`trainer-${uniq()}@example.com`, 'Secret123x', '培训老师');
  const org = (await owner.post('/api/orgs', { kind: 'training', name: `推流学院${uniq()}`, description: '' })).json().org;
  const enrol = async (name: string) => {
    const client = server.client();
    const login = `trainee-${uniq()}@example.com`;
    await client.register(login, 'Secret123x', name);
    const enrolled = await owner.post(`/api/orgs/${org.id}/training/enrollments`, { login, job: 'seller', level: 5 });
    expect(enrolled.status).toBe(201);
    const practice = (await client.post(`/api/training/enrollments/${enrolled.json().enrollment.id}/practices`, { title: `浏览器实训${uniq()}` })).json().practice;
    return { client, practice: practice as { id: string; session: { id: string } } };
  };
  const stranger = server.client();
  await stranger.register(`stranger-${uniq()}@example.com`, 'Secret123x', '路人');
  return { owner, stranger, enrol };
}

/** A werift peer with a send-only H.264 video track: the offer a browser would send. */
async function offerer() {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    codecs: {
      video: [new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }], parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f' })],
      audio: [],
    },
  });
  const track = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(track, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && (clearTimeout(timer), resolve()));
    });
  }
  return { pc, track, sdp: pc.localDescription!.sdp };
}

/** ffmpeg encodes a test pattern to H.264 RTP on a local UDP port; each packet goes out on the werift track. */
async function feed(track: MediaStreamTrack): Promise<{ ffmpeg: ChildProcess; udp: dgram.Socket }> {
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  udp.on('message', (packet) => track.writeRtp(packet));
  const ffmpeg = spawn(
    ffmpegPath(),
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '25', '-bsf:v', 'dump_extra'],
      ...['-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${udp.address().port}?pkt_size=1200`],
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  return { ffmpeg, udp };
}

const whipPost = (client: ReturnType<TestServer['client']>, practiceId: string, sdp: string) =>
  client.request('POST', `/api/training/practices/${practiceId}/whip`, sdp, { 'content-type': 'application/sdp' });

describeEachDatabase(
  'practice lives: browser push (WHIP)',
  ({ server }) => {
    it('the trainee pushes from the browser and the practice goes live; the offer is theirs alone, while the practice runs', async () => {
      const s = server();
      const c = await centre(s);
      const { client: trainee, practice } = await c.enrol('学员小吴');
      const sessionId = practice.session.id;
      const offer = await offerer();
      let feeding: Awaited<ReturnType<typeof feed>> | null = null;
      try {
        // Another user, the centre's trainer (who watches, never pushes) and an anonymous visitor are refused; the
        // streamer's own WHIP route is not a door for a trainee either.
        for (const who of [c.stranger, c.owner]) {
          const refused = await whipPost(who, practice.id, offer.sdp);
          expect(refused.status).toBe(404);
          expect(refused.errorCode).toBe('PRACTICE_NOT_FOUND');
        }
        expect((await whipPost(s.client(), practice.id, offer.sdp)).status).toBe(401);
        expect((await trainee.request('POST', `/api/streamer/live-sessions/${sessionId}/whip`, offer.sdp, { 'content-type': 'application/sdp' })).status).toBe(403);
        // Not an SDP offer.
        const bad = await whipPost(trainee, practice.id, 'hello');
        expect(bad.status).toBe(400);
        expect(bad.errorCode).toBe('WHIP_OFFER_INVALID');
        const json = await trainee.post(`/api/training/practices/${practice.id}/whip`, { sdp: offer.sdp });
        expect(json.errorCode).toBe('WHIP_OFFER_INVALID');
        expect((await trainee.get(`/api/training/practices/${practice.id}`)).json().practice.session).toMatchObject({ status: 'scheduled', publishing: false });

        // The trainee's offer: an SDP answer and a resource to DELETE under the practice.
        const answered = await whipPost(trainee, practice.id, offer.sdp);
        expect(answered.status, answered.body).toBe(201);
        expect(answered.raw.headers['content-type']).toMatch(/^application\/sdp/);
        const location = String(answered.raw.headers.location);
        expect(location).toMatch(new RegExp(`^/api/training/practices/${practice.id}/whip/[0-9a-f]{24}$`));
        expect(answered.body.startsWith('v=0')).toBe(true);
        await offer.pc.setRemoteDescription({ type: 'answer', sdp: answered.body });
        feeding = await feed(offer.track);

        // The media reaches the practice's session through the loopback push URL: it goes live.
        await waitUntil(async () => {
          const session = (await trainee.get(`/api/training/practices/${practice.id}`)).json().practice.session;
          return session.status === 'live' && session.publishing;
        }, 60_000, 'the practice to go live from the WHIP push').catch((error: Error) => {
          // Say where it stopped: the connection, the packets that came in, the relay.
          throw new Error(`${error.message}; WHIP publications: ${JSON.stringify(s.services.media.whip?.states())}; feeder exit ${feeding?.ffmpeg.exitCode}`);
        });
        // Its publish event is written just after the session is marked as publishing.
        await waitUntil(
          () => s.database.db.selectFrom('stream_events').select('kind').where('session_id', '=', sessionId).where('kind', '=', 'publish').executeTakeFirst(),
          15_000,
          'the publish event',
        );
        expect(s.services.media.ingest!.health(sessionId)).not.toBeNull();

        // The relay (the server's ffmpeg, named by its SDP file) dies while the browser still sends: it is
        // started again and the session publishes again, rather than staying live with nothing to see.
        const resource = location.split('/').pop()!;
        execFileSync('pkill', ['-KILL', '-f', `zhibo-whip-${resource}.sdp`]);
        await waitUntil(
          () => s.database.db.selectFrom('stream_events').select('kind').where('session_id', '=', sessionId).where('kind', '=', 'reconnect').executeTakeFirst(),
          60_000,
          'the relay to publish again (within the reconnect grace)',
        );
        expect((await trainee.get(`/api/training/practices/${practice.id}`)).json().practice.session).toMatchObject({ status: 'live', publishing: true });
        await waitUntil(async () => s.services.media.ingest!.health(sessionId)?.videoCodec === 'H.264', 30_000, 'the H.264 stream again');

        // Only the trainee can stop it: a trainer or another user is refused, and the publication goes on.
        for (const who of [c.stranger, c.owner]) expect((await who.delete(location)).errorCode).toBe('PRACTICE_NOT_FOUND');
        expect(s.services.media.whip!.ownerOf(location.split('/').pop()!)).toBe(sessionId);
        expect((await trainee.delete(location)).status).toBe(204);
        expect(s.services.media.whip!.ownerOf(location.split('/').pop()!)).toBeNull();
        await waitUntil(async () => !(await trainee.get(`/api/training/practices/${practice.id}`)).json().practice.session.publishing, 30_000, 'the push to stop');
        expect((await trainee.delete(location)).errorCode).toBe('NOT_FOUND');

        // An ended practice takes no offer.
        expect((await trainee.post(`/api/training/practices/${practice.id}/end`, {})).status).toBe(200);
        const ended = await whipPost(trainee, practice.id, offer.sdp);
        expect(ended.status).toBe(409);
        expect(ended.errorCode).toBe('PRACTICE_ENDED');
      } finally {
        feeding?.ffmpeg.kill('SIGKILL');
        feeding?.udp.close();
        await offer.pc.close();
      }
    });

    it('takes garbage on its ICE ports: a flood of STUN-, DTLS- and RTP-shaped junk leaves the publication standing, memory bounded, and the server answering', async () => {
      const s = server();
      const c = await centre(s);
      const { client: trainee, practice } = await c.enrol('学员小钱');
      const offer = await offerer();
      const sock = dgram.createSocket('udp4');
      try {
        const answered = await whipPost(trainee, practice.id, offer.sdp);
        expect(answered.status, answered.body).toBe(201);
        const resource = String(answered.raw.headers.location).split('/').pop()!;
        // Only the loopback candidates: nothing leaves this machine.
        const ports = [...answered.body.matchAll(/a=candidate:\S+ \d+ udp \d+ 127\.0\.0\.1 (\d+) typ host/g)].map((m) => Number(m[1]));
        expect(ports.length).toBeGreaterThan(0);
        const rss = process.memoryUsage().rss;
        for (let round = 0; round < 10; round++) {
          for (const port of ports) {
            for (let i = 0; i < 2000; i++) {
              const junk = crypto.randomBytes(2 + (i % 1399));
              if (i % 4 === 0) junk.writeUInt16BE(0x0001, 0); // a STUN binding request's type, the rest junk
              if (i % 4 === 1) junk[0] = 20 + (junk[0]! % 44); // a DTLS record's content type
              if (i % 4 === 2) junk[0] = 0x80 | (junk[0]! & 0x3f); // RTP/RTCP version 2
              sock.send(junk, port, '127.0.0.1');
            }
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 1000));
        expect(s.services.media.whip!.ownerOf(resource)).toBe(practice.session.id);
        expect((await trainee.get(`/api/training/practices/${practice.id}`)).status).toBe(200);
        // 20,000 datagrams per port of up to 1.4 kB each: what is kept of them is far below what was sent.
        expect(process.memoryUsage().rss - rss).toBeLessThan(150 * 1024 * 1024);
        expect((await trainee.delete(String(answered.raw.headers.location))).status).toBe(204);
      } finally {
        sock.close();
        await offer.pc.close();
      }
    });

    it('a practice’s WHIP resource cannot be stopped through another practice, even by that practice’s own trainee', async () => {
      const s = server();
      const c = await centre(s);
      const first = await c.enrol('学员甲');
      const second = await c.enrol('学员乙');
      const offer = await offerer();
      try {
        const answered = await whipPost(first.client, first.practice.id, offer.sdp);
        expect(answered.status, answered.body).toBe(201);
        const resource = String(answered.raw.headers.location).split('/').pop()!;
        // The second trainee names the first one's resource under their own practice.
        const foreign = await second.client.delete(`/api/training/practices/${second.practice.id}/whip/${resource}`);
        expect(foreign.status).toBe(404);
        expect(foreign.errorCode).toBe('NOT_FOUND');
        // …and under the first practice, which is not theirs.
        expect((await second.client.delete(`/api/training/practices/${first.practice.id}/whip/${resource}`)).errorCode).toBe('PRACTICE_NOT_FOUND');
        // The streamer's route does not reach it either (the trainee is no streamer).
        expect((await second.client.delete(`/api/streamer/live-sessions/${first.practice.session.id}/whip/${resource}`)).status).toBe(403);
        expect(s.services.media.whip!.ownerOf(resource)).toBe(first.practice.session.id);
        // Not a resource id at all.
        expect((await first.client.delete(`/api/training/practices/${first.practice.id}/whip/nope`)).errorCode).toBe('VALIDATION_FAILED');
        // Its own trainee stops it, also once the practice has ended.
        expect((await first.client.post(`/api/training/practices/${first.practice.id}/end`, {})).status).toBe(200);
        expect((await first.client.delete(`/api/training/practices/${first.practice.id}/whip/${resource}`)).status).toBe(204);
        expect(s.services.media.whip!.ownerOf(resource)).toBeNull();
        // A running practice whose live session has ended (an operator's cut-off, or no push for longer than the
        // reconnect grace) takes no offer either: the session's key no longer works.
        await s.services.live.endPractice(second.practice.session.id);
        const late = await whipPost(second.client, second.practice.id, offer.sdp);
        expect(late.status).toBe(409);
        expect(late.errorCode).toBe('LIVE_ENDED');
      } finally {
        await offer.pc.close();
      }
    });
  },
  // The grace covers the relay's restart (1 s, then ffmpeg's probe of the RTP) with room on a busy machine.
  { media: true, timeoutMs: 120_000, env: { LIVE_RECONNECT_GRACE_SECONDS: '30' } },
);

describeEachDatabase(
  'practice lives: browser push without ffmpeg on the server',
  ({ server }) => {
    it('answers WHIP_UNAVAILABLE to the trainee, after the access checks', async () => {
      const s = server();
      const c = await centre(s);
      const { client: trainee, practice } = await c.enrol('学员小郑');
      expect((await whipPost(c.stranger, practice.id, 'v=0\r\n')).errorCode).toBe('PRACTICE_NOT_FOUND');
      const refused = await whipPost(trainee, practice.id, 'v=0\r\n');
      expect(refused.status).toBe(503);
      expect(refused.errorCode).toBe('WHIP_UNAVAILABLE');
      // Stopping names no publication that could exist here.
      expect((await trainee.delete(`/api/training/practices/${practice.id}/whip/${'0'.repeat(24)}`)).errorCode).toBe('NOT_FOUND');
    });
  },
  { ffmpeg: null },
);
