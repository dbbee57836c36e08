import type { Transaction } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { inForceAt } from './window.ts';

/**
 * What a streamer lets their MCN do for them, granted contract by contract (docs/MCN.md). There is
 * deliberately no 'withdraw': a streamer's money leaves only by the streamer's own hand.
 */
export const MCN_RIGHTS = ['manage_products', 'manage_sessions', 'view_earnings', 'request_samples'] as const;
export type McnRight = (typeof MCN_RIGHTS)[number];

/**
 * Each right in words, for refusals (MCN_RIGHT_NOT_GRANTED names the right the way the consoles do,
 * never by its code); the same words as the web's `mcn.right.*`.
 */
export const MCN_RIGHT_NAMES: Record<McnRight, { 'zh-CN': string; en: string }> = {
  manage_products: { 'zh-CN': '管理小黄车与选品', en: 'Manage the cart and apply for products' },
  manage_sessions: { 'zh-CN': '排期直播', en: 'Schedule lives' },
  view_earnings: { 'zh-CN': '查看主播收益', en: "See the streamer's earnings" },
  request_samples: { 'zh-CN': '申请寄样', en: 'Request samples' },
};

/** Checks a requested set of rights: unknown ones and 'withdraw' → CONTRACT_RIGHT_INVALID. Sorted, once each. */
export function checkRights(rights: readonly string[]): McnRight[] {
  for (const right of rights) if (!(MCN_RIGHTS as readonly string[]).includes(right)) throw new AppError('CONTRACT_RIGHT_INVALID', { right });
  return MCN_RIGHTS.filter((r) => rights.includes(r));
}

type Q = Db | Transaction<Database>;

/**
 * The streamers under a contract with this MCN in force at `at`, as a subquery of `streamer_id`
 * (for lists: `where('streamer_id', 'in', streamersInForce(db, mcnOrgId, at))`). The SQL form of
 * window.ts: accepted, max(starts_at, accepted_at) ≤ at < min(ends_at, terminated_at).
 */
export function streamersInForce(db: Q, mcnOrgId: string, at: string) {
  return db
    .selectFrom('mcn_contracts')
    .select('mcn_contracts.streamer_id')
    .where('mcn_contracts.mcn_org_id', '=', mcnOrgId)
    .where('mcn_contracts.status', 'in', ['accepted', 'terminated'])
    .where('mcn_contracts.starts_at', '<=', at)
    .where('mcn_contracts.accepted_at', '<=', at)
    .where((eb) => eb.or([eb('mcn_contracts.ends_at', 'is', null), eb('mcn_contracts.ends_at', '>', at)]))
    .where((eb) => eb.or([eb('mcn_contracts.terminated_at', 'is', null), eb('mcn_contracts.terminated_at', '>', at)]));
}

export function parseRights(json: string): McnRight[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? MCN_RIGHTS.filter((r) => list.includes(r)) : [];
  } catch {
    return [];
  }
}

/**
 * The rights check other domains call (cooperation: the 小黄车, applications, samples; live: sessions).
 * An MCN may act for a streamer only under an accepted contract in force now that grants the right.
 */
export function createMcnRights(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /** The MCN's contracts with the streamer that could matter: offered, accepted, terminated. */
  const contractsOf = (mcnOrgId: string, streamerId: string, q: Q = db) =>
    q
      .selectFrom('mcn_contracts')
      .select(['id', 'status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at', 'rights'])
      .where('mcn_org_id', '=', mcnOrgId)
      .where('streamer_id', '=', streamerId)
      .where('status', 'in', ['offered', 'accepted', 'terminated'])
      .execute();

  return {
    /** True when an accepted contract between them is in force now and grants `right` (read in `trx` if given). */
    async mayActFor(mcnOrgId: string, streamerId: string, right: McnRight, trx?: Q): Promise<boolean> {
      const now = clock.now().toISOString();
      const rows = await contractsOf(mcnOrgId, streamerId, trx);
      return rows.some((c) => inForceAt(c, now) && parseRights(c.rights).includes(right));
    },

    /** True when an accepted contract between them is in force now, whatever its rights (to read the streamer's cooperation). */
    async isSignedTo(mcnOrgId: string, streamerId: string, trx?: Q): Promise<boolean> {
      const now = clock.now().toISOString();
      return (await contractsOf(mcnOrgId, streamerId, trx)).some((c) => inForceAt(c, now));
    },

    /** streamersInForce at the clock's now. */
    streamersInForce: (mcnOrgId: string, trx?: Q) => streamersInForce(trx ?? db, mcnOrgId, clock.now().toISOString()),

    /**
     * Like mayActFor, but says why not: CONTRACT_NOT_ACCEPTED (only an offer the streamer has not
     * accepted), CONTRACT_NOT_IN_FORCE (accepted, but not yet begun or already ended),
     * MCN_RIGHT_NOT_GRANTED (in force without that right), CONTRACT_NOT_FOUND (no contract at all).
     */
    async requireRight(mcnOrgId: string, streamerId: string, right: McnRight): Promise<{ contractId: string }> {
      const now = clock.now().toISOString();
      const rows = await contractsOf(mcnOrgId, streamerId);
      const current = rows.filter((c) => inForceAt(c, now));
      const granted = current.find((c) => parseRights(c.rights).includes(right));
      if (granted) return { contractId: granted.id };
      if (current.length) throw new AppError('MCN_RIGHT_NOT_GRANTED', { right, rightZh: MCN_RIGHT_NAMES[right]['zh-CN'], rightEn: MCN_RIGHT_NAMES[right].en });
      if (rows.some((c) => c.status !== 'offered')) throw new AppError('CONTRACT_NOT_IN_FORCE');
      if (rows.length) throw new AppError('CONTRACT_NOT_ACCEPTED');
      throw new AppError('CONTRACT_NOT_FOUND');
    },
  };
}

export type McnRights = ReturnType<typeof createMcnRights>;
