import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateFfmpeg } from './ffmpeg.ts';
import pino from 'pino';
import { MediaPipelines, RENDITION_480P } from './pipeline.ts';

const ffmpeg = locateFfmpeg();

describe.skipIf(!ffmpeg)('the 480p rendition', () => {
  // What the transcoder's filter makes of a landscape, a portrait and a small picture (two frames each, through ffmpeg).
  it.each([
    ['1280x720', [854, 480]],
    ['720x1280', [480, 854]],
    ['1080x1920', [480, 854]],
    ['320x240', [320, 240]],
  ])('scales %s so its short side is at most 480: %j', (size, expected) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-scale-'));
    try {
      const out = path.join(dir, 'out.y4m');
      execFileSync(ffmpeg!.path, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-frames:v', '2', '-vf', RENDITION_480P, '-pix_fmt', 'yuv420p', '-y', out]);
      // A YUV4MPEG2 file starts with a text header naming the picture's size: "YUV4MPEG2 W480 H854 …".
      const header = fs.readFileSync(out).subarray(0, 64).toString('latin1');
      expect([Number(/ W(\d+)/.exec(header)?.[1]), Number(/ H(\d+)/.exec(header)?.[1])]).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(process.platform === 'win32')('shutting the pipelines down', () => {
  // A stand-in for ffmpeg that, like ffmpeg closing its last segment and playlist, takes a moment after SIGINT
  // to finish writing and exit.
  it('waits for an ffmpeg stopped just before (a live that ended) to finish writing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-stop-'));
    try {
      const fake = path.join(dir, 'ffmpeg');
      const done = path.join(dir, 'finished');
      fs.writeFileSync(fake, `#!/bin/sh\ntrap 'sleep 0.7; echo done > "${done}"; exit 0' INT\nwhile :; do sleep 0.05; done\n`, { mode: 0o755 });
      const pipelines = new MediaPipelines({ ffmpegPath: fake, dataDir: dir, sourceUrl: () => 'rtmp://127.0.0.1:1/x', publishUrl: () => 'rtmp://127.0.0.1:1/y', hls: false, record: true, transcode: false, logger: pino({ level: 'silent' }) });
      pipelines.start('s1');
      await new Promise((r) => setTimeout(r, 300)); // the trap is set
      pipelines.stop('s1');
      expect(pipelines.isRunning('s1')).toBe(false);
      await pipelines.stopAll();
      expect(fs.existsSync(done)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
