import { sql } from 'kysely';
import type { FieldProblem, Locale } from '../platform/errors.ts';
import { countEn } from '../platform/plural.ts';
import { verificationPath } from '../training/certificates.ts';
import { JOB_NAMES, JOBS, type Job } from '../training/tracks.ts';
import type { CriteriaRow, TalentStore } from './store.ts';

export type Criteria = { minLevels: Partial<Record<Job, number>>; minGmvFen: number; windowDays: number; maxViolations: number; updatedAt: string };
export type CriterionId = 'verified' | 'certificate' | 'gmv' | 'violations';

export function toCriteria(row: CriteriaRow): Criteria {
  const raw = JSON.parse(row.min_levels) as Record<string, number>;
  const minLevels: Partial<Record<Job, number>> = {};
  for (const job of JOBS) if (typeof raw[job] === 'number') minLevels[job] = raw[job];
  return { minLevels, minGmvFen: Number(row.min_gmv_fen), windowDays: row.window_days, maxViolations: row.max_violations, updatedAt: row.updated_at };
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Whether a streamer meets the catalogue's criteria, with the evidence:
 * - verified: the streamer's real-name verification is approved;
 * - certificate: a certificate in one of the criteria's tracks at the level or higher (一级 = 1 is the highest),
 *   with its number and verification link;
 * - gmv: paid orders' totals less refunds, of orders paid within the window on the streamer's lives, ≥ the minimum;
 * - violations: lives of the streamer cut off by an operator (ended_reason 'cut_off') that ended within the window, ≤ the maximum.
 */
export async function checkEligibility(store: TalentStore, streamerId: string, criteria: Criteria, now: Date) {
  const { db } = store;
  const from = new Date(now.getTime() - criteria.windowDays * 86_400_000).toISOString();
  const to = now.toISOString();
  const user = await db
    .selectFrom('users')
    .leftJoin('streamer_profiles', 'streamer_profiles.user_id', 'users.id')
    .select(['users.id', 'users.display_name', 'streamer_profiles.status', 'streamer_profiles.real_name'])
    .where('users.id', '=', streamerId)
    .executeTakeFirst();
  if (!user) return null;

  const certRows = await db
    .selectFrom('training_certificates')
    .innerJoin('training_enrollments', 'training_enrollments.id', 'training_certificates.enrollment_id')
    .selectAll('training_certificates')
    .select(['training_enrollments.org_id'])
    .where('training_enrollments.user_id', '=', streamerId)
    .orderBy('training_certificates.issued_at')
    .execute();
  const certificates = certRows.map((c) => {
    const required = criteria.minLevels[c.job as Job];
    return {
      number: c.number,
      job: c.job,
      jobName: JOB_NAMES[c.job as Job] ?? { 'zh-CN': c.job, en: c.job },
      level: c.level,
      orgId: c.org_id,
      orgName: c.org_name,
      issuedAt: c.issued_at,
      verifyPath: verificationPath(c),
      meets: required !== undefined && c.level <= required,
    };
  });

  const lives = await db
    .selectFrom('orders')
    .innerJoin('live_sessions', 'live_sessions.id', 'orders.session_id')
    .select([
      'live_sessions.id',
      'live_sessions.title',
      'live_sessions.started_at',
      sql<number>`count(*)`.as('orders'),
      sql<number>`coalesce(sum(orders.total_fen), 0)`.as('paid_fen'),
      sql<number>`coalesce(sum(orders.refunded_fen), 0)`.as('refunded_fen'),
    ])
    .where('live_sessions.streamer_id', '=', streamerId)
    .where('orders.paid_at', 'is not', null)
    .where('orders.paid_at', '>=', from)
    .where('orders.paid_at', '<=', to)
    .groupBy(['live_sessions.id', 'live_sessions.title', 'live_sessions.started_at'])
    .execute();
  const livesCounted = lives
    .map((l) => ({ id: l.id, title: l.title, startedAt: l.started_at, orders: n(l.orders), paidFen: n(l.paid_fen), refundedFen: n(l.refunded_fen), netFen: n(l.paid_fen) - n(l.refunded_fen) }))
    .sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? 1 : -1));
  const gmv = {
    from,
    to,
    paidFen: livesCounted.reduce((s, l) => s + l.paidFen, 0),
    refundedFen: livesCounted.reduce((s, l) => s + l.refundedFen, 0),
    netFen: livesCounted.reduce((s, l) => s + l.netFen, 0),
    orders: livesCounted.reduce((s, l) => s + l.orders, 0),
    lives: livesCounted,
  };

  const violationRows = await db
    .selectFrom('live_sessions')
    .select(['id', 'title', 'ended_at', 'cut_off_reason', 'cut_off_by'])
    .where('streamer_id', '=', streamerId)
    .where('ended_reason', '=', 'cut_off')
    .where('ended_at', '>=', from)
    .orderBy('ended_at', 'desc')
    .execute();
  const violations = violationRows.map((v) => ({ sessionId: v.id, title: v.title, endedAt: v.ended_at, reason: v.cut_off_reason, cutOffBy: v.cut_off_by }));

  const checks: { criterion: CriterionId; met: boolean; value: number | string; required: number | string }[] = [
    { criterion: 'verified', met: user.status === 'approved', value: user.status ?? 'none', required: 'approved' },
    {
      criterion: 'certificate',
      met: certificates.some((c) => c.meets),
      value: certificates.map((c) => `${c.job}:${c.level}`).join(' ') || 'none',
      required: Object.entries(criteria.minLevels).map(([job, level]) => `${job}:${level}`).join(' '),
    },
    { criterion: 'gmv', met: gmv.netFen >= criteria.minGmvFen, value: gmv.netFen, required: criteria.minGmvFen },
    { criterion: 'violations', met: violations.length <= criteria.maxViolations, value: violations.length, required: criteria.maxViolations },
  ];
  return {
    streamer: { id: user.id, displayName: user.display_name, verification: user.status ?? 'none' },
    eligible: checks.every((c) => c.met),
    checkedAt: to,
    criteria,
    checks,
    certificates,
    gmv,
    violations,
  };
}

export type Eligibility = NonNullable<Awaited<ReturnType<typeof checkEligibility>>>;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const LEVEL_NAMES = ['', '一级', '二级', '三级', '四级', '五级'];

/** The field code of each failing criterion in TALENT_NOT_ELIGIBLE's `error.fields` (docs/TALENT.md). */
const CRITERION_CODES: Record<CriterionId, string> = { verified: 'TALENT_VERIFIED', certificate: 'TALENT_CERTIFICATE', gmv: 'TALENT_GMV', violations: 'TALENT_VIOLATIONS' };

/** The failing criteria as field problems (path = criterion), in the caller's language. */
export function failingCriteria(e: Eligibility, locale: Locale): FieldProblem[] {
  const zh = locale === 'zh-CN';
  const levels = Object.entries(e.criteria.minLevels)
    .map(([job, level]) => (zh ? `${JOB_NAMES[job as Job]['zh-CN']}${LEVEL_NAMES[level] ?? level}及以上` : `${JOB_NAMES[job as Job].en} level ${level} or higher`))
    .join(zh ? '、' : ', ');
  const message: Record<CriterionId, string> = {
    verified: zh ? '主播实名认证未通过' : 'The streamer’s real-name verification is not approved',
    certificate: zh ? `无符合要求的证书（须持有：${levels}）` : `No qualifying certificate (needs one of: ${levels})`,
    gmv: zh ? `近 ${e.criteria.windowDays} 天成交额 ${yuan(e.gmv.netFen)}，低于 ${yuan(e.criteria.minGmvFen)}` : `GMV over the last ${countEn(e.criteria.windowDays, 'day')} is ${yuan(e.gmv.netFen)}, under ${yuan(e.criteria.minGmvFen)}`,
    violations: zh ? `近 ${e.criteria.windowDays} 天有 ${e.violations.length} 场直播因违规被平台切断（上限 ${e.criteria.maxViolations}）` : `${countEn(e.violations.length, 'live', 'lives')} cut off by the platform for violations in the last ${countEn(e.criteria.windowDays, 'day')} (at most ${e.criteria.maxViolations})`,
  };
  return e.checks.filter((c) => !c.met).map((c) => ({ path: c.criterion, code: CRITERION_CODES[c.criterion], message: message[c.criterion] }));
}
