import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../platform/errors.ts';

const SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export function coverDir(dataDir: string) {
  return path.join(dataDir, 'media', 'covers');
}

/** Stores a cover after checking its bytes (not its name or declared type) are a JPEG, PNG or WebP. */
export function saveCover(dataDir: string, sessionId: string, body: Buffer): string {
  const kind = SIGNATURES.find((s) => s.test(body));
  if (!kind) throw new AppError('COVER_NOT_IMAGE');
  const name = `${sessionId}-${crypto.randomBytes(6).toString('hex')}.${kind.ext}`;
  fs.mkdirSync(coverDir(dataDir), { recursive: true });
  fs.writeFileSync(path.join(coverDir(dataDir), name), body);
  return `/media/covers/${name}`;
}
