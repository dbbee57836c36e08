import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, keylen: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

// scrypt parameters (RFC 7914 interactive-login strength); stored with each hash so they can change later.
const N = 16384;
const r = 8;
const p = 1;
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when the login does not exist, so timing reveals nothing. */
export const DUMMY_HASH = await hashPassword(crypto.randomBytes(12).toString('hex'));

const COMMON = new Set([
  'password1', 'password123', 'passw0rd', 'qwerty123', 'qwer1234', 'abc12345', 'abcd1234', 'a1234567',
  'a12345678', '1234abcd', '12345678a', '1q2w3e4r', '1qaz2wsx', 'admin123', 'iloveyou1', 'woaini1314',
  'zhibo123', 'zhibo2026', 'aa123456', 'asd12345',
]);

export function isStrongPassword(password: string): boolean {
  return (
    password.length >= 8 &&
    password.length <= 128 &&
    /[A-Za-z]/.test(password) &&
    /\d/.test(password) &&
    !COMMON.has(password.toLowerCase())
  );
}
