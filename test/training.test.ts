// Talent training and certification (docs/TRAINING.md), on SQLite and PostgreSQL: courses and
// lessons, study time counted from server-timed heartbeats, quiz lessons, the timed theory exam and
// its refusals, practice lives checked against the 广告法 list and scored against the rubric, and
// certificates whose HMAC code detects forgery and alteration.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { createTrainingStore } from '../server/training/store.ts';
import { HEARTBEAT_CAP_SECONDS } from '../server/training/tracks.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

let counter = 0;
const uniq = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

const QUESTIONS = Array.from({ length: 12 }, (_, i) => ({ stem: `第 ${i + 1} 题：直播营销中哪项做法合规？`, options: ['合规做法', '违规做法 A', '违规做法 B'], answer: 0 }));

/** A training centre with one course (a text lesson of 60 s and a two-question quiz), a 12-question bank, and one enrolled trainee. */
async function centre(server: TestServer) {
  const owner = server.client();
  await owner.register(`trainer-${uniq()}@example.com`, 'Secret123x', '培训老师');
  const org = (await owner.post('/api/orgs', { kind: 'training', name: `测试学院${uniq()}`, description: '' })).json().org;
  const course = await owner.post(`/api/orgs/${org.id}/training/courses`, {
    title: '网络直播营销管理办法（试行）解读',
    category: 'policy',
    summary: '2021 年七部门办法',
    lessons: [
      { kind: 'text', title: '主体责任', body: '直播营销平台、直播间运营者和直播营销人员的责任。', minSeconds: 60 },
      { kind: 'quiz', title: '随堂测验', questions: [
        { stem: '直播营销人员最低年龄？', options: ['14 周岁', '16 周岁', '18 周岁'], answer: 1 },
        { stem: '广告中可以使用「国家级」吗？', options: ['可以', '不可以'], answer: 1 },
      ] },
    ],
  });
  expect(course.status).toBe(201);
  for (const q of QUESTIONS) expect((await owner.post(`/api/orgs/${org.id}/training/questions`, q)).status).toBe(201);
  const trainee = server.client();
  const login = `trainee-${uniq()}@example.com`;
  await trainee.register(login, 'Secret123x', '学员小张');
  const enrolled = await owner.post(`/api/orgs/${org.id}/training/enrollments`, { login, job: 'seller', level: 5 });
  expect(enrolled.status).toBe(201);
  const enrollmentId = enrolled.json().enrollment.id as string;
  const detail = (await trainee.get(`/api/training/enrollments/${enrollmentId}`)).json();
  const [textLesson, quizLesson] = detail.courses[0].lessons as { id: string }[];
  return { owner, trainee, orgId: org.id as string, enrollmentId, textLesson: textLesson!.id, quizLesson: quizLesson!.id };
}

/** Makes the trainee eligible: completes the lessons, and gives the enrolment the standard's 120 hours (as if studied earlier). */
async function eligible(server: TestServer, c: Awaited<ReturnType<typeof centre>>) {
  const beat = () => c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/lessons/${c.textLesson}/heartbeat`, {});
  await beat();
  for (let i = 0; i < 2; i++) {
    server.clock.advance(30_000);
    await beat();
  }
  expect((await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/lessons/${c.quizLesson}/quiz`, { answers: [1, 1] })).json().passed).toBe(true);
  const store = createTrainingStore(server.database.db);
  await store.db.updateTable('training_enrollments').set({ study_seconds: 120 * 3600 }).where('id', '=', c.enrollmentId).execute();
}

async function snapshot(server: TestServer) {
  const db = createTrainingStore(server.database.db).db;
  return JSON.stringify(await Promise.all([db.selectFrom('training_exams').selectAll().orderBy('id').execute(), db.selectFrom('training_certificates').selectAll().orderBy('number').execute(), db.selectFrom('training_practices').selectAll().orderBy('id').execute()]));
}

async function practiceScored(c: Awaited<ReturnType<typeof centre>>, server: TestServer, points = 15) {
  const practice = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/practices`, { title: '鲜肉月饼试播' })).json().practice;
  server.clock.advance(60_000);
  expect((await c.trainee.post(`/api/training/practices/${practice.id}/end`, {})).status).toBe(200);
  const scored = await c.owner.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric: { script: points, compliance: points, product: points, interaction: points, pacing: points }, comment: '节奏不错' });
  expect(scored.status).toBe(200);
  return practice.id as string;
}

async function passExam(c: { trainee: TestClient; enrollmentId: string }) {
  const exam = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {})).json().exam;
  const answers = Object.fromEntries((exam.questions as { id: string }[]).map((q) => [q.id, 0]));
  const submitted = await c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers });
  expect(submitted.status).toBe(200);
  return { exam, submitted: submitted.json().exam };
}

describeEachDatabase('training', ({ server }) => {
  it('counts study time from heartbeats by server time, capped, and never from one request', async () => {
    const c = await centre(server());
    const url = `/api/training/enrollments/${c.enrollmentId}/lessons/${c.textLesson}/heartbeat`;
    // The first beat opens the interval; a burst right after credits nothing.
    expect((await c.trainee.post(url, {})).json().credited).toBe(0);
    for (let i = 0; i < 5; i++) expect((await c.trainee.post(url, {})).json().credited).toBe(0);
    server().clock.advance(30_000);
    const second = (await c.trainee.post(url, {})).json();
    expect(second).toMatchObject({ credited: 30, lessonSeconds: 30, completed: false, studySeconds: 30 });
    // A beat after a long gap (the page was closed or hidden) credits nothing.
    server().clock.advance((HEARTBEAT_CAP_SECONDS + 600) * 1000);
    expect((await c.trainee.post(url, {})).json().credited).toBe(0);
    server().clock.advance(30_000);
    const done = (await c.trainee.post(url, {})).json();
    expect(done).toMatchObject({ credited: 30, lessonSeconds: 60, completed: true, studySeconds: 60 });
    // A client-claimed duration is refused outright.
    expect((await c.trainee.post(url, { seconds: 36000 })).errorCode).toBe('VALIDATION_FAILED');
    // Someone else cannot beat for this enrolment.
    const other = server().client();
    await other.register(`other-${uniq()}@example.com`);
    expect((await other.post(url, {})).errorCode).toBe('TRAINING_NOT_ENROLLED');
    const mine = (await c.trainee.get('/api/training/me')).json().enrollments[0];
    expect(mine).toMatchObject({ studySeconds: 60, requiredHours: 120, lessonsCompleted: 1, lessonsTotal: 2, stage: 'studying', eligibleForExam: false });
  });

  it('a quiz lesson shows no answers and completes at 60 %', async () => {
    const c = await centre(server());
    const lesson = (await c.trainee.get(`/api/training/enrollments/${c.enrollmentId}/lessons/${c.quizLesson}`)).json().lesson;
    expect(lesson.quiz[0]).toEqual({ stem: '直播营销人员最低年龄？', options: ['14 周岁', '16 周岁', '18 周岁'] });
    const wrong = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/lessons/${c.quizLesson}/quiz`, { answers: [0, 0] })).json();
    expect(wrong).toMatchObject({ correct: 0, total: 2, passed: false });
    const right = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/lessons/${c.quizLesson}/quiz`, { answers: [1, 1] })).json();
    expect(right).toMatchObject({ correct: 2, passed: true });
  });

  it('refuses enrolment on a level the job type does not have, and a second enrolment', async () => {
    const c = await centre(server());
    const someone = server().client();
    const login = `admin-${uniq()}@example.com`;
    await someone.register(login);
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/enrollments`, { login, job: 'admin', level: 1 })).errorCode).toBe('TRAINING_LEVEL_INVALID');
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/enrollments`, { login, job: 'admin', level: 3 })).status).toBe(201);
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/enrollments`, { login, job: 'seller', level: 5 })).errorCode).toBe('TRAINING_ALREADY_ENROLLED');
    // A trainee is not a trainer.
    expect((await c.trainee.get(`/api/orgs/${c.orgId}/training`)).errorCode).toBe('FORBIDDEN');
  });

  it('the exam opens only with the hours and lessons done; the paper is drawn and timed on the server', async () => {
    const c = await centre(server());
    const refused = await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {});
    expect(refused.errorCode).toBe('TRAINING_NOT_ELIGIBLE');
    await eligible(server(), c);
    const started = await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {});
    expect(started.status).toBe(201);
    const exam = started.json().exam;
    expect(exam.questions).toHaveLength(10);
    expect(exam.questions[0].answer).toBeUndefined();
    expect(Date.parse(exam.deadlineAt) - Date.parse(exam.startedAt)).toBe(30 * 60_000);
    // Starting again while it is open answers the same paper.
    expect((await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {})).json().exam.id).toBe(exam.id);
  });

  it('refuses an exam submitted twice, after its time, by someone not enrolled, or with answers not in the paper; nothing changes', async () => {
    const s = server();
    const c = await centre(s);
    await eligible(s, c);
    const exam = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {})).json().exam;
    const answers = Object.fromEntries((exam.questions as { id: string }[]).map((q) => [q.id, 0]));

    let before = await snapshot(s);
    const stranger = s.client();
    await stranger.register(`stranger-${uniq()}@example.com`);
    expect((await stranger.post(`/api/training/exams/${exam.id}/submit`, { answers })).errorCode).toBe('TRAINING_NOT_ENROLLED');
    expect((await stranger.get(`/api/training/exams/${exam.id}`)).errorCode).toBe('TRAINING_NOT_ENROLLED');
    const drawn = new Set((exam.questions as { id: string }[]).map((q) => q.id));
    const bank = await createTrainingStore(s.database.db).listQuestions(c.orgId);
    const outside = bank.find((q) => !drawn.has(q.id))!.id;
    const stray = await c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers: { ...answers, [outside]: 0 } });
    expect(stray.errorCode).toBe('EXAM_ANSWER_NOT_IN_PAPER');
    expect((await c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers: { 'no-such-question': 1 } })).errorCode).toBe('EXAM_ANSWER_NOT_IN_PAPER');
    expect((await c.trainee.post('/api/training/exams/no-such-exam/submit', { answers })).errorCode).toBe('EXAM_NOT_FOUND');
    expect(await snapshot(s)).toBe(before);

    // Submitted once: scored on the server (every answer 0 is right here), then refused a second time.
    const first = await c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers });
    expect(first.json().exam).toMatchObject({ score: 100, passed: true });
    before = await snapshot(s);
    expect((await c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers: {} })).errorCode).toBe('EXAM_ALREADY_SUBMITTED');
    expect(await snapshot(s)).toBe(before);

    // A new attempt, left past its deadline.
    const late = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {})).json().exam;
    expect(late.id).not.toBe(exam.id);
    s.clock.advance(31 * 60_000);
    before = await snapshot(s);
    const lateAnswers = Object.fromEntries((late.questions as { id: string }[]).map((q) => [q.id, 0]));
    expect((await c.trainee.post(`/api/training/exams/${late.id}/submit`, { answers: lateAnswers })).errorCode).toBe('EXAM_TIME_UP');
    expect(await snapshot(s)).toBe(before);
    expect((await c.trainee.get(`/api/training/exams/${late.id}`)).json().exam).toMatchObject({ expired: true, score: null });
  });

  it('two concurrent submissions of one exam: one is scored, the other refused', async () => {
    const s = server();
    const c = await centre(s);
    await eligible(s, c);
    const exam = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/exams`, {})).json().exam;
    const answers = Object.fromEntries((exam.questions as { id: string }[]).map((q) => [q.id, 1]));
    const results = await Promise.all([c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers }), c.trainee.post(`/api/training/exams/${exam.id}/submit`, { answers })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 200)!.json().exam.score).toBe(0);
  });

  it('a practice live: simulated audience, script lines checked against the 广告法 list, seen by trainee and trainer only, scored once after it ends', async () => {
    const s = server();
    const c = await centre(s);
    const practice = (await c.trainee.post(`/api/training/enrollments/${c.enrollmentId}/practices`, { title: '蝴蝶酥试播' })).json().practice;
    expect(practice).toMatchObject({ live: true, isTrainee: true, canScore: false });
    s.clock.advance(90_000);
    const running = (await c.trainee.get(`/api/training/practices/${practice.id}`)).json().practice;
    expect(running.simulation.viewers).toBeGreaterThan(0);
    expect(running.simulation.chatCount).toBe(22);
    expect(running.simulation.orders).toBe(3);
    const hit = (await c.trainee.post(`/api/training/practices/${practice.id}/lines`, { text: '这是全网最低价，国家级品质！' })).json();
    expect(hit.hits.map((h: { word: string }) => h.word)).toEqual(expect.arrayContaining(['最低价', '国家级']));
    const clean = (await c.trainee.post(`/api/training/practices/${practice.id}/lines`, { text: '酥皮千层，黄油香浓，保质期 90 天。' })).json();
    expect(clean.hits).toEqual([]);
    // A stranger, and the trainer before the end.
    const stranger = s.client();
    await stranger.register(`peek-${uniq()}@example.com`);
    expect((await stranger.get(`/api/training/practices/${practice.id}`)).errorCode).toBe('PRACTICE_NOT_FOUND');
    const rubric = { script: 18, compliance: 10, product: 16, interaction: 14, pacing: 12 };
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric, comment: '' })).errorCode).toBe('PRACTICE_NOT_ENDED');
    expect((await c.trainee.post(`/api/training/practices/${practice.id}/end`, {})).json().practice.totals).toMatchObject({ chats: 22, orders: 3 });
    expect((await c.trainee.post(`/api/training/practices/${practice.id}/lines`, { text: '再说一句' })).errorCode).toBe('PRACTICE_ENDED');
    const seen = (await c.owner.get(`/api/training/practices/${practice.id}`)).json().practice;
    expect(seen).toMatchObject({ canScore: true, lines: 2, linesWithHits: 1 });
    expect((await c.trainee.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric, comment: '' })).errorCode).toBe('FORBIDDEN');
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric: { ...rubric, pacing: 21 }, comment: '' })).errorCode).toBe('VALIDATION_FAILED');
    const scored = (await c.owner.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric, comment: '注意极限词' })).json().practice;
    expect(scored.score).toBe(70);
    expect((await c.owner.post(`/api/orgs/${c.orgId}/training/practices/${practice.id}/score`, { rubric, comment: '' })).errorCode).toBe('PRACTICE_ALREADY_SCORED');
    // Nothing was written to orders: no money moves.
    const orders = await s.database.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(orders.n)).toBe(0);
  });

  it('a certificate is issued once theory and skills both pass; forged or altered codes fail verification', async () => {
    const s = server();
    const c = await centre(s);
    await eligible(s, c);
    await passExam(c);
    expect((await c.trainee.get('/api/training/me')).json().enrollments[0].certificate).toBeNull();
    await practiceScored(c, s, 15);
    const mine = (await c.trainee.get('/api/training/me')).json().enrollments[0];
    expect(mine.stage).toBe('certified');
    const cert = mine.certificate;
    expect(cert.number).toMatch(/^ZB-\d{4}-\d{6}$/);
    expect(cert).toMatchObject({ holderName: '学员小张', level: 5, theoryScore: 100, skillScore: 75, studyHours: 120 });

    const anyone = s.client();
    const ok = await anyone.get(`/api/certificates/${cert.number}/verify?code=${encodeURIComponent(cert.code)}`);
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ valid: true, certificate: { number: cert.number, holderName: '学员小张', jobName: { 'zh-CN': '直播销售员' } } });
    const before = await snapshot(s);
    const altered = cert.code.slice(0, -1) + (cert.code.endsWith('A') ? 'B' : 'A');
    expect((await anyone.get(`/api/certificates/${cert.number}/verify?code=${altered}`)).errorCode).toBe('CERTIFICATE_CODE_INVALID');
    expect((await anyone.get(`/api/certificates/${cert.number}/verify?code=FORGED-CODE`)).errorCode).toBe('CERTIFICATE_CODE_INVALID');
    expect((await anyone.get(`/api/certificates/ZB-2026-999999/verify?code=${encodeURIComponent(cert.code)}`)).errorCode).toBe('CERTIFICATE_NOT_FOUND');
    expect(await snapshot(s)).toBe(before);
    // A field changed in the database after issue (a raised score) no longer matches its code.
    const store = createTrainingStore(s.database.db);
    await store.db.updateTable('training_certificates').set({ theory_score: 60 }).where('number', '=', cert.number).execute();
    expect((await anyone.get(`/api/certificates/${cert.number}/verify?code=${encodeURIComponent(cert.code)}`)).errorCode).toBe('CERTIFICATE_CODE_INVALID');
  });

  it('the OpenAPI document carries the training routes with their zod schemas', async () => {
    const doc = (await server().client().get('/api/openapi.json')).json();
    const submit = doc.paths['/api/training/exams/{examId}/submit'].post;
    expect(submit.tags).toEqual(['training']);
    expect(submit.parameters).toEqual([expect.objectContaining({ name: 'examId', in: 'path', required: true })]);
    expect(Object.keys(submit.requestBody.content['application/json'].schema.properties)).toEqual(['answers']);
    expect(doc.paths['/api/certificates/{number}/verify'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['code', 'number']);
    const training = Object.entries(doc.paths as Record<string, Record<string, { tags: string[] }>>).filter(([, ops]) => Object.values(ops).some((op) => op.tags?.[0] === 'training'));
    expect(training.length).toBeGreaterThanOrEqual(15);
  });

  it('the centre console lists courses, trainees by stage and practices', async () => {
    const s = server();
    const c = await centre(s);
    const overview = (await c.owner.get(`/api/orgs/${c.orgId}/training`)).json();
    expect(overview.courses).toHaveLength(1);
    expect(overview.questionCount).toBe(12);
    expect(overview.trainees[0]).toMatchObject({ displayName: '学员小张', stage: 'enrolled', jobName: { 'zh-CN': '直播销售员' } });
  });
}, { timeoutMs: 60_000 });

describeEachDatabase('training demo', ({ server }) => {
  it('海上直播电商学院 has courses, a bank and trainees at several stages, with a verifiable certificate', async () => {
    const trainer = server().client();
    await trainer.login(DEMO_ACCOUNTS.training.login, DEMO_PASSWORD);
    const orgId = (await trainer.get('/api/me/orgs')).json().memberships[0].org.id;
    const overview = (await trainer.get(`/api/orgs/${orgId}/training`)).json();
    expect(overview.courses.length).toBeGreaterThanOrEqual(3);
    expect(overview.questionCount).toBeGreaterThanOrEqual(10);
    const stages = new Set(overview.trainees.map((t: { stage: string }) => t.stage));
    for (const stage of ['enrolled', 'studying', 'assessing', 'certified']) expect(stages).toContain(stage);
    expect(overview.practices.some((p: { score: number | null; endedAt: string | null }) => p.endedAt && p.score === null)).toBe(true);
    // Each demo practice is a live session in practice mode, which the trainer opens and nobody else sees.
    const waiting = overview.practices.find((p: { score: number | null }) => p.score === null);
    const practice = (await trainer.get(`/api/training/practices/${waiting.id}`)).json().practice;
    expect(practice.session).toMatchObject({ status: 'ended', push: null });
    expect((await server().database.db.selectFrom('live_sessions').select('mode').where('id', '=', practice.session.id).executeTakeFirstOrThrow()).mode).toBe('practice');
    expect((await server().client().get(`/api/live-sessions/${practice.session.id}`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
    const certified = overview.trainees.find((t: { stage: string }) => t.stage === 'certified');
    const verified = await server().client().get(`/api/certificates/${certified.certificate.number}/verify?code=${encodeURIComponent(certified.certificate.code)}`);
    expect(verified.status).toBe(200);
  });
}, { demo: true, timeoutMs: 120_000 });
