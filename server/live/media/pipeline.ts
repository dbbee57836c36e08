import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * The 480p rendition's scaling: the SHORT side becomes 480 (never enlarged), the other follows the aspect ratio
 * (even). A landscape 1280×720 becomes 854×480 and a portrait 720×1280, as phones and vertical OBS canvases send,
 * 480×854 (a plain `scale=-2:480` would squeeze it to 270×480).
 */
export const RENDITION_480P = 'scale=w=if(gte(iw\\,ih)\\,-2\\,min(480\\,iw)):h=if(gte(iw\\,ih)\\,min(480\\,ih)\\,-2)';

export type PipelineOptions = {
  ffmpegPath: string;
  dataDir: string;
  /** rtmp://127.0.0.1:<port>/live/<id>?internal=<token>, built by the caller. */
  sourceUrl: (sessionId: string) => string;
  publishUrl: (streamName: string) => string;
  hls: boolean;
  record: boolean;
  transcode: boolean;
  logger: Logger;
};

export function hlsDir(dataDir: string, sessionId: string) {
  return path.join(dataDir, 'media', 'hls', sessionId);
}

export function recordingDir(dataDir: string, sessionId: string) {
  return path.join(dataDir, 'media', 'recordings', sessionId);
}

/**
 * One ffmpeg per live session pulls the stream from the embedded ingest and, without re-encoding,
 * writes the live HLS (segments of about 1 s, or the publisher's keyframe interval) and the recording
 * (an HLS event playlist that becomes the replay). With TRANSCODE on, a second ffmpeg encodes a
 * 480p rendition and publishes it back as `<id>_480p`.
 * ffmpeg stops when the publisher goes away; the next publish starts it again and the recording
 * carries on after a discontinuity.
 */
export class MediaPipelines {
  private readonly running = new Map<string, ChildProcess[]>();
  /** Stopped, still finishing their segment and playlist: shutdown waits for these too. */
  private readonly exiting = new Set<ChildProcess>();

  constructor(private readonly options: PipelineOptions) {}

  start(sessionId: string) {
    if (this.running.has(sessionId)) return;
    const { options } = this;
    const processes: ChildProcess[] = [];
    const outputs: string[] = [];
    if (options.hls) {
      const dir = hlsDir(options.dataDir, sessionId);
      fs.mkdirSync(dir, { recursive: true });
      outputs.push(
        ...['-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6'],
        // epoch-based sequence numbers keep players happy across ffmpeg restarts.
        ...['-hls_flags', 'delete_segments+independent_segments+omit_endlist+discont_start', '-hls_start_number_source', 'epoch'],
        ...['-hls_segment_filename', path.join(dir, 'seg-%d.ts'), path.join(dir, 'index.m3u8')],
      );
    }
    if (options.record) {
      const dir = recordingDir(options.dataDir, sessionId);
      fs.mkdirSync(dir, { recursive: true });
      outputs.push(
        ...['-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-f', 'hls', '-hls_time', '4', '-hls_list_size', '0', '-hls_playlist_type', 'event'],
        ...['-hls_flags', 'append_list+independent_segments+discont_start+omit_endlist'],
        ...['-hls_segment_filename', path.join(dir, 'part-%05d.ts'), path.join(dir, 'index.m3u8')],
      );
    }
    if (outputs.length) processes.push(this.spawn(sessionId, 'copy', ['-i', options.sourceUrl(sessionId), ...outputs]));
    if (options.transcode) {
      processes.push(
        this.spawn(sessionId, 'transcode', [
          '-i', options.sourceUrl(sessionId),
          ...['-map', '0:v:0', '-map', '0:a:0?', '-vf', RENDITION_480P, '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency'],
          ...['-b:v', '800k', '-maxrate', '900k', '-bufsize', '900k', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '64k'],
          ...['-f', 'flv', options.publishUrl(`${sessionId}_480p`)],
        ]),
      );
    }
    if (processes.length) this.running.set(sessionId, processes);
  }

  stop(sessionId: string) {
    const processes = this.running.get(sessionId);
    if (!processes) return;
    this.running.delete(sessionId);
    // SIGINT makes ffmpeg interrupt a blocking read, finish the current segment and write its playlist; SIGKILL if it hangs.
    for (const child of processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      this.exiting.add(child);
      child.kill('SIGINT');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      kill.unref();
      child.once('exit', () => {
        clearTimeout(kill);
        this.exiting.delete(child);
      });
    }
  }

  /** Stops every pipeline and waits until every ffmpeg has exited, also those stopped just before (a live that ended). */
  async stopAll() {
    for (const id of [...this.running.keys()]) this.stop(id);
    await Promise.all([...this.exiting].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
  }

  isRunning(sessionId: string) {
    return this.running.has(sessionId);
  }

  private spawn(sessionId: string, role: string, args: string[]) {
    const { logger, ffmpegPath } = this.options;
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-rw_timeout', '15000000', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      const list = this.running.get(sessionId);
      if (list?.includes(child)) {
        list.splice(list.indexOf(child), 1);
        if (!list.length) this.running.delete(sessionId);
      }
      logger.info({ sessionId, role, code, signal, stderr: code ? stderr.trim().split('\n').slice(-3) : undefined }, 'ffmpeg exited');
    });
    child.on('error', (error) => logger.error({ err: error, sessionId, role }, 'ffmpeg failed to start'));
    return child;
  }
}

/** Closes a recording's playlist so that it plays as a whole, seekable replay. */
export function finalizeRecording(dataDir: string, sessionId: string): { durationMs: number; bytes: number } | null {
  const dir = recordingDir(dataDir, sessionId);
  const playlist = path.join(dir, 'index.m3u8');
  if (!fs.existsSync(playlist)) return null;
  let text = fs.readFileSync(playlist, 'utf8');
  text = text.replace('#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-PLAYLIST-TYPE:VOD');
  if (!text.includes('#EXT-X-ENDLIST')) text = `${text.trimEnd()}\n#EXT-X-ENDLIST\n`;
  fs.writeFileSync(playlist, text);
  const durationMs = Math.round([...text.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0) * 1000);
  const bytes = fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
  return { durationMs, bytes };
}
