import type { AVPacket } from './nms.ts';

export type StreamHealth = {
  bitrateKbps: number;
  videoKbps: number;
  audioKbps: number;
  fps: number;
  /** Seconds between the last keyframes; players and HLS segments want ≤ 1–2 s. */
  keyframeIntervalS: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  reconnects: number;
  viewers: number;
  publishingSince: string | null;
  lastPacketAt: string | null;
};

const VIDEO_CODECS: Record<number, string> = { 7: 'H.264', 12: 'HEVC' };
const AUDIO_CODECS: Record<number, string> = { 10: 'AAC', 2: 'MP3', 9: 'Opus' };
const FOURCC_HEVC = 0x68766331; // 'hvc1'
const FOURCC_AV1 = 0x61763031; // 'av01'
const FOURCC_VP9 = 0x76703039; // 'vp09'

export function videoCodecName(codecId: number): string {
  if (codecId === FOURCC_HEVC) return 'HEVC';
  if (codecId === FOURCC_AV1) return 'AV1';
  if (codecId === FOURCC_VP9) return 'VP9';
  return VIDEO_CODECS[codecId] ?? `codec ${codecId}`;
}

export function audioCodecName(codecId: number): string {
  return AUDIO_CODECS[codecId] ?? `codec ${codecId}`;
}

/** Bitrate, frame rate and keyframe interval over a sliding window of the publisher's packets. */
export class HealthMeter {
  private samples: { at: number; bytes: number; video: boolean; frame: boolean }[] = [];
  private keyframeTimes: number[] = [];
  videoCodecId: number | null = null;
  audioCodecId: number | null = null;
  lastPacketAt: number | null = null;
  publishingSince: number | null = null;

  constructor(private readonly windowMs = 5000) {}

  observe(packet: AVPacket, now: number) {
    this.lastPacketAt = now;
    const video = packet.codec_type === 9;
    if (packet.codec_type === 9 && packet.flags !== 5) this.videoCodecId = packet.codec_id;
    if (packet.codec_type === 8) this.audioCodecId = packet.codec_id;
    this.samples.push({ at: now, bytes: packet.size, video, frame: video && (packet.flags === 3 || packet.flags === 4) });
    if (video && packet.flags === 3) {
      this.keyframeTimes.push(packet.dts);
      if (this.keyframeTimes.length > 6) this.keyframeTimes.shift();
    }
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop]!.at < cutoff) drop++;
    if (drop) this.samples.splice(0, drop);
  }

  snapshot(now: number, extra: { reconnects: number; viewers: number; width: number | null; height: number | null }): StreamHealth {
    const span = Math.max(1000, Math.min(this.windowMs, now - (this.samples[0]?.at ?? now)));
    let bytes = 0;
    let videoBytes = 0;
    let frames = 0;
    for (const s of this.samples) {
      bytes += s.bytes;
      if (s.video) videoBytes += s.bytes;
      if (s.frame) frames++;
    }
    const intervals = this.keyframeTimes.slice(1).map((t, i) => t - this.keyframeTimes[i]!);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      bitrateKbps: Math.round((bytes * 8) / span),
      videoKbps: Math.round((videoBytes * 8) / span),
      audioKbps: Math.round(((bytes - videoBytes) * 8) / span),
      fps: round((frames * 1000) / span),
      keyframeIntervalS: intervals.length ? round(intervals.reduce((a, b) => a + b, 0) / intervals.length / 1000) : null,
      width: extra.width,
      height: extra.height,
      videoCodec: this.videoCodecId === null ? null : videoCodecName(this.videoCodecId),
      audioCodec: this.audioCodecId === null ? null : audioCodecName(this.audioCodecId),
      reconnects: extra.reconnects,
      viewers: extra.viewers,
      publishingSince: this.publishingSince ? new Date(this.publishingSince).toISOString() : null,
      lastPacketAt: this.lastPacketAt ? new Date(this.lastPacketAt).toISOString() : null,
    };
  }
}

export type CodecProblem = { code: 'VIDEO_CODEC_UNSUPPORTED' | 'AUDIO_CODEC_UNSUPPORTED' | 'NO_VIDEO'; found: string };

/** Zhibo's players need H.264 video with AAC audio (or no audio). */
export function checkCodecs(meter: HealthMeter, publishingForMs: number): CodecProblem | null {
  if (meter.videoCodecId !== null && meter.videoCodecId !== 7) return { code: 'VIDEO_CODEC_UNSUPPORTED', found: videoCodecName(meter.videoCodecId) };
  if (meter.audioCodecId !== null && meter.audioCodecId !== 10) return { code: 'AUDIO_CODEC_UNSUPPORTED', found: audioCodecName(meter.audioCodecId) };
  if (meter.videoCodecId === null && meter.audioCodecId !== null && publishingForMs > 4000) return { code: 'NO_VIDEO', found: `audio only (${audioCodecName(meter.audioCodecId)})` };
  return null;
}
