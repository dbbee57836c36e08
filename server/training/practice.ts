import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { loadAdlawTerms, WordFilter } from '../room/filter.ts';
import type { Exams } from './exams.ts';
import type { TrainingService } from './service.ts';
import type { PracticeRow, TrainingStore } from './store.ts';
import { RUBRIC, simulateAudience, type RubricCriterion } from './tracks.ts';

type ScriptLine = { at: string; text: string; hits: string[] };
const MAX_LINES = 500;

/**
 * Practice lives (实训): a practice record with a simulated audience (server/training/tracks.ts,
 * simulateAudience), seen only by the trainee and the centre's trainers. No live session, stream,
 * chat room or order row is created: no money moves. Each line of the trainee's script is checked
 * against the 广告法 word list; the trainer scores the ended practice against the rubric.
 */
export function createPractices(deps: { store: TrainingStore; service: TrainingService; exams: Exams; clock: Clock; isTrainer: (orgId: string, userId: string) => Promise<boolean> }) {
  const { store, clock } = deps;
  const filter = new WordFilter(loadAdlawTerms());

  async function load(practiceId: string) {
    const practice = await store.findPractice(practiceId);
    const enrollment = practice ? await store.findEnrollment(practice.enrollment_id) : undefined;
    if (!practice || !enrollment) throw new AppError('PRACTICE_NOT_FOUND');
    return { practice, enrollment };
  }

  function view(p: PracticeRow, role: { trainee: boolean; trainer: boolean }, traineeName: string, orgId: string) {
    const live = p.ended_at === null;
    const elapsed = ((live ? clock.now().getTime() : Date.parse(p.ended_at!)) - Date.parse(p.started_at)) / 1000;
    const script = JSON.parse(p.script) as ScriptLine[];
    return {
      id: p.id,
      enrollmentId: p.enrollment_id,
      orgId,
      traineeName,
      title: p.title,
      startedAt: p.started_at,
      endedAt: p.ended_at,
      live,
      simulation: live ? simulateAudience(p.id, elapsed) : null,
      totals: p.simulated ? (JSON.parse(p.simulated) as Record<string, number>) : null,
      script,
      lines: script.length,
      linesWithHits: script.filter((l) => l.hits.length).length,
      rubric: p.rubric ? (JSON.parse(p.rubric) as Record<RubricCriterion, number>) : null,
      score: p.score,
      comment: p.comment,
      scoredAt: p.scored_at,
      isTrainee: role.trainee,
      canScore: role.trainer && !live && p.score === null,
    };
  }

  async function names(userId: string) {
    return (await store.userName(userId))?.display_name ?? '';
  }

  return {
    /** Starts a practice, or answers the one still running. */
    async start(enrollmentId: string, userId: string, title: string) {
      const e = await deps.service.own(enrollmentId, userId);
      const running = (await store.listPractices([e.id])).find((p) => p.ended_at === null);
      if (running) return view(running, { trainee: true, trainer: false }, await names(userId), e.org_id);
      const row: PracticeRow = { id: newId(), enrollment_id: e.id, title, started_at: clock.now().toISOString(), ended_at: null, script: '[]', simulated: null, rubric: null, score: null, comment: null, scored_by: null, scored_at: null };
      await store.insertPractice(row);
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

    /** A line the trainee says: checked against the 广告法 list and kept in the script. */
    async line(practiceId: string, userId: string, text: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (practice.ended_at) throw new AppError('PRACTICE_ENDED');
      const result = filter.check(text);
      const hits = result.hits.filter((h) => h.category === 'adlaw');
      const script = JSON.parse(practice.script) as ScriptLine[];
      if (script.length < MAX_LINES) {
        script.push({ at: clock.now().toISOString(), text, hits: [...new Set(hits.map((h) => h.word))] });
        if (!(await store.updatePractice(practice.id, { script: JSON.stringify(script) }, 'live'))) throw new AppError('PRACTICE_ENDED');
      }
      return { text, hits: hits.map((h) => ({ word: h.word, severity: h.severity, start: h.start, end: h.end })), masked: hits.length ? result.text : text };
    },

    async end(practiceId: string, userId: string) {
      const { practice, enrollment } = await load(practiceId);
      if (enrollment.user_id !== userId) throw new AppError('PRACTICE_NOT_FOUND');
      if (practice.ended_at) throw new AppError('PRACTICE_ENDED');
      const now = clock.now();
      const sim = simulateAudience(practice.id, (now.getTime() - Date.parse(practice.started_at)) / 1000);
      const totals = { seconds: sim.elapsedSeconds, viewersAtEnd: sim.viewers, chats: sim.chatCount, orders: sim.orders };
      if (!(await store.updatePractice(practice.id, { ended_at: now.toISOString(), simulated: JSON.stringify(totals) }, 'live'))) throw new AppError('PRACTICE_ENDED');
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
  };
}

export type Practices = ReturnType<typeof createPractices>;
