import crypto from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { ApiKeyScope } from './schema.ts';

/** A request authenticated with an API key: the organisation it acts for, and what it may do. */
export type ApiKeyPrincipal = { keyId: string; orgId: string; scopes: ApiKeyScope[] };

const KEY_PREFIX = 'zb_live_';
/** zb_live_ then 43 base64url characters (32 random bytes). */
const KEY_SHAPE = /^zb_live_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key, so a busy integration does not write on every call. */
const LAST_USED_EVERY_MS = 60_000;

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

function toKey(row: { id: string; name: string; prefix: string; scopes: string; created_at: string; created_by: string; last_used_at: string | null; revoked_at: string | null }) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Organisation API keys. The key is 32 random bytes with a recognisable prefix; only its sha256 is
 * stored (a key has the entropy a password lacks, so a plain fast hash is enough), and it is shown
 * once, when created.
 */
export function createApiKeys(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  /** Told of each key revoked on this node (the open event sockets close at once; other nodes notice within seconds). */
  const revokedListeners: ((keyId: string) => void)[] = [];
  return {
    onRevoked(listener: (keyId: string) => void) {
      revokedListeners.push(listener);
    },

    async create(orgId: string, input: { name: string; scopes: ApiKeyScope[] }, userId: string) {
      const secret = `${KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
      const row = {
        id: newId(),
        org_id: orgId,
        name: input.name,
        prefix: secret.slice(0, KEY_PREFIX.length + 6),
        key_hash: hashKey(secret),
        scopes: JSON.stringify([...new Set(input.scopes)].sort()),
        created_by: userId,
        created_at: clock.now().toISOString(),
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { apiKey: toKey(row), secret };
    },

    async list(orgId: string) {
      const rows = await db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(toKey);
    },

    async revoke(orgId: string, keyId: string, userId: string) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', keyId).where('org_id', '=', orgId).executeTakeFirst();
      if (!row) throw new AppError('APIKEY_NOT_FOUND');
      if (!row.revoked_at) {
        const at = clock.now().toISOString();
        await db.updateTable('api_keys').set({ revoked_at: at, revoked_by: userId }).where('id', '=', keyId).where('revoked_at', 'is', null).execute();
        for (const listener of revokedListeners) listener(keyId);
        return toKey({ ...row, revoked_at: at });
      }
      return toKey(row);
    },

    /** The `Authorization: Bearer <key>` of a request, checked for a scope. */
    async authenticate(authorization: string | undefined, scope: ApiKeyScope): Promise<ApiKeyPrincipal> {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      const key = match?.[1];
      if (!key || !KEY_SHAPE.test(key)) throw new AppError('APIKEY_INVALID');
      const row = await db.selectFrom('api_keys').select(['id', 'org_id', 'scopes', 'revoked_at', 'last_used_at']).where('key_hash', '=', hashKey(key)).executeTakeFirst();
      if (!row) throw new AppError('APIKEY_INVALID');
      if (row.revoked_at) throw new AppError('APIKEY_REVOKED');
      const scopes = JSON.parse(row.scopes) as ApiKeyScope[];
      if (!scopes.includes(scope)) throw new AppError('APIKEY_SCOPE_MISSING', { scope });
      const now = clock.now();
      if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS) {
        await db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
      }
      return { keyId: row.id, orgId: row.org_id, scopes };
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;

/** The rate-limit bucket of a request: its key (hashed, so the key never sits in Redis), else its address. */
export function rateLimitKey(authorization: string | undefined, ip: string): string {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return key ? `apikey:${hashKey(key).slice(0, 32)}` : `apikey-ip:${ip}`;
}
