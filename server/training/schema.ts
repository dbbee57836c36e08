import { z } from 'zod';
import { JOBS, RUBRIC, RUBRIC_MAX } from './tracks.ts';
import { WhipResource } from '../live/schema.ts';

const Id = z.string().min(1).max(64);

export const OrgParams = z.strictObject({ orgId: Id });
export const OrgPracticeParams = z.strictObject({ orgId: Id, practiceId: Id });
export const EnrollmentParams = z.strictObject({ enrollmentId: Id });
export const LessonParams = z.strictObject({ enrollmentId: Id, lessonId: Id });
export const ExamParams = z.strictObject({ examId: Id });
export const PracticeParams = z.strictObject({ practiceId: Id });
/** A WHIP resource of a practice live (the id server/live/media/whip.ts hands out). */
export const PracticeWhipParams = z.strictObject({ practiceId: Id, resource: WhipResource });
export const CertificateParams = z.strictObject({ number: z.string().min(1).max(40) });
export const VerifyQuery = z.strictObject({ code: z.string().min(1).max(100) });
export const EmptyBody = z.strictObject({}).optional();

const QuizQuestion = z.strictObject({
  stem: z.string().trim().min(2).max(500),
  options: z.array(z.string().trim().min(1).max(200)).min(2).max(6),
  answer: z.number().int().min(0).max(5),
});

export const LessonInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('video'), title: z.string().trim().min(2).max(100), body: z.string().trim().max(10_000).default(''), videoUrl: z.string().trim().max(500), minSeconds: z.number().int().min(30).max(36_000) }),
  z.strictObject({ kind: z.literal('text'), title: z.string().trim().min(2).max(100), body: z.string().trim().min(1).max(20_000), minSeconds: z.number().int().min(30).max(36_000) }),
  z.strictObject({ kind: z.literal('quiz'), title: z.string().trim().min(2).max(100), questions: z.array(QuizQuestion).min(1).max(20) }),
]);
export type LessonInput = z.output<typeof LessonInput>;

export const CreateCourseBody = z.strictObject({
  title: z.string().trim().min(2).max(100),
  category: z.enum(['policy', 'norms', 'skills']),
  summary: z.string().trim().max(2000).default(''),
  lessons: z.array(LessonInput).min(1).max(50),
});
export type CreateCourseBody = z.output<typeof CreateCourseBody>;

export const EnrollBody = z.strictObject({
  login: z.string().min(1).max(254),
  job: z.enum(JOBS),
  level: z.number().int().min(1).max(5),
});

export const QuestionBody = QuizQuestion;

export const QuizBody = z.strictObject({ answers: z.array(z.number().int().min(0).max(5)).min(1).max(20) });

/** {questionId: optionIndex}; every key must be a question of this paper. */
export const SubmitExamBody = z.strictObject({ answers: z.record(Id, z.number().int().min(0).max(5)) });

export const StartPracticeBody = z.strictObject({ title: z.string().trim().min(2).max(60) });
export const PracticeLineBody = z.strictObject({ text: z.string().trim().min(1).max(500) });

export const ScorePracticeBody = z.strictObject({
  rubric: z.strictObject(Object.fromEntries(RUBRIC.map((k) => [k, z.number().int().min(0).max(RUBRIC_MAX)])) as Record<(typeof RUBRIC)[number], z.ZodNumber>),
  comment: z.string().trim().max(1000).default(''),
});
