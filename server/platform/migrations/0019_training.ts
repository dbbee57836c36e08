import type { Kysely } from 'kysely';

// Talent training and certification (docs/TRAINING.md): a training centre's courses and lessons,
// trainees' enrolments on a 互联网营销师 track with their real study time, the question bank,
// timed exams, practice lives (实训) scored against a rubric, and numbered certificates.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('training_courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    /** policy | norms | skills */
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_courses_org').on('training_courses').columns(['org_id', 'created_at']).execute();
  await db.schema
    .createTable('training_lessons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('training_courses.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    /** video | text | quiz */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    /** The text of a text lesson, the notes of a video; for a quiz, JSON [{stem, options, answer}]. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('video_url', 'text')
    /** Study time (server-counted seconds) after which a video or text lesson counts as completed. */
    .addColumn('min_seconds', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_lessons_course').on('training_lessons').columns(['course_id', 'position']).execute();
  await db.schema
    .createTable('training_enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** selector | seller | creator | admin (选品员, 直播销售员, 视频创推员, 平台管理员) */
    .addColumn('job', 'text', (c) => c.notNull())
    /** 5 (五级) … 1 (一级) */
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('study_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    /** Server time of the last lesson heartbeat, whatever the lesson: two open tabs share one clock. */
    .addColumn('last_beat_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_enrollments_user').on('training_enrollments').columns(['org_id', 'user_id']).unique().execute();
  await db.schema
    .createTable('training_progress')
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('training_enrollments.id'))
    .addColumn('lesson_id', 'text', (c) => c.notNull().references('training_lessons.id'))
    .addColumn('seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('training_progress_pk', ['enrollment_id', 'lesson_id'])
    .execute();
  await db.schema
    .createTable('training_questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('stem', 'text', (c) => c.notNull())
    /** JSON array of option texts. */
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('answer', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_questions_org').on('training_questions').column('org_id').execute();
  await db.schema
    .createTable('training_exams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('training_enrollments.id'))
    /** JSON array of the question ids drawn for this paper, in order. */
    .addColumn('question_ids', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    /** JSON {questionId: optionIndex} as submitted. */
    .addColumn('answers', 'text')
    .addColumn('score', 'integer')
    .execute();
  await db.schema.createIndex('training_exams_enrollment').on('training_exams').columns(['enrollment_id', 'started_at']).execute();
  await db.schema
    .createTable('training_practices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('training_enrollments.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    /** JSON [{at, text, hits: [word]}]: the lines the trainee said, as checked. */
    .addColumn('script', 'text', (c) => c.notNull())
    /** JSON {viewersPeak, chats, orders, gmvFen}: the simulation's totals when the practice ended. */
    .addColumn('simulated', 'text')
    /** JSON {criterion: points} against the rubric; score is their sum (0–100). */
    .addColumn('rubric', 'text')
    .addColumn('score', 'integer')
    .addColumn('comment', 'text')
    .addColumn('scored_by', 'text')
    .addColumn('scored_at', 'text')
    .execute();
  await db.schema.createIndex('training_practices_enrollment').on('training_practices').columns(['enrollment_id', 'started_at']).execute();
  await db.schema
    .createTable('training_certificates')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().unique().references('training_enrollments.id'))
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('org_name', 'text', (c) => c.notNull())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('study_hours', 'integer', (c) => c.notNull())
    .addColumn('theory_score', 'integer', (c) => c.notNull())
    .addColumn('skill_score', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    /** HMAC over the fields above with a key derived from the server secret (server/training/certificates.ts). */
    .addColumn('code', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['training_certificates', 'training_practices', 'training_exams', 'training_questions', 'training_progress', 'training_enrollments', 'training_lessons', 'training_courses']) {
    await db.schema.dropTable(table).execute();
  }
}
