import { createAccountsStore } from '../accounts/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { loadAdlawTerms, WordFilter } from '../room/filter.ts';
import type { Training } from './index.ts';
import type { CreateCourseBody } from './schema.ts';

/** Trainees of the demo centre besides the two demo streamers (password: the demo password). */
export const DEMO_TRAINEES = [
  { phone: '13700000001', name: '学员·陈思' },
  { phone: '13700000002', name: '学员·刘洋' },
  { phone: '13700000003', name: '学员·王芳' },
] as const;

const COURSES: CreateCourseBody[] = [
  {
    title: '《网络直播营销管理办法（试行）》解读',
    category: 'policy',
    summary: '2021 年国家网信办等七部门发布的办法：平台、直播间运营者与直播营销人员各自的责任。',
    lessons: [
      { kind: 'video', title: '办法出台背景与适用范围', body: '讲解要点：适用于在境内通过互联网站、应用程序、小程序等以直播方式推销商品或者服务的营销活动。', videoUrl: '', minSeconds: 600 },
      { kind: 'text', title: '直播营销人员的行为规范', body: '直播营销人员应年满十六周岁；不得发布虚假或者引人误解的信息，欺骗、误导用户；不得营造虚假繁荣、虚构交易数据；不得通过“刷单”等方式伪造流量；直播间运营者、直播营销人员应当依法依规履行消费者权益保护责任和义务。', minSeconds: 300 },
      { kind: 'quiz', title: '随堂测验', questions: [
        { stem: '直播营销人员应当年满多少周岁？', options: ['14 周岁', '16 周岁', '18 周岁'], answer: 1 },
        { stem: '以下哪项行为是办法明确禁止的？', options: ['介绍商品保质期', '虚构交易数据营造虚假繁荣', '展示商品检测报告'], answer: 1 },
      ] },
    ],
  },
  {
    title: '广告法与直播用语规范',
    category: 'norms',
    summary: '《广告法》第九条的绝对化用语、功效宣传的边界，以及直播间如何说得清楚又合规。',
    lessons: [
      { kind: 'video', title: '绝对化用语：哪些词不能说', body: '“国家级”“最高级”“最佳”等绝对化用语禁止在广告中使用；“全网最低价”“第一”同样属于高风险表述。', videoUrl: '', minSeconds: 600 },
      { kind: 'text', title: '替代说法练习', body: '把“全网最低价”换成“直播间专享价”，把“最好用”换成具体的成分、规格与使用感受。用事实说话：产地、工艺、检测报告、售后政策。', minSeconds: 300 },
      { kind: 'quiz', title: '随堂测验', questions: [
        { stem: '“国家级品质”可以在直播中使用吗？', options: ['可以', '不可以'], answer: 1 },
        { stem: '以下哪种说法更合规？', options: ['全网最低价', '直播间专享价 39.8 元'], answer: 1 },
      ] },
    ],
  },
  {
    title: '七日无理由退货规则',
    category: 'norms',
    summary: '《网络购买商品七日无理由退货暂行办法》：哪些商品适用、哪些经确认可不适用、直播间如何提示。',
    lessons: [
      { kind: 'text', title: '适用与例外', body: '消费者定作的、鲜活易腐的、在线下载或拆封的音像制品、交付的报纸期刊等不适用；拆封后易影响人身安全或生命健康、或易导致商品品质发生改变的，经消费者在购买时确认可以不适用。', minSeconds: 300 },
      { kind: 'quiz', title: '随堂测验', questions: [
        { stem: '鲜肉月饼（生鲜易腐）是否适用七日无理由退货？', options: ['适用', '不适用'], answer: 1 },
      ] },
    ],
  },
  {
    title: '直播话术与控场技能',
    category: 'skills',
    summary: '开场、讲品、逼单、互动与节奏：一场 2 小时直播的结构与话术。',
    lessons: [
      { kind: 'video', title: '一场直播的结构', body: '开场预热 5 分钟 → 福利款引流 → 主推款讲解（每款 8–12 分钟）→ 互动答疑 → 返场与预告。', videoUrl: '', minSeconds: 900 },
      { kind: 'text', title: '讲品四步法', body: '痛点 → 卖点 → 证据 → 价格与售后。每一步都要可以被核实。', minSeconds: 300 },
      { kind: 'quiz', title: '随堂测验', questions: [
        { stem: '讲品时“证据”一步指什么？', options: ['主播的个人感受', '检测报告、产地、工艺等可核实的信息'], answer: 1 },
      ] },
    ],
  },
];

const BANK: [string, string[], number][] = [
  ['《网络直播营销管理办法（试行）》由哪些部门联合发布？', ['国家网信办等七部门', '仅市场监管总局', '仅商务部'], 0],
  ['直播营销人员应当年满多少周岁？', ['14 周岁', '16 周岁', '18 周岁'], 1],
  ['《广告法》禁止使用的用语是？', ['直播间专享价', '国家级', '当季新品'], 1],
  ['以下哪项属于虚构交易数据？', ['展示真实销量', '刷单伪造销量', '公布库存'], 1],
  ['生鲜易腐商品是否适用七日无理由退货？', ['适用', '不适用'], 1],
  ['拆封后影响卫生安全的化妆品，何时可以不适用七日无理由退货？', ['商家单方面决定', '消费者购买时经确认', '任何时候'], 1],
  ['直播中引导观众“加微信私下交易”属于？', ['正常服务', '违规行为'], 1],
  ['介绍食品功效时，以下哪项可以说？', ['治疗高血压', '配料表与营养成分', '包治百病'], 1],
  ['直播间运营者对直播营销人员的行为应当？', ['不闻不问', '加强管理，建立健全内部制度'], 1],
  ['“全网最低价”属于哪类风险表述？', ['绝对化用语，高风险', '无风险'], 0],
  ['互联网营销师五级的最低培训学时是？', ['72', '88', '120'], 2],
  ['互联网营销师平台管理员最高可到哪一级？', ['一级', '三级', '五级'], 1],
];

/**
 * 海上直播电商学院's courses, question bank and trainees at several stages (docs/TRAINING.md, Demo):
 * 小林说吃 certified; 阿May美妆 with her exam passed and a practice waiting for the trainer's score;
 * 陈思 and 王芳 studying with hours; 刘洋 just enrolled.
 */
export async function seedTrainingDemo(
  training: Training,
  db: Db,
  clock: Clock,
  ids: { orgId: string; trainerId: string; streamerFood: string; streamerBeauty: string; passwordHash: string },
) {
  const now = clock.now();
  const iso = now.toISOString();
  const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
  const accounts = createAccountsStore(db);
  const logins: Record<string, string> = {};
  for (const t of DEMO_TRAINEES) {
    const id = newId();
    await accounts.insertUser({ id, phone: t.phone, email: null, password_hash: ids.passwordHash, display_name: t.name, platform_role: 'viewer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: iso, updated_at: iso });
    logins[t.phone] = id;
  }
  for (const course of COURSES) await training.service.createCourse(ids.orgId, course, ids.trainerId);
  for (const [stem, options, answer] of BANK) await training.service.addQuestion(ids.orgId, { stem, options, answer });

  const { store } = training;
  const lessons = await store.listLessons(ids.orgId);
  const enroll = async (userId: string, job: 'seller' | 'creator' | 'selector' | 'admin', level: number, hours: number, lessonsDone: number) => {
    const id = newId();
    await store.insertEnrollment({ id, org_id: ids.orgId, user_id: userId, job, level, study_seconds: Math.round(hours * 3600), last_beat_at: hours ? ago(20) : null, created_at: ago(24 * 40) });
    // Earlier study: the first `lessonsDone` lessons completed, with the time their pages counted.
    for (const lesson of lessons.slice(0, lessonsDone)) {
      await store.db.insertInto('training_progress').values({ enrollment_id: id, lesson_id: lesson.id, seconds: Math.max(lesson.min_seconds, 120), completed_at: ago(24) }).execute();
    }
    return id;
  };
  const certified = await enroll(ids.streamerFood, 'seller', 5, 126.5, lessons.length);
  const assessing = await enroll(ids.streamerBeauty, 'seller', 4, 108, lessons.length);
  await enroll(logins['13700000001']!, 'creator', 5, 46.5, 5);
  await enroll(logins['13700000003']!, 'admin', 3, 12, 2);
  await enroll(logins['13700000002']!, 'selector', 5, 0, 0);

  // Exams: answered through the service (drawn, timed and scored as a trainee's would be).
  const sitExam = async (enrollmentId: string, userId: string, wrong: number) => {
    const exam = await training.exams.start(enrollmentId, userId);
    const bank = new Map((await store.listQuestions(ids.orgId)).map((q) => [q.id, q.answer]));
    const answers = Object.fromEntries(exam.questions.map((q, i) => [q.id, i < wrong ? (bank.get(q.id)! + 1) % q.options.length : bank.get(q.id)!]));
    await training.exams.submit(exam.id, userId, answers);
  };
  await sitExam(certified, ids.streamerFood, 1);
  await sitExam(assessing, ids.streamerBeauty, 2);

  // Practice lives, ended earlier (their audience was simulated), one scored and one waiting for the trainer.
  const filter = new WordFilter(loadAdlawTerms());
  const practice = async (enrollmentId: string, title: string, lines: string[], startedHoursAgo: number) => {
    const id = newId();
    const script = lines.map((text, i) => ({ at: ago(startedHoursAgo - i * 0.01), text, hits: [...new Set(filter.check(text).hits.map((h) => h.word))] }));
    const enrollment = (await store.findEnrollment(enrollmentId))!;
    // Each practice is a live session in practice mode (ended: its stream key is gone, as after any live).
    const session = { id: newId(), streamer_id: enrollment.user_id, brand_org_id: null, title, description: '', cover_url: null, status: 'ended' as const, scheduled_at: ago(startedHoursAgo), started_at: ago(startedHoursAgo), ended_at: ago(startedHoursAgo - 0.5), ended_reason: 'streamer_ended' as const, created_at: ago(startedHoursAgo), mode: 'practice' as const };
    await store.insertPracticeLive({ id, enrollment_id: enrollmentId, title, started_at: ago(startedHoursAgo), ended_at: ago(startedHoursAgo - 0.5), script: JSON.stringify(script), simulated: JSON.stringify({ seconds: 1800, viewersAtEnd: 126, chats: 450, orders: 72 }), rubric: null, score: null, comment: null, scored_by: null, scored_at: null, session_id: session.id, sim_second: 1800 }, session);
    return id;
  };
  const food = await practice(certified, '鲜肉月饼现烤试播', [
    '家人们晚上好，欢迎来到德兴斋直播间！',
    '鲜肉月饼现烤现发，酥皮千层，一口爆汁。',
    '直播间专享价 39.8 元 6 只装，生鲜易腐不适用七天无理由。',
  ], 72);
  await training.practices.score(ids.orgId, food, ids.trainerId, { script: 17, compliance: 18, product: 17, interaction: 15, pacing: 15 }, '讲品清楚，退货规则提示到位。');
  await practice(assessing, '焕亮精华液试播', [
    '姐妹们看过来，玉兰凝肌焕亮精华！',
    '这是全网最低价，国家级品质的精华！',
    '更正一下：直播间专享价，成分是白玉兰提取物加烟酰胺。',
  ], 5);
}
