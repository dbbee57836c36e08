import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { locateFfmpeg } from '../../server/live/media/ffmpeg.ts';

const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);

export function ffmpegPath(): string {
  if (!ffmpeg) throw new Error('ffmpeg is needed for the video tests (it ships with the @ffmpeg-installer package)');
  return ffmpeg.path;
}

export type PublishOptions = {
  seconds?: number;
  /** H.264 + AAC by default; 'audio-only' and 'mp3' make streams Zhibo must refuse. */
  kind?: 'h264' | 'audio-only' | 'mp3';
  size?: string;
};

/** A real encoder: ffmpeg publishing a test pattern (with a tone) over RTMP, at real-time speed. */
export function publish(url: string, options: PublishOptions = {}) {
  const { seconds = 6, kind = 'h264', size = '320x240' } = options;
  const video = ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`];
  const audio = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'];
  const args =
    kind === 'audio-only'
      ? ['-re', ...audio, '-c:a', 'aac', '-b:a', '64k']
      : ['-re', ...video, ...audio, '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p', ...(kind === 'mp3' ? ['-c:a', 'libmp3lame'] : ['-c:a', 'aac', '-b:a', '64k'])];
  const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args, '-t', String(seconds), '-f', 'flv', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type RtmpClientType = {
  connect(url: string): Promise<void>;
  sendConnect(): Promise<unknown>;
  sendCreateStream(): Promise<unknown>;
  sendPublish(name: string): Promise<unknown>;
  sendPacket(packet: Record<string, unknown>): void;
  disconnect(): void;
  socket: import('node:net').Socket | null;
};

/**
 * Publishes hand-made packets over RTMP: an HEVC stream in enhanced-RTMP form (as OBS 29+ sends it),
 * which this machine's ffmpeg cannot mux into FLV.
 */
export async function publishHevcPackets(url: string): Promise<{ closedByServer: Promise<void> }> {
  const require = createRequire(import.meta.url);
  const RtmpClient = require('node-media-server/src/protocol/rtmp_client.js') as new () => RtmpClientType;
  const client = new RtmpClient();
  await client.connect(url);
  const socket = client.socket!;
  const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await client.sendConnect();
  await client.sendCreateStream();
  const name = url.slice(url.indexOf('/live/') + '/live/'.length);
  void client.sendPublish(name).catch(() => undefined);
  const hvc1 = Buffer.from('hvc1', 'latin1');
  // Enhanced FLV video tag: IsExHeader | FrameType=1 (key) | PacketType=0 (sequence start), then the FourCC.
  const sequenceStart = Buffer.concat([Buffer.from([0x80 | (1 << 4) | 0]), hvc1, Buffer.alloc(23)]);
  const keyframe = Buffer.concat([Buffer.from([0x80 | (1 << 4) | 1]), hvc1, Buffer.from([0, 0, 0]), Buffer.alloc(200)]);
  for (const [i, data] of [sequenceStart, keyframe, keyframe].entries()) {
    if (socket.destroyed) break;
    client.sendPacket({ codec_type: 9, codec_id: hvc1.readUInt32BE(), flags: i === 0 ? 2 : 3, dts: i * 40, pts: i * 40, size: data.length, data, duration: 0, offset: 0 });
    await new Promise((r) => setTimeout(r, 100));
  }
  return { closedByServer };
}

/**
 * Asks to publish to `url` over RTMP without sending any media (as a client guessing stream keys
 * would), and resolves once the server has closed the connection.
 */
export async function tryPublish(url: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const RtmpClient = require('node-media-server/src/protocol/rtmp_client.js') as new () => RtmpClientType;
  const client = new RtmpClient();
  await client.connect(url);
  const socket = client.socket!;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await client.sendConnect();
  await client.sendCreateStream();
  void client.sendPublish(url.slice(url.indexOf('/live/') + '/live/'.length)).catch(() => undefined);
  await closed;
}
