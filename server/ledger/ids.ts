import crypto from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A UUIDv7 (time-ordered, like newId()) for journal rows, drawing its random bits from a pool filled
 * 64 KiB at a time: a settlement batch makes thousands of ids, and one getrandom call per id cost
 * more than the inserts.
 */
export function journalId(ms = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = crypto.randomBytes(65_536);
    offset = 0;
  }
  const b = pool;
  const o = offset;
  offset += 10;
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${HEX[b[o]!]!.slice(1)}${HEX[b[o + 1]!]}-${HEX[(b[o + 2]! & 0x3f) | 0x80]}${HEX[b[o + 3]!]}-${HEX[b[o + 4]!]}${HEX[b[o + 5]!]}${HEX[b[o + 6]!]}${HEX[b[o + 7]!]}${HEX[b[o + 8]!]}${HEX[b[o + 9]!]}`;
}
