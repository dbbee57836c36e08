import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../platform/errors.ts';

/** Loopback, private, link-local and unspecified ranges: the inside of the network a server sits in. */
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addSubnet('0.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addAddress('::', 'ipv6');

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function mappedV4(host: string): string {
  // ::ffff:127.0.0.1 is 127.0.0.1
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  return m ? m[1]! : host;
}

export function isPrivateAddress(address: string): boolean {
  const host = mappedV4(bareHost(address));
  const family = net.isIP(host);
  if (!family) return false;
  return PRIVATE.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

export type SelfAddress = {
  /** The origins this server is reached at (ALLOWED_ORIGINS, PAYMENT_NOTIFY_BASE_URL): refused whatever the port setting. */
  origins: string[];
  /** Host names this server answers to on its own port (its HOST setting). */
  hosts: string[];
  /** The ports this server listens on. */
  ports: number[];
};

/**
 * Checks a webhook URL as it is registered: http or https only, never the server itself (its public
 * origins, or its own port on a loopback or own host name), and never a loopback or private address
 * unless WEBHOOK_ALLOW_PRIVATE. Answers the normalised URL.
 */
export function checkWebhookUrl(raw: string, self: SelfAddress, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('WEBHOOK_URL_INVALID');
  if (!url.hostname) throw new AppError('WEBHOOK_URL_INVALID');
  const host = mappedV4(bareHost(url.hostname));
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const selfOrigins = new Set(self.origins.map((o) => new URL(o).origin));
  if (selfOrigins.has(url.origin)) throw new AppError('WEBHOOK_URL_SELF');
  const family = net.isIP(host);
  const loopback = isLocalName(host) || (family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6'));
  const ownHost = self.hosts.map(bareHost).includes(host);
  if ((loopback || ownHost) && self.ports.includes(port)) throw new AppError('WEBHOOK_URL_SELF');
  if (!allowPrivate && (isLocalName(host) || isPrivateAddress(host))) throw new AppError('WEBHOOK_URL_PRIVATE');
  return url.toString();
}

/**
 * At delivery: a host name that resolves to a private address is refused (unless allowed), so a
 * public-looking name cannot reach the inside of the network. Answers a reason, or null when fine.
 */
export async function privateResolution(hostname: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = bareHost(hostname);
  if (net.isIP(host)) return isPrivateAddress(host) ? 'the address is private' : null;
  if (isLocalName(host)) return 'the address is private';
  try {
    const addresses = await dns.lookup(host, { all: true });
    return addresses.some((a) => isPrivateAddress(a.address)) ? 'the host name resolves to a private address' : null;
  } catch {
    return 'the host name does not resolve';
  }
}
