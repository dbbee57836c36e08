import crypto from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Certificates } from './certificates.ts';
import type { TrainingService } from './service.ts';
import type { EnrollmentRow, ExamRow, TrainingStore } from './store.ts';
import { EXAM_MINUTES, EXAM_QUESTIONS, MIN_HOURS, PASS_SCORE } from './tracks.ts';

/**
 * Theory exams: a paper drawn from the centre's bank when the trainee starts (the drawn ids are
 * stored), a deadline stored with it, one submission scored on the server. The certificate is issued
 * once the best theory score and the best practice (skills) score both reach 60.
 */
export function createExams(deps: { store: TrainingStore; service: TrainingService; certificates: Certificates; clock: Clock }) {
  const { store, clock } = deps;

  async function paper(exam: ExamRow, reveal: boolean) {
    const ids = JSON.parse(exam.question_ids) as string[];
    const byId = new Map((await store.questionsByIds(ids)).map((q) => [q.id, q]));
    const answers = exam.answers ? (JSON.parse(exam.answers) as Record<string, number>) : {};
    return {
      id: exam.id,
      enrollmentId: exam.enrollment_id,
      startedAt: exam.started_at,
      deadlineAt: exam.deadline_at,
      submittedAt: exam.submitted_at,
      score: exam.score,
      passed: exam.score !== null ? exam.score >= PASS_SCORE : null,
      expired: !exam.submitted_at && clock.now().getTime() > Date.parse(exam.deadline_at),
      questions: ids.map((id) => {
        const q = byId.get(id)!;
        return { id, stem: q.stem, options: JSON.parse(q.options) as string[], ...(reveal && { answer: q.answer, given: answers[id] ?? null }) };
      }),
    };
  }

  async function examOf(examId: string, userId: string) {
    const exam = await store.findExam(examId);
    if (!exam) throw new AppError('EXAM_NOT_FOUND');
    const enrollment = await store.findEnrollment(exam.enrollment_id);
    if (!enrollment || enrollment.user_id !== userId) throw new AppError('TRAINING_NOT_ENROLLED');
    return { exam, enrollment };
  }

  async function maybeCertify(enrollment: EnrollmentRow) {
    if (await store.findCertificateOf(enrollment.id)) return;
    const [exams, practices] = await Promise.all([store.listExams([enrollment.id]), store.listPractices([enrollment.id])]);
    const theory = Math.max(-1, ...exams.map((x) => x.score ?? -1));
    const skill = Math.max(-1, ...practices.map((p) => p.score ?? -1));
    if (theory < PASS_SCORE || skill < PASS_SCORE) return;
    const [user, org, fresh] = await Promise.all([store.userName(enrollment.user_id), store.orgName(enrollment.org_id), store.findEnrollment(enrollment.id)]);
    await deps.certificates.issue({
      enrollment_id: enrollment.id,
      holder_name: user?.display_name ?? '',
      org_name: org?.name ?? '',
      job: enrollment.job,
      level: enrollment.level,
      study_hours: Math.floor((fresh?.study_seconds ?? enrollment.study_seconds) / 3600),
      theory_score: theory,
      skill_score: skill,
      issued_at: clock.now().toISOString(),
    });
  }

  return {
    maybeCertify,

    async start(enrollmentId: string, userId: string) {
      const detail = await deps.service.detail(enrollmentId, userId);
      const e = detail.enrollment;
      if (!e.eligibleForExam) {
        throw new AppError('TRAINING_NOT_ELIGIBLE', { hours: Math.floor(e.studySeconds / 3600), required: MIN_HOURS[e.level] ?? 120, lessonsLeft: e.lessonsTotal - e.lessonsCompleted });
      }
      const now = clock.now();
      const open = (await store.listExams([enrollmentId])).find((x) => !x.submitted_at && Date.parse(x.deadline_at) > now.getTime());
      if (open) return paper(open, false);
      const bank = await store.listQuestions(e.orgId);
      if (!bank.length) throw new AppError('EXAM_BANK_EMPTY');
      // Fisher–Yates with a CSPRNG: the paper cannot be predicted from earlier ones.
      const ids = bank.map((q) => q.id);
      for (let i = ids.length - 1; i > 0; i--) {
        const j = crypto.randomInt(i + 1);
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      const exam: ExamRow = {
        id: newId(),
        enrollment_id: enrollmentId,
        question_ids: JSON.stringify(ids.slice(0, EXAM_QUESTIONS)),
        started_at: now.toISOString(),
        deadline_at: new Date(now.getTime() + EXAM_MINUTES * 60_000).toISOString(),
        submitted_at: null,
        answers: null,
        score: null,
      };
      await store.insertExam(exam);
      return paper(exam, false);
    },

    async get(examId: string, userId: string) {
      const { exam } = await examOf(examId, userId);
      return paper(exam, exam.submitted_at !== null);
    },

    /** Checks in this order: whose exam, already submitted, time up, answers all in the paper; only then one write. */
    async submit(examId: string, userId: string, answers: Record<string, number>) {
      const { exam, enrollment } = await examOf(examId, userId);
      if (exam.submitted_at) throw new AppError('EXAM_ALREADY_SUBMITTED');
      const now = clock.now();
      if (now.getTime() > Date.parse(exam.deadline_at)) throw new AppError('EXAM_TIME_UP', { deadline: exam.deadline_at });
      const ids = JSON.parse(exam.question_ids) as string[];
      const stray = Object.keys(answers).find((id) => !ids.includes(id));
      if (stray) throw new AppError('EXAM_ANSWER_NOT_IN_PAPER', { questionId: stray });
      const byId = new Map((await store.questionsByIds(ids)).map((q) => [q.id, q]));
      const correct = ids.filter((id) => answers[id] !== undefined && byId.get(id)?.answer === answers[id]).length;
      const score = Math.round((100 * correct) / ids.length);
      if (!(await store.submitExam(exam.id, JSON.stringify(answers), score, now.toISOString()))) throw new AppError('EXAM_ALREADY_SUBMITTED');
      await maybeCertify(enrollment);
      return paper((await store.findExam(exam.id))!, true);
    },
  };
}

export type Exams = ReturnType<typeof createExams>;
