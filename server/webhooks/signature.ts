import crypto from 'node:crypto';

/**
 * Webhook signatures, the way Stripe signs its: `Zhibo-Signature: t=<unix seconds>,v1=<hex>`, where
 * the hex is HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is inside the signed text, so a
 * captured delivery cannot be replayed later with a fresh one. docs/WEBHOOKS.md shows a receiver's check.
 */
export const SIGNATURE_HEADER = 'zhibo-signature';
export const EVENT_ID_HEADER = 'zhibo-event-id';

export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const v1 = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * A receiver's check, exactly as documented: the header parses, one of its v1 signatures matches the
 * raw body (compared in constant time), and its timestamp is within `toleranceSeconds` of now.
 */
export function verifySignature(secret: string, header: string | undefined, rawBody: string, options: { nowSeconds?: number; toleranceSeconds?: number } = {}): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!Number.isInteger(t) || !signatures.length) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return signatures.some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}
