import type { Insertable, Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database, LiveSessionsTable } from '../platform/db-types.ts';

export type CourseRow = { id: string; org_id: string; title: string; category: string; summary: string; created_at: string };
export type LessonRow = { id: string; course_id: string; position: number; kind: 'video' | 'text' | 'quiz'; title: string; body: string; video_url: string | null; min_seconds: number };
export type EnrollmentRow = { id: string; org_id: string; user_id: string; job: string; level: number; study_seconds: number; last_beat_at: string | null; created_at: string };
export type ProgressRow = { enrollment_id: string; lesson_id: string; seconds: number; completed_at: string | null };
export type QuestionRow = { id: string; org_id: string; stem: string; options: string; answer: number; created_at: string };
export type ExamRow = { id: string; enrollment_id: string; question_ids: string; started_at: string; deadline_at: string; submitted_at: string | null; answers: string | null; score: number | null };
export type PracticeRow = {
  id: string;
  enrollment_id: string;
  title: string;
  started_at: string;
  ended_at: string | null;
  script: string;
  simulated: string | null;
  rubric: string | null;
  score: number | null;
  comment: string | null;
  scored_by: string | null;
  scored_at: string | null;
  /** Its live session (mode 'practice'), from migration 0029; null for practices from before. */
  session_id: string | null;
  /** The last second of the simulated audience published into the room (-1: none yet). */
  sim_second: number;
};
export type CertificateRow = {
  number: string;
  enrollment_id: string;
  holder_name: string;
  org_name: string;
  job: string;
  level: number;
  study_hours: number;
  theory_score: number;
  skill_score: number;
  issued_at: string;
  code: string;
};

/** The training tables (migration 0019), kept beside their domain rather than in the shared db-types.ts. */
export type TrainingTables = {
  training_courses: CourseRow;
  training_lessons: LessonRow;
  training_enrollments: EnrollmentRow;
  training_progress: ProgressRow;
  training_questions: QuestionRow;
  training_exams: ExamRow;
  training_practices: PracticeRow;
  training_certificates: CertificateRow;
};
export type TrainingDb = Kysely<Database & TrainingTables>;

export function createTrainingStore(base: Db) {
  const db = base.withTables<TrainingTables>() as unknown as TrainingDb;
  return {
    db,
    async insertCourse(course: CourseRow, lessons: LessonRow[]) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('training_courses').values(course).execute();
        await trx.insertInto('training_lessons').values(lessons).execute();
      });
    },
    listCourses(orgId: string) {
      return db.selectFrom('training_courses').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
    },
    listLessons(orgId: string) {
      return db
        .selectFrom('training_lessons')
        .innerJoin('training_courses', 'training_courses.id', 'training_lessons.course_id')
        .selectAll('training_lessons')
        .where('training_courses.org_id', '=', orgId)
        .orderBy('training_lessons.course_id')
        .orderBy('training_lessons.position')
        .execute();
    },
    findLesson(lessonId: string) {
      return db
        .selectFrom('training_lessons')
        .innerJoin('training_courses', 'training_courses.id', 'training_lessons.course_id')
        .selectAll('training_lessons')
        .select('training_courses.org_id')
        .where('training_lessons.id', '=', lessonId)
        .executeTakeFirst();
    },
    insertEnrollment(row: EnrollmentRow) {
      return db.insertInto('training_enrollments').values(row).execute();
    },
    findEnrollment(id: string) {
      return db.selectFrom('training_enrollments').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findEnrollmentOf(orgId: string, userId: string) {
      return db.selectFrom('training_enrollments').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
    },
    listEnrollmentsOfUser(userId: string) {
      return db
        .selectFrom('training_enrollments')
        .innerJoin('organisations', 'organisations.id', 'training_enrollments.org_id')
        .selectAll('training_enrollments')
        .select('organisations.name as org_name')
        .where('training_enrollments.user_id', '=', userId)
        .orderBy('training_enrollments.created_at')
        .execute();
    },
    listEnrollmentsOfOrg(orgId: string) {
      return db
        .selectFrom('training_enrollments')
        .innerJoin('users', 'users.id', 'training_enrollments.user_id')
        .selectAll('training_enrollments')
        .select('users.display_name')
        .where('training_enrollments.org_id', '=', orgId)
        .orderBy('training_enrollments.created_at')
        .execute();
    },
    progressOf(enrollmentIds: string[]) {
      if (!enrollmentIds.length) return Promise.resolve([] as ProgressRow[]);
      return db.selectFrom('training_progress').selectAll().where('enrollment_id', 'in', enrollmentIds).execute();
    },
    findProgress(enrollmentId: string, lessonId: string) {
      return db.selectFrom('training_progress').selectAll().where('enrollment_id', '=', enrollmentId).where('lesson_id', '=', lessonId).executeTakeFirst();
    },
    /**
     * One heartbeat: credits `credit` seconds to the enrolment and the lesson and moves the enrolment's
     * beat clock to `now`, only if the clock still reads `previousBeat` (a concurrent beat loses and credits nothing).
     */
    async recordBeat(enrollmentId: string, lessonId: string, previousBeat: string | null, now: string, credit: number, completeAt: number) {
      return db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('training_enrollments')
          .set((eb) => ({ last_beat_at: now, study_seconds: eb('study_seconds', '+', credit) }))
          .where('id', '=', enrollmentId)
          .$if(previousBeat === null, (q) => q.where('last_beat_at', 'is', null))
          .$if(previousBeat !== null, (q) => q.where('last_beat_at', '=', previousBeat!))
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return false;
        const existing = await trx.selectFrom('training_progress').selectAll().where('enrollment_id', '=', enrollmentId).where('lesson_id', '=', lessonId).executeTakeFirst();
        const seconds = (existing?.seconds ?? 0) + credit;
        const completed = existing?.completed_at ?? (seconds >= completeAt ? now : null);
        if (existing) {
          await trx.updateTable('training_progress').set({ seconds, completed_at: completed }).where('enrollment_id', '=', enrollmentId).where('lesson_id', '=', lessonId).execute();
        } else {
          await trx.insertInto('training_progress').values({ enrollment_id: enrollmentId, lesson_id: lessonId, seconds, completed_at: completed }).execute();
        }
        return true;
      });
    },
    async completeLesson(enrollmentId: string, lessonId: string, now: string) {
      const existing = await this.findProgress(enrollmentId, lessonId);
      if (existing?.completed_at) return;
      if (existing) await db.updateTable('training_progress').set({ completed_at: now }).where('enrollment_id', '=', enrollmentId).where('lesson_id', '=', lessonId).execute();
      else await db.insertInto('training_progress').values({ enrollment_id: enrollmentId, lesson_id: lessonId, seconds: 0, completed_at: now }).execute();
    },
    insertQuestion(row: QuestionRow) {
      return db.insertInto('training_questions').values(row).execute();
    },
    listQuestions(orgId: string) {
      return db.selectFrom('training_questions').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
    },
    questionsByIds(ids: string[]) {
      if (!ids.length) return Promise.resolve([] as QuestionRow[]);
      return db.selectFrom('training_questions').selectAll().where('id', 'in', ids).execute();
    },
    insertExam(row: ExamRow) {
      return db.insertInto('training_exams').values(row).execute();
    },
    findExam(id: string) {
      return db.selectFrom('training_exams').selectAll().where('id', '=', id).executeTakeFirst();
    },
    listExams(enrollmentIds: string[]) {
      if (!enrollmentIds.length) return Promise.resolve([] as ExamRow[]);
      return db.selectFrom('training_exams').selectAll().where('enrollment_id', 'in', enrollmentIds).orderBy('started_at').execute();
    },
    /** Records the one submission; false if the exam was already submitted (a concurrent or repeated submit). */
    async submitExam(id: string, answers: string, score: number, now: string) {
      const result = await db.updateTable('training_exams').set({ submitted_at: now, answers, score }).where('id', '=', id).where('submitted_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    insertPractice(row: PracticeRow) {
      return db.insertInto('training_practices').values(row).execute();
    },
    findPractice(id: string) {
      return db.selectFrom('training_practices').selectAll().where('id', '=', id).executeTakeFirst();
    },
    listPractices(enrollmentIds: string[]) {
      if (!enrollmentIds.length) return Promise.resolve([] as PracticeRow[]);
      return db.selectFrom('training_practices').selectAll().where('enrollment_id', 'in', enrollmentIds).orderBy('started_at').execute();
    },
    async updatePractice(id: string, patch: Partial<PracticeRow>, guard: 'live' | 'ended') {
      const result = await db
        .updateTable('training_practices')
        .set(patch)
        .where('id', '=', id)
        .$if(guard === 'live', (q) => q.where('ended_at', 'is', null))
        .$if(guard === 'ended', (q) => q.where('ended_at', 'is not', null).where('score', 'is', null))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** A practice and its live session, written together: neither exists without the other. */
    async insertPracticeLive(row: PracticeRow, session: Insertable<LiveSessionsTable>) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('live_sessions').values(session).execute();
        await trx.insertInto('training_practices').values(row).execute();
      });
    },
    /** Running practices with a live session: the ones whose simulated audience goes into a room. */
    runningLivePractices() {
      return db.selectFrom('training_practices').select(['id', 'session_id', 'started_at', 'sim_second']).where('ended_at', 'is', null).where('session_id', 'is not', null).limit(1000).execute();
    },
    /** Claims the simulated seconds (from, to] of a practice for this node; false if another node did. */
    async claimSimSeconds(id: string, from: number, to: number) {
      const result = await db.updateTable('training_practices').set({ sim_second: to }).where('id', '=', id).where('sim_second', '=', from).where('ended_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** The trainee and centre of a practice live session (undefined for any other session). */
    practiceOfSession(sessionId: string) {
      return db
        .selectFrom('live_sessions')
        .leftJoin('training_practices', 'training_practices.session_id', 'live_sessions.id')
        .leftJoin('training_enrollments', 'training_enrollments.id', 'training_practices.enrollment_id')
        .select(['live_sessions.streamer_id', 'live_sessions.mode', 'training_enrollments.org_id', 'training_practices.id as practice_id'])
        .where('live_sessions.id', '=', sessionId)
        .executeTakeFirst();
    },
    findCertificateOf(enrollmentId: string) {
      return db.selectFrom('training_certificates').selectAll().where('enrollment_id', '=', enrollmentId).executeTakeFirst();
    },
    findCertificate(number: string) {
      return db.selectFrom('training_certificates').selectAll().where('number', '=', number).executeTakeFirst();
    },
    listCertificates(enrollmentIds: string[]) {
      if (!enrollmentIds.length) return Promise.resolve([] as CertificateRow[]);
      return db.selectFrom('training_certificates').selectAll().where('enrollment_id', 'in', enrollmentIds).orderBy('issued_at').execute();
    },
    async countCertificatesOfYear(prefix: string) {
      const row = await db.selectFrom('training_certificates').select((eb) => eb.fn.countAll<number>().as('n')).where('number', 'like', `${prefix}%`).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    insertCertificate(row: CertificateRow) {
      return db.insertInto('training_certificates').values(row).execute();
    },
    userName(userId: string) {
      return db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
    },
    orgName(orgId: string) {
      return db.selectFrom('organisations').select(['name', 'kind']).where('id', '=', orgId).executeTakeFirst();
    },
  };
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;
