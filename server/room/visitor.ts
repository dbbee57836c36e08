import crypto from 'node:crypto';

/**
 * Who a room visitor is, for counting unique viewers (and product clicks, server/analytics): the
 * user when logged in, else a hash of address and browser that keeps neither.
 */
export function visitorIdOf(user: { id: string } | null, ip: string, userAgent: string | undefined): string {
  return user?.id ?? `anon:${crypto.createHash('sha256').update(`${ip}|${userAgent ?? ''}`).digest('hex').slice(0, 16)}`;
}
