import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type FfmpegInfo = { path: string; source: 'FFMPEG_PATH' | 'system' | '@ffmpeg-installer'; version: string } | null;

/**
 * Finds ffmpeg: FFMPEG_PATH if set, else the system's (PATH), else the binary shipped in the
 * @ffmpeg-installer package. Returns null when there is none: live still works over HTTP-FLV.
 */
export function locateFfmpeg(configured?: string): FfmpegInfo {
  const candidates: { path: string; source: NonNullable<FfmpegInfo>['source'] }[] = [];
  if (configured) candidates.push({ path: configured, source: 'FFMPEG_PATH' });
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    candidates.push({ path: path.join(dir, 'ffmpeg'), source: 'system' });
  }
  try {
    const require = createRequire(import.meta.url);
    candidates.push({ path: (require('@ffmpeg-installer/ffmpeg') as { path: string }).path, source: '@ffmpeg-installer' });
  } catch {
    // the optional package is not installed for this platform
  }
  for (const candidate of candidates) {
    if (!fs.existsSync(candidate.path)) continue;
    try {
      const out = execFileSync(candidate.path, ['-hide_banner', '-version'], { timeout: 5000 }).toString();
      const version = /ffmpeg version (\S+)/.exec(out)?.[1] ?? 'unknown';
      return { ...candidate, version };
    } catch {
      // not executable; try the next one
    }
  }
  return null;
}
