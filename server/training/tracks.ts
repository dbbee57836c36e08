// The 互联网营销师 tracks (国家职业技能标准 4-01-02-07), the practice rubric, and the practice
// live's simulated audience. Pure data and functions; no database.

export const JOBS = ['selector', 'seller', 'creator', 'admin'] as const;
export type Job = (typeof JOBS)[number];

export const JOB_NAMES: Record<Job, { 'zh-CN': string; en: string }> = {
  selector: { 'zh-CN': '选品员', en: 'Product selector' },
  seller: { 'zh-CN': '直播销售员', en: 'Live seller' },
  creator: { 'zh-CN': '视频创推员', en: 'Video promoter' },
  admin: { 'zh-CN': '平台管理员', en: 'Platform administrator' },
};

/** The levels each job type has: 五级 (5) to 一级 (1); 平台管理员 only 五级 to 三级. */
export const JOB_LEVELS: Record<Job, readonly number[]> = {
  selector: [5, 4, 3, 2, 1],
  seller: [5, 4, 3, 2, 1],
  creator: [5, 4, 3, 2, 1],
  admin: [5, 4, 3],
};

/** The standard's minimum training hours per level (五级 120, 四级 104, 三级 88, 二级 72, 一级 72). */
export const MIN_HOURS: Record<number, number> = { 5: 120, 4: 104, 3: 88, 2: 72, 1: 72 };

/** The page sends one heartbeat this often while a lesson is open and visible. */
export const HEARTBEAT_SECONDS = 30;
/** At most this much study time is credited for one heartbeat interval (a late beat is not a long one). */
export const HEARTBEAT_CAP_SECONDS = 45;

/** A paper draws this many questions from the centre's bank (fewer if the bank is smaller). */
export const EXAM_QUESTIONS = 10;
export const EXAM_MINUTES = 30;
/** Theory and skills both pass at 60 out of 100. */
export const PASS_SCORE = 60;

/** The trainer's rubric for a practice live: five criteria, 20 points each. */
export const RUBRIC = ['script', 'compliance', 'product', 'interaction', 'pacing'] as const;
export type RubricCriterion = (typeof RUBRIC)[number];
export const RUBRIC_MAX = 20;

/** The simulated audience of a practice live at `elapsedSeconds`: deterministic from the practice id. */
export function simulateAudience(practiceId: string, elapsedSeconds: number) {
  const seed = hash(practiceId);
  const t = Math.max(0, Math.floor(elapsedSeconds));
  // Viewers ramp up over the first two minutes and wander around a plateau of 80–160.
  const plateau = 80 + (seed % 80);
  const ramp = Math.min(1, t / 120);
  const wobble = Math.round(Math.sin((t + seed) / 17) * 12);
  const viewers = Math.max(1, Math.round(plateau * ramp) + wobble);
  // One chat line every 4 seconds, one simulated order every 25 seconds after the first 20.
  const chatCount = Math.floor(t / 4);
  const orders = t < 20 ? 0 : Math.floor((t - 20) / 25) + 1;
  const chat = [];
  for (let i = Math.max(0, chatCount - 8); i < chatCount; i++) chat.push(simulatedChat(practiceId, i));
  const recentOrders = [];
  for (let i = Math.max(0, orders - 3); i < orders; i++) recentOrders.push(simulatedOrder(practiceId, i));
  return { elapsedSeconds: t, viewers, chatCount, chat, orders, recentOrders };
}

/** The simulated audience's chat line number `i` (said at second 4·i). */
export function simulatedChat(practiceId: string, i: number) {
  const pick = hash(`${practiceId}:${i}`);
  return { id: i, at: i * 4, nickname: NICKNAMES[pick % NICKNAMES.length]!, text: CHAT_LINES[(pick >>> 4) % CHAT_LINES.length]! };
}

/** The simulated order number `i` (placed at second 20 + 25·i): a ticker line, never an order row. */
export function simulatedOrder(practiceId: string, i: number) {
  const pick = hash(`${practiceId}:order:${i}`);
  return { id: i, at: 20 + i * 25, nickname: NICKNAMES[pick % NICKNAMES.length]!, item: ORDER_ITEMS[(pick >>> 3) % ORDER_ITEMS.length]!, quantity: 1 + (pick % 3) };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const NICKNAMES = ['吃货小陈', '上海阿姨', '打工人小李', '宝妈Lily', '路过的猫', '学生党', '老顾客王叔', '追光者', '奶茶续命', '周末去哪'];
const CHAT_LINES = [
  '主播好！第一次来',
  '这个多少钱？',
  '能讲讲保质期吗',
  '支持七天无理由吗？',
  '有没有优惠券',
  '发货地是哪里',
  '2号链接还有吗',
  '主播声音好好听',
  '已下单，期待',
  '和超市的比有什么区别',
  '敏感肌能用吗',
  '什么时候发货',
];
const ORDER_ITEMS = ['鲜肉月饼 6 只装', '蝴蝶酥礼盒 250g', '焕亮精华液 30ml', '四件套 1.8m'];
