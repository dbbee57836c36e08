import type { FastifyRequest } from 'fastify';

/**
 * Whether a browser request comes from a page of this site (or an allowed origin). A request without
 * Origin or Referer comes from a non-browser client, which has no ambient cookies to abuse.
 */
export function isSameOrigin(request: FastifyRequest, allowed: string[]): boolean {
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    const parsed = new URL(origin);
    // Parse the Host header the same way, so default ports (":80") compare equal.
    return parsed.host === new URL(`${parsed.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}
