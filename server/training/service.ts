import { toLoginId } from '../accounts/schema.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { toCertificateView } from './certificates.ts';
import type { CreateCourseBody } from './schema.ts';
import type { CertificateRow, EnrollmentRow, ExamRow, LessonRow, PracticeRow, ProgressRow, TrainingStore } from './store.ts';
import { HEARTBEAT_CAP_SECONDS, HEARTBEAT_SECONDS, JOB_LEVELS, JOB_NAMES, MIN_HOURS, PASS_SCORE, type Job } from './tracks.ts';

type QuizItem = { stem: string; options: string[]; answer: number };

/** Courses, enrolments and study time (docs/TRAINING.md). Exams and practice lives are in exams.ts and practice.ts. */
export function createTrainingService(deps: { store: TrainingStore; accounts: AccountsService; audit: AuditLog; clock: Clock }) {
  const { store, clock } = deps;

  async function own(enrollmentId: string, userId: string): Promise<EnrollmentRow> {
    const row = await store.findEnrollment(enrollmentId);
    if (!row || row.user_id !== userId) throw new AppError('TRAINING_NOT_ENROLLED');
    return row;
  }

  async function lessonOf(enrollment: EnrollmentRow, lessonId: string) {
    const lesson = await store.findLesson(lessonId);
    if (!lesson || lesson.org_id !== enrollment.org_id) throw new AppError('TRAINING_LESSON_NOT_FOUND');
    return lesson;
  }

  /** One enrolment's numbers: hours against the standard, lessons done, best scores, stage. */
  function summarize(e: EnrollmentRow, lessons: LessonRow[], progress: ProgressRow[], exams: ExamRow[], practices: PracticeRow[], certificate: CertificateRow | undefined) {
    const done = new Set(progress.filter((p) => p.enrollment_id === e.id && p.completed_at).map((p) => p.lesson_id));
    const lessonsCompleted = lessons.filter((l) => done.has(l.id)).length;
    const requiredHours = MIN_HOURS[e.level] ?? 120;
    const myExams = exams.filter((x) => x.enrollment_id === e.id);
    const myPractices = practices.filter((p) => p.enrollment_id === e.id);
    const theory = myExams.filter((x) => x.score !== null).map((x) => x.score!);
    const skill = myPractices.filter((p) => p.score !== null).map((p) => p.score!);
    const bestTheory = theory.length ? Math.max(...theory) : null;
    const bestSkill = skill.length ? Math.max(...skill) : null;
    const hoursMet = e.study_seconds >= requiredHours * 3600;
    const stage = certificate ? 'certified' : myExams.length || myPractices.length ? 'assessing' : e.study_seconds > 0 || lessonsCompleted > 0 ? 'studying' : 'enrolled';
    return {
      id: e.id,
      orgId: e.org_id,
      userId: e.user_id,
      job: e.job,
      jobName: JOB_NAMES[e.job as Job],
      level: e.level,
      studySeconds: e.study_seconds,
      requiredHours,
      hoursMet,
      lessonsTotal: lessons.length,
      lessonsCompleted,
      eligibleForExam: hoursMet && lessons.length > 0 && lessonsCompleted === lessons.length,
      examAttempts: myExams.length,
      bestTheory,
      bestSkill,
      theoryPassed: bestTheory !== null && bestTheory >= PASS_SCORE,
      skillPassed: bestSkill !== null && bestSkill >= PASS_SCORE,
      stage,
      certificate: certificate ? { ...toCertificateView(certificate), code: certificate.code } : null,
      createdAt: e.created_at,
    };
  }

  async function summaries(rows: EnrollmentRow[], orgLessons: (orgId: string) => Promise<LessonRow[]>) {
    const ids = rows.map((r) => r.id);
    const [progress, exams, practices, certificates] = await Promise.all([store.progressOf(ids), store.listExams(ids), store.listPractices(ids), store.listCertificates(ids)]);
    const out = [];
    for (const row of rows) out.push(summarize(row, await orgLessons(row.org_id), progress, exams, practices, certificates.find((c) => c.enrollment_id === row.id)));
    return { out, exams, practices };
  }

  function lessonView(l: LessonRow, progress?: ProgressRow) {
    return { id: l.id, courseId: l.course_id, position: l.position, kind: l.kind, title: l.title, minSeconds: l.kind === 'quiz' ? null : l.min_seconds, seconds: progress?.seconds ?? 0, completed: Boolean(progress?.completed_at) };
  }

  async function coursesWithProgress(orgId: string, enrollmentId: string | null) {
    const [courses, lessons, progress] = await Promise.all([store.listCourses(orgId), store.listLessons(orgId), enrollmentId ? store.progressOf([enrollmentId]) : Promise.resolve([])]);
    return courses.map((c) => {
      const mine = lessons.filter((l) => l.course_id === c.id).sort((a, b) => a.position - b.position);
      const views = mine.map((l) => lessonView(l, progress.find((p) => p.lesson_id === l.id)));
      return { id: c.id, title: c.title, category: c.category, summary: c.summary, lessons: views, completed: views.length > 0 && views.every((v) => v.completed) };
    });
  }

  return {
    own,

    async createCourse(orgId: string, input: CreateCourseBody, actorId: string) {
      const id = newId();
      const now = clock.now().toISOString();
      const lessons: LessonRow[] = input.lessons.map((l, i) => ({
        id: newId(),
        course_id: id,
        position: i + 1,
        kind: l.kind,
        title: l.title,
        body: l.kind === 'quiz' ? JSON.stringify(l.questions) : l.body,
        video_url: l.kind === 'video' ? l.videoUrl : null,
        min_seconds: l.kind === 'quiz' ? 0 : l.minSeconds,
      }));
      await store.insertCourse({ id, org_id: orgId, title: input.title, category: input.category, summary: input.summary, created_at: now }, lessons);
      await deps.audit.record({ actorId, action: 'training.course.create', targetType: 'organisation', targetId: orgId, detail: { courseId: id, lessons: lessons.length } });
      return { id, title: input.title, lessons: lessons.map((l) => lessonView(l)) };
    },

    async addQuestion(orgId: string, input: QuizItem) {
      if (input.answer >= input.options.length) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'answer', code: 'TOO_BIG', message: `answer < ${input.options.length}` }]);
      const id = newId();
      await store.insertQuestion({ id, org_id: orgId, stem: input.stem, options: JSON.stringify(input.options), answer: input.answer, created_at: clock.now().toISOString() });
      return { id };
    },

    async enroll(orgId: string, input: { login: string; job: Job; level: number }, actorId: string) {
      if (!JOB_LEVELS[input.job].includes(input.level)) throw new AppError('TRAINING_LEVEL_INVALID', { job: JOB_NAMES[input.job]['zh-CN'], levels: JOB_LEVELS[input.job].join('/') });
      const loginId = toLoginId(input.login);
      const user = loginId ? await deps.accounts.findUserByLogin(loginId) : undefined;
      if (!user) throw new AppError('USER_NOT_FOUND');
      if (await store.findEnrollmentOf(orgId, user.id)) throw new AppError('TRAINING_ALREADY_ENROLLED');
      const row: EnrollmentRow = { id: newId(), org_id: orgId, user_id: user.id, job: input.job, level: input.level, study_seconds: 0, last_beat_at: null, created_at: clock.now().toISOString() };
      await store.insertEnrollment(row);
      await deps.audit.record({ actorId, action: 'training.enroll', targetType: 'organisation', targetId: orgId, detail: { userId: user.id, job: input.job, level: input.level } });
      return { id: row.id, userId: user.id, displayName: user.display_name };
    },

    async mine(userId: string) {
      const rows = await store.listEnrollmentsOfUser(userId);
      const { out } = await summaries(rows, (orgId) => store.listLessons(orgId));
      return out.map((s, i) => ({ ...s, orgName: rows[i]!.org_name }));
    },

    async detail(enrollmentId: string, userId: string) {
      const e = await own(enrollmentId, userId);
      const org = await store.orgName(e.org_id);
      const { out, exams, practices } = await summaries([e], (orgId) => store.listLessons(orgId));
      return {
        enrollment: { ...out[0]!, orgName: org?.name ?? '' },
        courses: await coursesWithProgress(e.org_id, e.id),
        exams: exams.map((x) => ({ id: x.id, startedAt: x.started_at, deadlineAt: x.deadline_at, submittedAt: x.submitted_at, score: x.score })),
        practices: practices.map((p) => ({ id: p.id, title: p.title, startedAt: p.started_at, endedAt: p.ended_at, score: p.score })),
      };
    },

    async lesson(enrollmentId: string, lessonId: string, userId: string) {
      const e = await own(enrollmentId, userId);
      const lesson = await lessonOf(e, lessonId);
      const progress = await store.findProgress(e.id, lesson.id);
      const quiz = lesson.kind === 'quiz' ? (JSON.parse(lesson.body) as QuizItem[]).map((q) => ({ stem: q.stem, options: q.options })) : null;
      return { lesson: { ...lessonView(lesson, progress), body: lesson.kind === 'quiz' ? '' : lesson.body, videoUrl: lesson.video_url, quiz }, heartbeatSeconds: HEARTBEAT_SECONDS, studySeconds: e.study_seconds };
    },

    /**
     * A heartbeat from an open, visible lesson page. The credit is the server time since the enrolment's
     * previous beat, and nothing when that gap is over HEARTBEAT_CAP_SECONDS (the page was closed or
     * hidden, or this is the first beat): a burst of beats credits no more than the time they took.
     */
    async heartbeat(enrollmentId: string, lessonId: string, userId: string) {
      const e = await own(enrollmentId, userId);
      const lesson = await lessonOf(e, lessonId);
      const now = clock.now();
      const gap = e.last_beat_at ? (now.getTime() - Date.parse(e.last_beat_at)) / 1000 : Number.POSITIVE_INFINITY;
      const credit = gap >= 0 && gap <= HEARTBEAT_CAP_SECONDS ? Math.floor(gap) : 0;
      const completeAt = lesson.kind === 'quiz' ? Number.MAX_SAFE_INTEGER : lesson.min_seconds;
      const counted = await store.recordBeat(e.id, lesson.id, e.last_beat_at, now.toISOString(), credit, completeAt);
      const after = await store.findEnrollment(e.id);
      const progress = await store.findProgress(e.id, lesson.id);
      return { credited: counted ? credit : 0, lessonSeconds: progress?.seconds ?? 0, completed: Boolean(progress?.completed_at), studySeconds: after?.study_seconds ?? e.study_seconds };
    },

    async answerQuiz(enrollmentId: string, lessonId: string, userId: string, answers: number[]) {
      const e = await own(enrollmentId, userId);
      const lesson = await lessonOf(e, lessonId);
      if (lesson.kind !== 'quiz') throw new AppError('TRAINING_LESSON_NOT_QUIZ');
      const items = JSON.parse(lesson.body) as QuizItem[];
      if (answers.length !== items.length) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'answers', code: 'LENGTH', message: `${items.length} answers expected` }]);
      const results = items.map((q, i) => q.answer === answers[i]);
      const correct = results.filter(Boolean).length;
      const passed = correct * 100 >= PASS_SCORE * items.length;
      if (passed) await store.completeLesson(e.id, lesson.id, clock.now().toISOString());
      return { correct, total: items.length, passed, results };
    },

    async overview(orgId: string) {
      const [courses, questions, rows] = await Promise.all([coursesWithProgress(orgId, null), store.listQuestions(orgId), store.listEnrollmentsOfOrg(orgId)]);
      const lessons = await store.listLessons(orgId);
      const { out, practices } = await summaries(rows, async () => lessons);
      const names = new Map(rows.map((r) => [r.id, r.display_name]));
      return {
        courses: courses.map((c) => ({ id: c.id, title: c.title, category: c.category, summary: c.summary, lessons: c.lessons.length })),
        questionCount: questions.length,
        trainees: out.map((s) => ({ ...s, displayName: names.get(s.id) ?? '' })),
        practices: practices.map((p) => ({ id: p.id, enrollmentId: p.enrollment_id, traineeName: names.get(p.enrollment_id) ?? '', title: p.title, startedAt: p.started_at, endedAt: p.ended_at, score: p.score })),
      };
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
