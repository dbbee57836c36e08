import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import { countEn } from '../platform/plural.ts';
import type { LaunchesDb } from './store.ts';

/** Reminders before a reserved launch or live starts, in minutes; 0 is "at the start". */
export const DEFAULT_REMINDER_MINUTES = [10, 0];
/** An at-start reminder (or a "now live" to followers) is still sent this long after the start, e.g. after an outage. */
const LATE_MINUTES = 60;

export function reminderMinutesFromEnv(env: Record<string, string | undefined>): number[] {
  const raw = env.REMINDER_MINUTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_REMINDER_MINUTES;
  const list = raw.split(',').map((part) => Number(part.trim()));
  if (!list.length || list.length > 5 || list.some((n) => !Number.isInteger(n) || n < 0 || n > 7 * 24 * 60) || new Set(list).size !== list.length) {
    throw new Error(`REMINDER_MINUTES must be up to five different whole numbers of minutes (0–10080), comma-separated, not "${raw}"`);
  }
  return list.sort((a, b) => b - a);
}

type Text = { zh: string; en: string };
type Round = { key: string; kind: string; title: Text; body: Text; link: string; from: 'reservations' | 'follows'; targetKind?: 'launch' | 'live'; targetId: string; dedupePrefix: string; coveredUntil?: string | null };
/** A reservation committed a little after its created_at is still picked up by the next sweep. */
const MARGIN_MS = 5000;

/**
 * Queues reminder rounds as they fall due: each round (a launch or live, and one of the reminder
 * times; or a live that started, for its streamer's followers) is claimed once by inserting its row in
 * reminder_runs, and in the same transaction every recipient's notification is inserted by one
 * INSERT … SELECT (dedupe keys make a repeat harmless). The notification sweep then delivers them in
 * batches. 100,000 reservations are one statement here, not 100,000.
 */
export function createReminders(deps: { db: LaunchesDb; clock: Clock; logger: Logger; minutes: number[] }) {
  const { db, clock, logger } = deps;

  async function queueRound(round: Round, at: string): Promise<number> {
    const covered = new Date(Date.parse(at) - MARGIN_MS).toISOString();
    const since = round.coveredUntil ?? null;
    return db.transaction().execute(async (trx) => {
      // The claim: the first node inserts the round's row; later, one node moves covered_until on.
      if (since === null) {
        const claimed = await trx.insertInto('reminder_runs').values({ key: round.key, queued: 0, covered_until: covered, created_at: at }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) return 0;
      } else {
        const moved = await trx.updateTable('reminder_runs').set({ covered_until: covered }).where('key', '=', round.key).where('covered_until', '=', since).executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return 0;
      }
      const newer = since === null ? sql`` : sql` and r.created_at > ${since}`;
      const title = sql`case when u.locale = 'en' then ${round.title.en} else ${round.title.zh} end`;
      const body = sql`case when u.locale = 'en' then ${round.body.en} else ${round.body.zh} end`;
      const source =
        round.from === 'reservations'
          ? sql`select ${round.dedupePrefix} || r.id, r.user_id, ${round.kind}, ${round.dedupePrefix} || r.id, ${title}, ${body}, ${round.link}, 'site,email,sms', ${at}, 'pending', ${at}
                from reservations r inner join users u on u.id = r.user_id
                where r.target_kind = ${round.targetKind!} and r.target_id = ${round.targetId}${newer}`
          : sql`select ${round.dedupePrefix} || f.user_id, f.user_id, ${round.kind}, ${round.dedupePrefix} || f.user_id, ${title}, ${body}, ${round.link}, 'site,email,sms', ${at}, 'pending', ${at}
                from follows f inner join users u on u.id = f.user_id
                where f.streamer_id = ${round.targetId}`;
      const result = await sql`insert into notifications (id, user_id, kind, dedupe_key, title, body, link, channels, due_at, state, created_at)
        ${source}
        on conflict (dedupe_key) do nothing`.execute(trx);
      const queued = Number(result.numAffectedRows ?? 0);
      await trx.updateTable('reminder_runs').set((eb) => ({ queued: eb('queued', '+', queued) })).where('key', '=', round.key).execute();
      return queued;
    });
  }

  /** Every round due now; safe on several nodes at once. Returns the notifications queued. */
  async function run(): Promise<number> {
    const now = clock.now();
    const at = now.toISOString();
    const late = new Date(now.getTime() - LATE_MINUTES * 60_000).toISOString();
    const rounds: Round[] = [];
    for (const minutes of deps.minutes) {
      const horizon = new Date(now.getTime() + minutes * 60_000).toISOString();
      // "in N minutes" only while it has not started; "starting now" until LATE_MINUTES after.
      const after = minutes > 0 ? at : late;
      // Due rounds not queued yet, or with reservations made since they were.
      const launches = await db
        .selectFrom('launches')
        .leftJoin('reminder_runs', (join) => join.on('reminder_runs.key', '=', sql<string>`${`launch:${minutes}:`} || launches.id`))
        .select(['launches.id', 'launches.title', 'reminder_runs.covered_until'])
        .where('launches.launch_at', '<=', horizon)
        .where('launches.launch_at', '>', after)
        .where((eb) =>
          eb.or([
            eb('reminder_runs.key', 'is', null),
            eb.exists(eb.selectFrom('reservations as r').select('r.id').where('r.target_kind', '=', 'launch').whereRef('r.target_id', '=', 'launches.id').whereRef('r.created_at', '>', 'reminder_runs.covered_until')),
          ]),
        )
        .execute();
      for (const l of launches) {
        rounds.push({
          key: `launch:${minutes}:${l.id}`,
          coveredUntil: l.covered_until,
          kind: 'launch.reminder',
          targetKind: 'launch',
          targetId: l.id,
          from: 'reservations',
          dedupePrefix: `reminder:${minutes}:`,
          link: `/launches/${l.id}`,
          title: minutes > 0 ? { zh: `「${l.title}」${minutes} 分钟后首发`, en: `${l.title} launches in ${countEn(minutes, 'minute')}` } : { zh: `「${l.title}」首发开始了`, en: `${l.title} is launching now` },
          body: minutes > 0 ? { zh: '你预约的首发即将开始，记得准时来抢首发库存。', en: 'A launch you reserved is about to start: be there for the first-release stock.' } : { zh: '首发库存已开抢，限量限购，先到先得。', en: 'The first-release stock is on sale now: limited, per-buyer limit, first come first served.' },
        });
      }
      // A live can be rescheduled: its rounds are keyed by its start time too, so a live moved after a round
      // went out is reminded again before its new time. (A round claimed before keys held the time, under
      // live:<minutes>:<id>, covers the current start if it was claimed inside that start's window.)
      const lives = await db
        .selectFrom('live_sessions')
        .leftJoin('reminder_runs', (join) => join.on('reminder_runs.key', '=', sql<string>`${`live:${minutes}:`} || live_sessions.id || '@' || live_sessions.scheduled_at`))
        .leftJoin('reminder_runs as legacy', (join) => join.on('legacy.key', '=', sql<string>`${`live:${minutes}:`} || live_sessions.id`))
        .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.scheduled_at', 'reminder_runs.covered_until', 'legacy.created_at as legacy_at'])
        .where('live_sessions.status', 'in', ['scheduled', 'live'])
        .where('live_sessions.scheduled_at', '<=', horizon)
        .where('live_sessions.scheduled_at', '>', after)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('reservations as r')
              .select('r.id')
              .where('r.target_kind', '=', 'live')
              .whereRef('r.target_id', '=', 'live_sessions.id')
              .where((inner) => inner.or([inner('reminder_runs.key', 'is', null), inner('r.created_at', '>', inner.ref('reminder_runs.covered_until'))])),
          ),
        )
        .execute();
      for (const s of lives) {
        if (s.legacy_at && Date.parse(s.legacy_at) >= Date.parse(s.scheduled_at) - minutes * 60_000 - MARGIN_MS) continue;
        rounds.push({
          key: `live:${minutes}:${s.id}@${s.scheduled_at}`,
          coveredUntil: s.covered_until,
          kind: 'live.reminder',
          targetKind: 'live',
          targetId: s.id,
          from: 'reservations',
          dedupePrefix: `reminder:${minutes}:${s.scheduled_at}:`,
          link: `/watch/${s.id}`,
          title: minutes > 0 ? { zh: `「${s.title}」${minutes} 分钟后开播`, en: `${s.title} goes live in ${countEn(minutes, 'minute')}` } : { zh: `「${s.title}」开播时间到了`, en: `${s.title} is starting now` },
          body: { zh: '你预约的直播即将开始。', en: 'A live you reserved is about to start.' },
        });
      }
    }
    // Followers hear once per live that their streamer went live.
    const started = await db
      .selectFrom('live_sessions')
      .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
      .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.streamer_id', 'users.display_name'])
      .where('live_sessions.status', '=', 'live')
      // A practice live (实训, docs/TRAINING.md) is announced to nobody.
      .where('live_sessions.mode', '=', 'public')
      .where('live_sessions.started_at', '>', late)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('reminder_runs').select('key').where('key', '=', sql<string>`${'golive:'} || live_sessions.id`))))
      .execute();
    for (const s of started) {
      rounds.push({
        key: `golive:${s.id}`,
        kind: 'live.started',
        targetId: s.streamer_id,
        from: 'follows',
        dedupePrefix: `golive:${s.id}:`,
        link: `/watch/${s.id}`,
        title: { zh: `${s.display_name} 开播了`, en: `${s.display_name} is live` },
        body: { zh: s.title, en: s.title },
      });
    }
    let queued = 0;
    for (const round of rounds) {
      const n = await queueRound(round, at);
      if (n) logger.info({ round: round.key, queued: n }, 'reminders queued');
      queued += n;
    }
    return queued;
  }

  return { run };
}
