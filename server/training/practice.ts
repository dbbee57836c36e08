import type { Logger } from 'pino';
import type { LiveService } from '../live/service.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { outageOf } from '../platform/outage.ts';
import type { RoomService } from '../room/service.ts';
import { loadAdlawTerms, WordFilter } from '../room/filter.ts';
import type { Exams } from './exams.ts';
import type { TrainingService } from './service.ts';
import type { PracticeRow, TrainingStore } from './store.ts';
import { RUBRIC, simulateAudience, simulatedChat, simulatedOrder, type RubricCriterion } from './tracks.ts';

type ScriptLine = { at: string; text: string; hits: string[] };
const MAX_LINES = 500;
/** The simulated audience is published into the practice rooms this often. */
export const SIMULATION_TICK_MS = 1000;

export type PracticeLiveDeps = {
  live: Pick<LiveService, 'practiceSessionRow' | 'practiceDetail' | 'endPractice' | 'whipPublish' | 'whipStop'>;
  room: Pick<RoomService, 'publishEvent'>;
  logger: Pick<Logger, 'error' | 'warn'>;
};

/**
 * Practice lives (实训): each practice is a real live session in `practice` mode (a stream key, the
 * player, a room) that only the trainee and the centre's trainers can open (server/training/visibility.ts).
 * The server publishes a simulated audience into its room: viewers, chat lines and order ticker lines,
 * deterministic from the practice id and the elapsed server time (tracks.ts, simulateAudience). No order
 * row is written and no money moves. Each line of the trainee's script is checked against the 广告法 word
 * list; the trainer scores the ended practice against the rubric.
 */
export function createPractices(deps: { store: TrainingStore; service: TrainingService; exams: Exams; clock: Clock; isTrainer: (orgId: string, userId: string) => Promise<boolean> } & PracticeLiveDeps) {
  const { store, clock, live, room } = deps;
  const filter = new WordFilter(loadAdlawTerms());
  let timer: NodeJS.Timeout | null = null;

  async function load(practiceId: string) {
    const practice = await store.findPractice(practiceId);
    const enrollment = practice ? await store.findEnrollment(practice.enrollment_id) : undefined;
    if (!practice || !enrollment) throw new AppError('PRACTICE_NOT_FOUND');
    return { practice, enrollment };
  }

  async function sessionView(p: PracticeRow, trainee: boolean) {
    if (!p.session_id) return null;
    const detail = await live.practiceDetail(p.session_id).catch(() => null);
    if (!detail) return null;
    // The stream key is the trainee's alone: a trainer watches, never pushes.
    return { id: p.session_id, status: detail.status, publishing: detail.publishing, viewers: detail.viewers, playback: detail.playback, push: trainee ? detail.push : null };
  }

  async function view(p: PracticeRow, role: { trainee: boolean; trainer: boolean }, traineeName: string, orgId: string) {
    const running = p.ended_at === null;
    const elapsed = ((running ? clock.now().getTime() : Date.parse(p.ended_at!)) - Date.parse(p.started_at)) / 1000;
    const script = JSON.parse(p.script) as ScriptLine[];
    return {
      id: p.id,
      enrollmentId: p.enrollment_id,
      orgId,
      traineeName,
      title: p.title,
      startedAt: p.started_at,
      endedAt: p.ended_at,
      live: running,
      session: await sessionView(p, role.trainee),
      simulation: running ? simulateAudience(p.id, elapsed) : null,
      totals: p.simulated ? (JSON.parse(p.simulated) as Record<string, number>) : null,
      script,
      lines: script.length,
      linesWithHits: script.filter((l) => l.hits.length).length,
      rubric: p.rubric ? (JSON.parse(p.rubric) as Record<RubricCriterion, number>) : null,
      score: p.score,
      comment: p.comment,
      scoredAt: p.scored_at,
      isTrainee: role.trainee,
      canScore: role.trainer && !running && p.score === null,
    };
  }

  async function names(userId: string) {
    return (await store.userName(userId))?.display_name ?? '';
  }

  /** Publishes the simulated seconds (from, to] of a practice into its room. */
  async function publishAudience(practiceId: string, sessionId: string, startedAt: string, from: number, to: number) {
    const before = from < 0 ? { chatCount: 0, orders: 0 } : simulateAudience(practiceId, from);
    const now = simulateAudience(practiceId, to);
    const at = (second: number) => new Date(Date.parse(startedAt) + second * 1000).toISOString();
    // After a long gap (a restart) only the latest lines are worth showing.
    for (let i = Math.max(before.chatCount, now.chatCount - 8); i < now.chatCount; i++) {
      const line = simulatedChat(practiceId, i);
      await room.publishEvent(sessionId, { type: 'chat', id: `sim-${practiceId}-${i}`, user: { id: `sim-${line.nickname}`, name: line.nickname, role: 'viewer' }, text: line.text, at: at(line.at), simulated: true });
    }
    for (let i = Math.max(before.orders, now.orders - 3); i < now.orders; i++) {
      const order = simulatedOrder(practiceId, i);
      await room.publishEvent(sessionId, { type: 'purchase', buyer: `${[...order.nickname][0] ?? '*'}**`, product: order.item, quantity: order.quantity, count: i + 1, priority: true, simulated: true });
    }
    await room.publishEvent(sessionId, { type: 'practice.audience', key: 'practice.audience', viewers: now.viewers, chats: now.chatCount, orders: now.orders, elapsedSeconds: now.elapsedSeconds });
  }

  return {
    /** Starts a practice with its live session, or answers the one still running. */
    async start(enrollmentId: string, userId: string, title: string) {
      const e = await deps.service.own(enrollmentId, userId);
      const running = (await store.listPractices([e.id])).find((p) => p.ended_at === null);
      if (running) return view(running, { trainee: true, trainer: false }, await names(userId), e.org_id);
      const session = live.practiceSessionRow(userId, title);
      const row: PracticeRow = { id: newId(), enrollment_id: e.id, title, started_at: clock.now().toISOString(), ended_at: null, script: '[]', simulated: null, rubric: null, score: null, comment: null, scored_by: null, scored_at: null, session_id: session.id!, sim_second: -1 };
      await store.insertPracticeLive(row, session);
      return view(row, { trainee: true, trainer: false }, await names(userId), e.org_id);
    },

    /** The trainee or one of the centre's trainers; anyone else is told it does not exist. */
    async get(practiceId: string, userId: string) {
      const { practice, enrollment } = await load(practiceId);
      const trainee = enrollment.user_id === userId;
      const trainer = !trainee && (await deps.isTrainer(enrollment.org_id, userId));
      if (!trainee && !trainer) throw new AppError('PRACTICE_NOT_FOUND');
      return view(practice, { trainee, trainer }, await names(enrollment.user_id), enrollment.org_id);
    },

    /** A line the trainee says: checked against the 广告法 list, kept in the script and shown in the room. */
    async line(practiceId: string, userId: string, text: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (practice.ended_at) throw new AppError('PRACTICE_ENDED');
      const result = filter.check(text);
      const hits = result.hits.filter((h) => h.category === 'adlaw');
      const masked = hits.length ? result.text : text;
      const script = JSON.parse(practice.script) as ScriptLine[];
      const at = clock.now().toISOString();
      if (script.length < MAX_LINES) {
        script.push({ at, text, hits: [...new Set(hits.map((h) => h.word))] });
        if (!(await store.updatePractice(practice.id, { script: JSON.stringify(script) }, 'live'))) throw new AppError('PRACTICE_ENDED');
      }
      if (practice.session_id) {
        await room.publishEvent(practice.session_id, { type: 'chat', id: newId(), user: { id: userId, name: await names(userId), role: 'streamer' }, text: masked, at, priority: true, script: true, hits: hits.map((h) => h.word) });
      }
      return { text, hits: hits.map((h) => ({ word: h.word, severity: h.severity, start: h.start, end: h.end })), masked };
    },

    /**
     * Browser push (WHIP) into the practice's live session: the trainee's only, while the practice runs. The
     * live domain does the rest (server/live/service.ts, whipPublish): the same relay, loopback push URL and
     * refusals (WHIP_UNAVAILABLE, LIVE_ENDED, WHIP_OFFER_INVALID) as the streamer's go-live.
     */
    async whipPublish(practiceId: string, userId: string, offer: unknown) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (practice.ended_at) throw new AppError('PRACTICE_ENDED');
      // A practice from before practice lives (0029) has no session to push to.
      if (!practice.session_id) throw new AppError('LIVE_SESSION_NOT_FOUND');
      return live.whipPublish(userId, practice.session_id, offer);
    },

    /** Stops the trainee's WHIP publication (also after the practice ended); another session's resource is NOT_FOUND. */
    async whipStop(practiceId: string, userId: string, resource: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (!practice.session_id) throw new AppError('NOT_FOUND');
      await live.whipStop(userId, practice.session_id, resource);
    },

    /** Ends the practice and its live session, and stores the simulated totals. */
    async end(practiceId: string, userId: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (practice.ended_at) throw new AppError('PRACTICE_ENDED');
      const now = clock.now();
      const sim = simulateAudience(practice.id, (now.getTime() - Date.parse(practice.started_at)) / 1000);
      const totals = { seconds: sim.elapsedSeconds, viewersAtEnd: sim.viewers, chats: sim.chatCount, orders: sim.orders };
      if (!(await store.updatePractice(practice.id, { ended_at: now.toISOString(), simulated: JSON.stringify(totals) }, 'live'))) throw new AppError('PRACTICE_ENDED');
      if (practice.session_id) await live.endPractice(practice.session_id);
      return view((await store.findPractice(practice.id))!, { trainee: true, trainer: false }, await names(userId), enrollment.org_id);
    },

    async score(orgId: string, practiceId: string, scorerId: string, rubric: Record<RubricCriterion, number>, comment: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.org_id !== orgId) throw new AppError('PRACTICE_NOT_FOUND');
      if (!practice.ended_at) throw new AppError('PRACTICE_NOT_ENDED');
      if (practice.score !== null) throw new AppError('PRACTICE_ALREADY_SCORED');
      const score = RUBRIC.reduce((sum, k) => sum + rubric[k], 0);
      const patch = { rubric: JSON.stringify(rubric), score, comment, scored_by: scorerId, scored_at: clock.now().toISOString() };
      if (!(await store.updatePractice(practice.id, patch, 'ended'))) throw new AppError('PRACTICE_ALREADY_SCORED');
      await deps.exams.maybeCertify(enrollment);
      return view((await store.findPractice(practice.id))!, { trainee: false, trainer: true }, await names(enrollment.user_id), enrollment.org_id);
    },

    /**
     * One tick of the simulated audiences: for each running practice live, the seconds since the last
     * published one are claimed with a conditional UPDATE (so of several nodes exactly one publishes
     * them, and a restart goes on from the database) and their chat, orders and viewers go into the room.
     */
    async simulate() {
      const nowMs = clock.now().getTime();
      for (const p of await store.runningLivePractices()) {
        const second = Math.floor((nowMs - Date.parse(p.started_at)) / 1000);
        if (second <= p.sim_second || !p.session_id) continue;
        if (!(await store.claimSimSeconds(p.id, p.sim_second, second))) continue;
        await publishAudience(p.id, p.session_id, p.started_at, p.sim_second, second);
      }
    },

    startSimulation() {
      if (timer) return;
      let warnedAt = 0;
      let busy = false;
      timer = setInterval(() => {
        // A slow tick is not overlapped by the next (the claims would keep them apart anyway).
        if (busy) return;
        busy = true;
        this.simulate().finally(() => (busy = false)).catch((error: unknown) => {
          // A database or Redis outage would otherwise log once a second: once every 10 s is enough.
          if (Date.now() - warnedAt < 10_000) return;
          warnedAt = Date.now();
          deps.logger.warn({ err: error, outage: outageOf(error) ?? undefined }, 'practice lives: publishing the simulated audience failed; the next tick retries');
        });
      }, SIMULATION_TICK_MS);
      timer.unref();
    },

    stopSimulation() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type Practices = ReturnType<typeof createPractices>;
