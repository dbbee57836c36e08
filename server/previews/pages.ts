import type { Db } from '../platform/db.ts';
import { AppError, type Locale } from '../platform/errors.ts';
import type { LiveStatus } from '../platform/db-types.ts';
import { verificationPath, type Certificates } from '../training/certificates.ts';
import { clip, type Preview } from './html.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** As the verification route takes them (server/training/schema.ts). */
const CERTIFICATE_NUMBER = /^[\w-]{1,40}$/;
const DESCRIPTION_MAX = 200;

const WORDS = {
  'zh-CN': {
    status: { live: '直播中', scheduled: '预告', ended: '已结束' } satisfies Record<LiveStatus, string>,
    starts: (when: string) => `${when}（北京时间）开播`,
    streamer: (name: string) => `主播：${name}`,
    base: '直播基地',
    verification: (number: string) => `证书验证：${number}`,
    valid: '证书真实有效',
    holder: (name: string) => `持证人：${name}`,
    track: (job: string, level: string) => `职业（工种）与等级：${job} · ${level}`,
    level: (n: number) => `${['', '一', '二', '三', '四', '五'][n] ?? n}级`,
    org: (name: string) => `培训机构：${name}`,
  },
  en: {
    status: { live: 'Live', scheduled: 'Upcoming', ended: 'Ended' } satisfies Record<LiveStatus, string>,
    starts: (when: string) => `starts ${when} (Beijing time)`,
    streamer: (name: string) => `Streamer: ${name}`,
    base: 'Live-streaming base',
    verification: (number: string) => `Certificate verification: ${number}`,
    valid: 'This certificate is genuine',
    holder: (name: string) => `Holder: ${name}`,
    track: (job: string, level: string) => `Job type and level: ${job} · ${level}`,
    level: (n: number) => `Level ${n}`,
    org: (name: string) => `Training centre: ${name}`,
  },
} as const;

/** A time in Beijing time, as the launch reminders write it (server/launches/service.ts). */
const beijingTime = (iso: string, locale: Locale) =>
  new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * The pages a shared link may preview, each read with one indexed query and showing only what that page
 * shows a logged-out visitor. null: no preview (a bad or unknown id, a practice live, a base not
 * approved, a certificate that does not verify).
 */
export function createPreviewPages(deps: { db: Db; certificates: Pick<Certificates, 'verify'> }) {
  const { db } = deps;
  return {
    /** /watch/:id, a public live (a practice live is seen only by its trainee and trainers: no preview). */
    async live(id: string, locale: Locale): Promise<Preview | null> {
      if (!UUID.test(id)) return null;
      const row = await db
        .selectFrom('live_sessions as s')
        .innerJoin('users as u', 'u.id', 's.streamer_id')
        .select(['s.title', 's.description', 's.status', 's.scheduled_at', 's.cover_url', 'u.display_name'])
        .where('s.id', '=', id)
        .where('s.mode', '=', 'public')
        .executeTakeFirst();
      if (!row) return null;
      const words = WORDS[locale];
      const status = row.status === 'scheduled' ? `${words.status.scheduled} · ${words.starts(beijingTime(row.scheduled_at, locale))}` : words.status[row.status];
      const description = [status, words.streamer(row.display_name), row.description.trim()].filter(Boolean).join(' · ');
      return { title: row.title, description: clip(description, DESCRIPTION_MAX), image: row.cover_url, path: `/watch/${id}`, type: 'video.other' };
    },

    /** /bases/:baseId, an approved base's public page (server/bases/public.ts): name, theme, address, cover photo. */
    async base(id: string, locale: Locale): Promise<Preview | null> {
      if (!UUID.test(id)) return null;
      const row = await db
        .selectFrom('organisations as o')
        .leftJoin('base_profiles as p', 'p.org_id', 'o.id')
        .select(['o.name', 'o.description', 'p.theme', 'p.address', 'p.photos'])
        .where('o.id', '=', id)
        .where('o.kind', '=', 'base')
        .where('o.status', '=', 'approved')
        .executeTakeFirst();
      if (!row) return null;
      const photos = row.photos ? (JSON.parse(row.photos) as unknown) : [];
      const cover = Array.isArray(photos) && typeof photos[0] === 'string' ? photos[0] : null;
      const description = [row.theme, row.address, row.description].map((part) => part?.trim() ?? '').filter(Boolean).join(' · ') || WORDS[locale].base;
      return { title: row.name, description: clip(description, DESCRIPTION_MAX), image: cover, path: `/bases/${id}`, type: 'website' };
    },

    /**
     * /certificates/:number?code=…: the verification page shows a certificate only when its code verifies,
     * so does the preview: holder, job and level, training centre.
     */
    async certificate(number: string, code: string, locale: Locale): Promise<Preview | null> {
      if (!CERTIFICATE_NUMBER.test(number) || !code || code.length > 100) return null;
      let view;
      try {
        view = await deps.certificates.verify(number, code);
      } catch (error) {
        if (error instanceof AppError) return null;
        throw error;
      }
      const words = WORDS[locale];
      const description = [words.valid, words.holder(view.holderName), words.track(view.jobName[locale], words.level(view.level)), words.org(view.orgName)].join(' · ');
      return { title: words.verification(view.number), description: clip(description, DESCRIPTION_MAX), image: null, path: verificationPath({ number: view.number, code: code.trim().toUpperCase() }), type: 'website' };
    },
  };
}

export type PreviewPages = ReturnType<typeof createPreviewPages>;
