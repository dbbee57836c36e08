export type JobName = { 'zh-CN': string; en: string };
export type CertificateView = {
  number: string;
  holderName: string;
  orgName: string;
  job: string;
  jobName: JobName;
  level: number;
  studyHours: number;
  theoryScore: number;
  skillScore: number;
  issuedAt: string;
  code?: string;
};
export type EnrollmentSummary = {
  id: string;
  orgId: string;
  orgName?: string;
  displayName?: string;
  job: string;
  jobName: JobName;
  level: number;
  studySeconds: number;
  requiredHours: number;
  hoursMet: boolean;
  lessonsTotal: number;
  lessonsCompleted: number;
  eligibleForExam: boolean;
  examAttempts: number;
  bestTheory: number | null;
  bestSkill: number | null;
  stage: 'enrolled' | 'studying' | 'assessing' | 'certified';
  certificate: CertificateView | null;
};
export type LessonSummary = { id: string; kind: 'video' | 'text' | 'quiz'; title: string; minSeconds: number | null; seconds: number; completed: boolean };
export type Course = { id: string; title: string; category: 'policy' | 'norms' | 'skills'; summary: string; lessons: LessonSummary[]; completed: boolean };
export type EnrollmentDetail = {
  enrollment: EnrollmentSummary;
  courses: Course[];
  exams: { id: string; startedAt: string; deadlineAt: string; submittedAt: string | null; score: number | null }[];
  practices: { id: string; title: string; startedAt: string; endedAt: string | null; score: number | null }[];
};
export type ExamPaper = {
  id: string;
  enrollmentId: string;
  startedAt: string;
  deadlineAt: string;
  submittedAt: string | null;
  score: number | null;
  passed: boolean | null;
  expired: boolean;
  questions: { id: string; stem: string; options: string[]; answer?: number; given?: number | null }[];
};
export type Simulation = {
  elapsedSeconds: number;
  viewers: number;
  chatCount: number;
  chat: { id: number; at: number; nickname: string; text: string }[];
  orders: number;
  recentOrders: { id: number; at: number; nickname: string; item: string; quantity: number }[];
};
export type PracticeSession = {
  id: string;
  status: 'scheduled' | 'live' | 'ended';
  publishing: boolean;
  viewers: number;
  playback: { flv: string | null; hls: string | null };
  /** The trainee's alone: null for a trainer. */
  push: { server: string; streamKey: string | null; url: string | null } | null;
};

export type Practice = {
  id: string;
  enrollmentId: string;
  orgId: string;
  traineeName: string;
  title: string;
  startedAt: string;
  endedAt: string | null;
  live: boolean;
  /** The practice's live session (mode 'practice'); null for a practice from before they had one. */
  session: PracticeSession | null;
  simulation: Simulation | null;
  totals: { seconds: number; viewersAtEnd: number; chats: number; orders: number } | null;
  script: { at: string; text: string; hits: string[] }[];
  lines: number;
  linesWithHits: number;
  rubric: Record<string, number> | null;
  score: number | null;
  comment: string | null;
  isTrainee: boolean;
  canScore: boolean;
};

export const RUBRIC = ['script', 'compliance', 'product', 'interaction', 'pacing'] as const;

export function jobLabel(name: JobName, locale: string): string {
  return locale === 'en' ? name.en : name['zh-CN'];
}

export function hours(seconds: number): string {
  return (Math.floor(seconds / 360) / 10).toFixed(1);
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function verifyPath(c: { number: string; code?: string }): string {
  return `/certificates/${encodeURIComponent(c.number)}?code=${encodeURIComponent(c.code ?? '')}`;
}
