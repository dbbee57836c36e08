import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Training } from './index.ts';
import {
  CertificateParams,
  CreateCourseBody,
  EmptyBody,
  EnrollBody,
  EnrollmentParams,
  ExamParams,
  LessonParams,
  OrgParams,
  OrgPracticeParams,
  PracticeLineBody,
  PracticeParams,
  PracticeWhipParams,
  QuestionBody,
  QuizBody,
  ScorePracticeBody,
  StartPracticeBody,
  SubmitExamBody,
  VerifyQuery,
} from './schema.ts';
import { JOB_LEVELS, JOB_NAMES, MIN_HOURS, RUBRIC, RUBRIC_MAX } from './tracks.ts';

const tags = ['training'];
const user = { access: { kind: 'user' } } as const;
const trainer = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['training'], operators: false } } as const;
const centreReader = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['training'] } } as const;

export function trainingRoutes(app: FastifyInstance, training: Training) {
  const { service, exams, practices, certificates } = training;

  app.get('/api/training/tracks', { schema: { tags, summary: 'The 互联网营销师 tracks, minimum hours and the practice rubric' }, config: { access: { kind: 'public' } } }, async () => ({
    tracks: Object.entries(JOB_LEVELS).map(([job, levels]) => ({ job, name: JOB_NAMES[job as keyof typeof JOB_NAMES], levels: levels.map((level) => ({ level, minHours: MIN_HOURS[level] })) })),
    rubric: RUBRIC.map((id) => ({ id, max: RUBRIC_MAX })),
  }));

  // The centre (training organisation) console.
  app.get('/api/orgs/:orgId/training', { schema: { tags, summary: 'Training centre overview: courses, trainees, practices', params: OrgParams }, config: centreReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return service.overview(orgId);
  });
  app.post('/api/orgs/:orgId/training/courses', { schema: { tags, summary: 'Create a course with its lessons', params: OrgParams, body: CreateCourseBody }, config: trainer }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(CreateCourseBody, request.body, request.locale);
    reply.code(201);
    return { course: await service.createCourse(orgId, body, request.user!.id) };
  });
  app.post('/api/orgs/:orgId/training/questions', { schema: { tags, summary: 'Add a question to the bank', params: OrgParams, body: QuestionBody }, config: trainer }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(QuestionBody, request.body, request.locale);
    reply.code(201);
    return { question: await service.addQuestion(orgId, body) };
  });
  app.post('/api/orgs/:orgId/training/enrollments', { schema: { tags, summary: 'Enrol a trainee on a track', params: OrgParams, body: EnrollBody }, config: trainer }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(EnrollBody, request.body, request.locale);
    reply.code(201);
    return { enrollment: await service.enroll(orgId, body, request.user!.id) };
  });
  app.post('/api/orgs/:orgId/training/practices/:practiceId/score', { schema: { tags, summary: 'Score an ended practice live against the rubric', params: OrgPracticeParams, body: ScorePracticeBody }, config: trainer }, async (request) => {
    const { orgId, practiceId } = parseInput(OrgPracticeParams, request.params, request.locale);
    const body = parseInput(ScorePracticeBody, request.body, request.locale);
    return { practice: await practices.score(orgId, practiceId, request.user!.id, body.rubric, body.comment) };
  });

  // The trainee.
  app.get('/api/training/me', { schema: { tags, summary: 'My enrolments' }, config: user }, async (request) => ({ enrollments: await service.mine(request.user!.id) }));
  app.get('/api/training/enrollments/:enrollmentId', { schema: { tags, summary: 'An enrolment: courses, lessons, exams, practices', params: EnrollmentParams }, config: user }, async (request) => {
    const { enrollmentId } = parseInput(EnrollmentParams, request.params, request.locale);
    return service.detail(enrollmentId, request.user!.id);
  });
  app.get('/api/training/enrollments/:enrollmentId/lessons/:lessonId', { schema: { tags, summary: 'A lesson (a quiz without its answers)', params: LessonParams }, config: user }, async (request) => {
    const { enrollmentId, lessonId } = parseInput(LessonParams, request.params, request.locale);
    return service.lesson(enrollmentId, lessonId, request.user!.id);
  });
  app.post('/api/training/enrollments/:enrollmentId/lessons/:lessonId/heartbeat', { schema: { tags, summary: 'Study-time heartbeat from an open, visible lesson', params: LessonParams, body: EmptyBody }, config: user }, async (request) => {
    const { enrollmentId, lessonId } = parseInput(LessonParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return service.heartbeat(enrollmentId, lessonId, request.user!.id);
  });
  app.post('/api/training/enrollments/:enrollmentId/lessons/:lessonId/quiz', { schema: { tags, summary: 'Answer a quiz lesson', params: LessonParams, body: QuizBody }, config: user }, async (request) => {
    const { enrollmentId, lessonId } = parseInput(LessonParams, request.params, request.locale);
    const body = parseInput(QuizBody, request.body, request.locale);
    return service.answerQuiz(enrollmentId, lessonId, request.user!.id, body.answers);
  });
  app.post('/api/training/enrollments/:enrollmentId/exams', { schema: { tags, summary: 'Start (or resume) a timed theory exam', params: EnrollmentParams, body: EmptyBody }, config: user }, async (request, reply) => {
    const { enrollmentId } = parseInput(EnrollmentParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    reply.code(201);
    return { exam: await exams.start(enrollmentId, request.user!.id) };
  });
  app.get('/api/training/exams/:examId', { schema: { tags, summary: 'An exam paper (answers shown once submitted)', params: ExamParams }, config: user }, async (request) => {
    const { examId } = parseInput(ExamParams, request.params, request.locale);
    return { exam: await exams.get(examId, request.user!.id) };
  });
  app.post('/api/training/exams/:examId/submit', { schema: { tags, summary: 'Submit an exam once, before its deadline', params: ExamParams, body: SubmitExamBody }, config: user }, async (request) => {
    const { examId } = parseInput(ExamParams, request.params, request.locale);
    const body = parseInput(SubmitExamBody, request.body, request.locale);
    return { exam: await exams.submit(examId, request.user!.id, body.answers) };
  });
  app.post('/api/training/enrollments/:enrollmentId/practices', { schema: { tags, summary: 'Start a practice live (simulated audience)', params: EnrollmentParams, body: StartPracticeBody }, config: user }, async (request, reply) => {
    const { enrollmentId } = parseInput(EnrollmentParams, request.params, request.locale);
    const body = parseInput(StartPracticeBody, request.body, request.locale);
    reply.code(201);
    return { practice: await practices.start(enrollmentId, request.user!.id, body.title) };
  });
  app.get('/api/training/practices/:practiceId', { schema: { tags, summary: 'A practice live: simulation, script, score (trainee and trainers only)', params: PracticeParams }, config: user }, async (request) => {
    const { practiceId } = parseInput(PracticeParams, request.params, request.locale);
    return { practice: await practices.get(practiceId, request.user!.id) };
  });
  app.post('/api/training/practices/:practiceId/lines', { schema: { tags, summary: 'Check a script line against the 广告法 word list', params: PracticeParams, body: PracticeLineBody }, config: user }, async (request) => {
    const { practiceId } = parseInput(PracticeParams, request.params, request.locale);
    const body = parseInput(PracticeLineBody, request.body, request.locale);
    return practices.line(practiceId, request.user!.id, body.text);
  });
  // Browser push (WHIP, RFC 9725) from the practice page: the body is the SDP offer (content-type
  // application/sdp, whose parser server/live/routes.ts registers), the answer is SDP with a Location to DELETE.
  app.post('/api/training/practices/:practiceId/whip', { schema: { tags, summary: 'Practice live: browser push (WHIP offer), the trainee only', params: PracticeParams }, config: user }, async (request, reply) => {
    const { practiceId } = parseInput(PracticeParams, request.params, request.locale);
    const result = await practices.whipPublish(practiceId, request.user!.id, request.body);
    reply.code(201).header('content-type', 'application/sdp').header('location', `/api/training/practices/${encodeURIComponent(practiceId)}/whip/${result.resourceId}`);
    return result.answer;
  });
  app.delete('/api/training/practices/:practiceId/whip/:resource', { schema: { tags, summary: 'Practice live: end the browser push (WHIP)', params: PracticeWhipParams }, config: user }, async (request, reply) => {
    const { practiceId, resource } = parseInput(PracticeWhipParams, request.params, request.locale);
    await practices.whipStop(practiceId, request.user!.id, resource);
    reply.code(204);
  });
  app.post('/api/training/practices/:practiceId/end', { schema: { tags, summary: 'End a practice live', params: PracticeParams, body: EmptyBody }, config: user }, async (request) => {
    const { practiceId } = parseInput(PracticeParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return { practice: await practices.end(practiceId, request.user!.id) };
  });

  // Public verification (the certificate's QR code opens /certificates/:number?code=…).
  app.get('/api/certificates/:number/verify', { schema: { tags, summary: 'Verify a certificate by number and code', params: CertificateParams, querystring: VerifyQuery }, config: { access: { kind: 'public' } } }, async (request) => {
    const { number } = parseInput(CertificateParams, request.params, request.locale);
    const { code } = parseInput(VerifyQuery, request.query, request.locale);
    return { valid: true, certificate: await certificates.verify(number, code) };
  });
}
