// Replay chapters (docs/VIDEO.md, Replay chapters): each pin of a product during a live becomes a
// chapter of its replay, placed against the recording's start; and a product's latest explanation.
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds } from '../orgs/approval.ts';
import { createPinStore, type PinRow } from './pins.ts';

/** Pins shorter than this (a slip of the finger, a quick re-pin) are not chapters. */
export const MIN_CHAPTER_SECONDS = 3;
/** How many of a product's latest replays are looked at for its explanation (a short pin in the newest may not count). */
const SESSIONS_PER_PRODUCT = 3;

export type Span = { productId: string; startS: number; endS: number };
export type Chapter = Span & { title: string; image: string | null };
export type Explanation = { productId: string; sessionId: string; sessionTitle: string; startS: number; endS: number };
type RecordingTimes = { started_at: string; ended_at: string | null; duration_ms: number };

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The recording's length in seconds: its playlist's duration, else its wall-clock span, else unknown (Infinity). */
export function recordingSeconds(recording: RecordingTimes): number {
  if (recording.duration_ms > 0) return recording.duration_ms / 1000;
  if (recording.ended_at) return Math.max(0, Date.parse(recording.ended_at) - Date.parse(recording.started_at)) / 1000;
  return Infinity;
}

/**
 * A session's pins as chapters of its recording: start = pinned_at − the recording's start (≥ 0), end =
 * unpinned_at (or the recording's end) − the start, within the recording. Chapters under
 * MIN_CHAPTER_SECONDS are dropped, then consecutive chapters of the same product are merged.
 */
export function chaptersFrom(pins: Pick<PinRow, 'product_id' | 'pinned_at' | 'unpinned_at'>[], recording: RecordingTimes): Span[] {
  const origin = Date.parse(recording.started_at);
  const length = recordingSeconds(recording);
  const spans: Span[] = [];
  for (const pin of [...pins].sort((a, b) => a.pinned_at.localeCompare(b.pinned_at))) {
    const startS = Math.max(0, seconds(Date.parse(pin.pinned_at) - origin));
    const endS = Math.min(length, pin.unpinned_at ? seconds(Date.parse(pin.unpinned_at) - origin) : length);
    if (!Number.isFinite(endS) || endS - startS < MIN_CHAPTER_SECONDS) continue;
    const last = spans.at(-1);
    if (last && last.productId === pin.product_id) last.endS = Math.max(last.endS, endS);
    else spans.push({ productId: pin.product_id, startS, endS });
  }
  return spans;
}

export function createReplays(db: Db) {
  const pins = createPinStore(db);

  /** The session and its recording when its replay can be watched; else LIVE_SESSION_NOT_FOUND or REPLAY_NOT_AVAILABLE. */
  async function viewable(sessionId: string) {
    const session = await db.selectFrom('live_sessions').select(['id', 'title', 'replay_status']).where('id', '=', sessionId).executeTakeFirst();
    if (!session) throw new AppError('LIVE_SESSION_NOT_FOUND');
    // 'recording': still on air or being finalized; 'deleted'/'none': nothing to watch.
    if (session.replay_status !== 'ready') throw new AppError('REPLAY_NOT_AVAILABLE');
    const recording = await db.selectFrom('recordings').select(['started_at', 'ended_at', 'duration_ms', 'deleted_at']).where('session_id', '=', sessionId).executeTakeFirst();
    if (!recording || recording.deleted_at) throw new AppError('REPLAY_NOT_AVAILABLE');
    return { session, recording };
  }

  /** Titles and images; chapters of a product whose brand the operator has not approved are left out (server/orgs/approval.ts). */
  async function describe(spans: Span[]): Promise<Chapter[]> {
    const ids = [...new Set(spans.map((s) => s.productId))];
    const rows = ids.length
      ? await db.selectFrom('products').innerJoin('organisations', 'organisations.id', 'products.brand_org_id').select(['products.id', 'products.title', 'products.images', 'organisations.status as brand_status']).where('products.id', 'in', ids).execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const hidden = new Set(rows.filter((r) => r.brand_status !== 'approved').map((r) => r.id));
    return spans.filter((s) => !hidden.has(s.productId)).map((s) => {
      const p = byId.get(s.productId);
      return { ...s, title: p?.title ?? '', image: p ? ((JSON.parse(p.images) as string[])[0] ?? null) : null };
    });
  }

  /** For several products: each one's latest chapter in a viewable replay (products never explained are absent). */
  async function latestExplanations(productIds: string[]): Promise<Map<string, Explanation>> {
    const found = new Map<string, Explanation>();
    if (!productIds.length) return found;
    const rows = await db
      .selectFrom('live_pins')
      .innerJoin('live_sessions', 'live_sessions.id', 'live_pins.session_id')
      .innerJoin('recordings', 'recordings.session_id', 'live_pins.session_id')
      .select(['live_pins.product_id', 'live_pins.session_id'])
      .select((eb) => eb.fn.max('live_pins.pinned_at').as('last_at'))
      .where('live_pins.product_id', 'in', productIds)
      .where('live_sessions.replay_status', '=', 'ready')
      .where('recordings.deleted_at', 'is', null)
      .groupBy(['live_pins.product_id', 'live_pins.session_id'])
      .execute();
    const candidates = new Map<string, string[]>();
    for (const row of [...rows].sort((a, b) => String(b.last_at).localeCompare(String(a.last_at)) || b.session_id.localeCompare(a.session_id))) {
      const list = candidates.get(row.product_id) ?? [];
      if (list.length < SESSIONS_PER_PRODUCT) list.push(row.session_id);
      candidates.set(row.product_id, list);
    }
    const sessionIds = [...new Set([...candidates.values()].flat())];
    if (!sessionIds.length) return found;
    const [sessions, recordings, allPins] = await Promise.all([
      db.selectFrom('live_sessions').select(['id', 'title']).where('id', 'in', sessionIds).execute(),
      db.selectFrom('recordings').select(['session_id', 'started_at', 'ended_at', 'duration_ms']).where('session_id', 'in', sessionIds).execute(),
      pins.listForSessions(sessionIds),
    ]);
    const spansOf = new Map<string, Span[]>();
    for (const recording of recordings) spansOf.set(recording.session_id, chaptersFrom(allPins.filter((p) => p.session_id === recording.session_id), recording));
    const titles = new Map(sessions.map((s) => [s.id, s.title]));
    for (const [productId, ids] of candidates) {
      for (const sessionId of ids) {
        const chapter = spansOf.get(sessionId)?.filter((s) => s.productId === productId).at(-1);
        if (!chapter) continue;
        found.set(productId, { productId, sessionId, sessionTitle: titles.get(sessionId) ?? '', startS: chapter.startS, endS: chapter.endS });
        break;
      }
    }
    return found;
  }

  return {
    pins,
    latestExplanations,

    /** GET /api/sessions/:id/chapters: the chapters of a replay that can be watched. */
    async chapters(sessionId: string) {
      const { recording } = await viewable(sessionId);
      const spans = chaptersFrom(await pins.listForSession(sessionId), recording);
      const length = recordingSeconds(recording);
      return { sessionId, durationS: Number.isFinite(length) ? seconds(length * 1000) : null, chapters: await describe(spans) };
    },

    /**
     * GET /api/products/:id/explanation: the product's latest chapter in a replay that can be watched,
     * or null for a product never explained (a normal state: every buy sheet asks).
     */
    async explanation(productId: string): Promise<Explanation | null> {
      // A product of a brand not approved is not shown (as GET /api/products/:id).
      const product = await db.selectFrom('products').select('id').where('id', '=', productId).where('brand_org_id', 'in', approvedOrgIds(db)).executeTakeFirst();
      if (!product) throw new AppError('PRODUCT_NOT_FOUND');
      return (await latestExplanations([productId])).get(productId) ?? null;
    },
  };
}

export type Replays = ReturnType<typeof createReplays>;
