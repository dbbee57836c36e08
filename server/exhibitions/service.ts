import type { AuthUser } from '../accounts/service.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { exhibitionDb, inTrx, type BoothRow } from './tables.ts';

/** How many upcoming lives the exhibition page lists under "next". */
export const UP_NEXT = 10;

/** Exhibitions, halls, booths and their live schedules, follows and inquiries (docs/EXHIBITIONS.md). */
export function createExhibitionsService(deps: { db: Db; clock: Clock; outbox: Outbox }) {
  const db = exhibitionDb(deps.db);
  const now = () => deps.clock.now().toISOString();

  async function exhibition(id: string) {
    const row = await db.selectFrom('exhibitions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('EXHIBITION_NOT_FOUND');
    return row;
  }
  async function booth(id: string) {
    const row = await db.selectFrom('exhibition_booths').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('EXHIBITION_BOOTH_NOT_FOUND');
    return row;
  }
  const exhibitionView = (e: { id: string; name: string; short_name: string; city: string; venue: string; starts_on: string; ends_on: string }) => ({ id: e.id, name: e.name, shortName: e.short_name, city: e.city, venue: e.venue, startsOn: e.starts_on, endsOn: e.ends_on });

  return {
    async create(input: { name: string; shortName: string; city: string; venue: string; startsOn: string; endsOn: string; halls: string[] }, operatorId: string) {
      if (input.endsOn < input.startsOn) throw new AppError('EXHIBITION_DATES_INVALID');
      const row = { id: newId(), name: input.name, short_name: input.shortName, city: input.city, venue: input.venue, starts_on: input.startsOn, ends_on: input.endsOn, created_by: operatorId, created_at: now() };
      const halls = input.halls.map((name, position) => ({ id: newId(), exhibition_id: row.id, name, position }));
      await deps.db.transaction().execute(async (trx) => {
        await inTrx(trx).insertInto('exhibitions').values(row).execute();
        await inTrx(trx).insertInto('exhibition_halls').values(halls).execute();
      });
      return { ...exhibitionView(row), halls: halls.map((h) => ({ id: h.id, name: h.name })) };
    },
    async addBooth(exhibitionId: string, input: { hallId: string; boothNo: string; exhibitorOrgId: string; name: string; intro: string }) {
      await exhibition(exhibitionId);
      const hall = await db.selectFrom('exhibition_halls').select(['id', 'exhibition_id']).where('id', '=', input.hallId).executeTakeFirst();
      if (!hall || hall.exhibition_id !== exhibitionId) throw new AppError('EXHIBITION_HALL_NOT_FOUND');
      const org = await db.selectFrom('organisations').select(['kind', 'status']).where('id', '=', input.exhibitorOrgId).executeTakeFirst();
      if (!org || org.kind !== 'brand' || org.status !== 'approved') throw new AppError('EXHIBITION_EXHIBITOR_INVALID');
      const taken = await db.selectFrom('exhibition_booths').select('id').where('exhibition_id', '=', exhibitionId).where('booth_no', '=', input.boothNo).executeTakeFirst();
      if (taken) throw new AppError('EXHIBITION_BOOTH_TAKEN', { boothNo: input.boothNo });
      const row: BoothRow = { id: newId(), exhibition_id: exhibitionId, hall_id: hall.id, booth_no: input.boothNo, exhibitor_org_id: input.exhibitorOrgId, name: input.name, intro: input.intro, created_at: now() };
      try {
        await db.insertInto('exhibition_booths').values(row).execute();
      } catch (error) {
        if (await db.selectFrom('exhibition_booths').select('id').where('exhibition_id', '=', exhibitionId).where('booth_no', '=', input.boothNo).executeTakeFirst()) throw new AppError('EXHIBITION_BOOTH_TAKEN', { boothNo: input.boothNo });
        throw error;
      }
      return { id: row.id, hallId: row.hall_id, boothNo: row.booth_no, exhibitorOrgId: row.exhibitor_org_id, name: row.name, intro: row.intro };
    },
    async list() {
      return (await db.selectFrom('exhibitions').selectAll().orderBy('starts_on', 'desc').limit(100).execute()).map(exhibitionView);
    },
    /** The exhibition page: halls and booths with their schedules, what is live now and what is next (rule E3). */
    async page(exhibitionId: string, user: AuthUser | null) {
      const e = await exhibition(exhibitionId);
      const [halls, booths] = await Promise.all([
        db.selectFrom('exhibition_halls').selectAll().where('exhibition_id', '=', exhibitionId).orderBy('position').execute(),
        db.selectFrom('exhibition_booths').innerJoin('organisations', 'organisations.id', 'exhibition_booths.exhibitor_org_id').selectAll('exhibition_booths').select('organisations.name as exhibitor').where('exhibition_id', '=', exhibitionId).orderBy('booth_no').execute(),
      ]);
      const boothIds = booths.map((b) => b.id);
      const [lives, follows, mine] = await Promise.all([
        boothIds.length
          ? db
              .selectFrom('exhibition_booth_lives')
              .innerJoin('live_sessions', 'live_sessions.id', 'exhibition_booth_lives.session_id')
              .select(['exhibition_booth_lives.booth_id', 'live_sessions.id', 'live_sessions.title', 'live_sessions.status', 'live_sessions.scheduled_at', 'live_sessions.started_at', 'live_sessions.cover_url'])
              .where('exhibition_booth_lives.booth_id', 'in', boothIds)
              .orderBy('live_sessions.scheduled_at')
              .execute()
          : [],
        boothIds.length ? db.selectFrom('exhibition_follows').select((eb) => ['booth_id', eb.fn.countAll<number>().as('n')]).where('booth_id', 'in', boothIds).groupBy('booth_id').execute() : [],
        user && boothIds.length ? db.selectFrom('exhibition_follows').select('booth_id').where('user_id', '=', user.id).where('booth_id', 'in', boothIds).execute() : [],
      ]);
      const followed = new Set(mine.map((m) => m.booth_id));
      const live = (l: (typeof lives)[number]) => ({ sessionId: l.id, title: l.title, status: l.status, scheduledAt: l.scheduled_at, startedAt: l.started_at, coverUrl: l.cover_url });
      const boothView = (b: (typeof booths)[number]) => ({
        id: b.id,
        hallId: b.hall_id,
        hall: halls.find((h) => h.id === b.hall_id)?.name ?? '',
        boothNo: b.booth_no,
        name: b.name,
        intro: b.intro,
        exhibitorOrgId: b.exhibitor_org_id,
        exhibitor: b.exhibitor,
        followers: Number(follows.find((f) => f.booth_id === b.id)?.n ?? 0),
        following: followed.has(b.id),
      });
      const at = now();
      const withBooth = (l: (typeof lives)[number]) => {
        const b = booths.find((x) => x.id === l.booth_id)!;
        return { ...live(l), booth: { id: b.id, boothNo: b.booth_no, name: b.name, hall: halls.find((h) => h.id === b.hall_id)?.name ?? '' } };
      };
      return {
        exhibition: exhibitionView(e),
        halls: halls.map((h) => ({ id: h.id, name: h.name, booths: booths.filter((b) => b.hall_id === h.id).map((b) => ({ ...boothView(b), schedule: lives.filter((l) => l.booth_id === b.id).map(live) })) })),
        liveNow: lives.filter((l) => l.status === 'live').map(withBooth),
        upNext: lives.filter((l) => l.status === 'scheduled' && l.scheduled_at >= at).slice(0, UP_NEXT).map(withBooth),
      };
    },
    /** The exhibitor puts its own lives on its booth's schedule (rule E2). */
    async setLives(orgId: string, boothId: string, sessionIds: string[]) {
      const b = await booth(boothId);
      if (b.exhibitor_org_id !== orgId) throw new AppError('EXHIBITION_BOOTH_NOT_FOUND');
      const ids = [...new Set(sessionIds)];
      const sessions = ids.length ? await db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('id', 'in', ids).execute() : [];
      if (sessions.length !== ids.length || sessions.some((s) => s.brand_org_id !== orgId)) throw new AppError('EXHIBITION_SESSION_NOT_YOURS');
      await deps.db.transaction().execute(async (trx) => {
        await inTrx(trx).deleteFrom('exhibition_booth_lives').where('booth_id', '=', boothId).execute();
        if (ids.length) await inTrx(trx).insertInto('exhibition_booth_lives').values(ids.map((session_id) => ({ booth_id: boothId, session_id }))).execute();
      });
      return { boothId, sessionIds: ids };
    },
    async follow(userId: string, boothId: string, on: boolean) {
      await booth(boothId);
      if (on) await db.insertInto('exhibition_follows').values({ booth_id: boothId, user_id: userId, created_at: now() }).onConflict((oc) => oc.columns(['booth_id', 'user_id']).doNothing()).execute();
      else await db.deleteFrom('exhibition_follows').where('booth_id', '=', boothId).where('user_id', '=', userId).execute();
      const n = await db.selectFrom('exhibition_follows').select((eb) => eb.fn.countAll<number>().as('n')).where('booth_id', '=', boothId).executeTakeFirstOrThrow();
      return { boothId, following: on, followers: Number(n.n) };
    },
    async myFollows(userId: string) {
      const rows = await db
        .selectFrom('exhibition_follows')
        .innerJoin('exhibition_booths', 'exhibition_booths.id', 'exhibition_follows.booth_id')
        .select(['exhibition_booths.id', 'exhibition_booths.exhibition_id', 'exhibition_booths.booth_no', 'exhibition_booths.name'])
        .where('exhibition_follows.user_id', '=', userId)
        .orderBy('exhibition_follows.created_at', 'desc')
        .execute();
      return rows.map((r) => ({ boothId: r.id, exhibitionId: r.exhibition_id, boothNo: r.booth_no, name: r.name }));
    },
    /** An inquiry (lead capture) to the exhibitor, only with the visitor's consent (rule E5). */
    async inquire(user: AuthUser, boothId: string, input: { name: string; contact: string; company: string; message: string; consent?: boolean }) {
      if (input.consent !== true) throw new AppError('EXHIBITION_INQUIRY_CONSENT_REQUIRED');
      const b = await booth(boothId);
      const at = now();
      const row = { id: newId(), booth_id: b.id, exhibitor_org_id: b.exhibitor_org_id, user_id: user.id, name: input.name, contact: input.contact, company: input.company, message: input.message, consented_at: at, created_at: at };
      await deps.db.transaction().execute(async (trx) => {
        await inTrx(trx).insertInto('exhibition_inquiries').values(row).execute();
        await deps.outbox.record(trx, [{ type: 'exhibition.inquiry.received', subjectId: row.id, occurredAt: at, payload: { inquiryId: row.id, boothId: b.id, exhibitionId: b.exhibition_id, exhibitorOrgId: b.exhibitor_org_id } }]);
      });
      return { id: row.id, createdAt: at };
    },
    /** The exhibitor's console: its booths and the inquiries left at them. */
    async console(orgId: string) {
      const [booths, inquiries] = await Promise.all([
        db.selectFrom('exhibition_booths').innerJoin('exhibitions', 'exhibitions.id', 'exhibition_booths.exhibition_id').selectAll('exhibition_booths').select('exhibitions.name as exhibition').where('exhibitor_org_id', '=', orgId).orderBy('exhibition_booths.created_at').execute(),
        db.selectFrom('exhibition_inquiries').selectAll().where('exhibitor_org_id', '=', orgId).orderBy('created_at', 'desc').limit(500).execute(),
      ]);
      const lives = booths.length ? await db.selectFrom('exhibition_booth_lives').selectAll().where('booth_id', 'in', booths.map((b) => b.id)).execute() : [];
      return {
        booths: booths.map((b) => ({ id: b.id, exhibitionId: b.exhibition_id, exhibition: b.exhibition, boothNo: b.booth_no, name: b.name, sessionIds: lives.filter((l) => l.booth_id === b.id).map((l) => l.session_id) })),
        inquiries: inquiries.map((i) => ({ id: i.id, boothId: i.booth_id, name: i.name, contact: i.contact, company: i.company, message: i.message, consentedAt: i.consented_at, createdAt: i.created_at })),
      };
    },
  };
}

export type ExhibitionsService = ReturnType<typeof createExhibitionsService>;
