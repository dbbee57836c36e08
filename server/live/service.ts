import { rmSync } from 'node:fs';
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, EndedReason, LiveSessionsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Secrets } from '../platform/secrets.ts';
import type { CodecProblem, StreamHealth } from './media/health.ts';
import type { PublishAttempt, PublishDecision } from './media/ingest.ts';
import type { WhipIngest } from './media/whip.ts';
import { finalizeRecording, recordingDir } from './media/pipeline.ts';
import { toSummary, type LiveStore } from './store.ts';
import type { LiveBrands } from './brands.ts';

/** What the live service asks of the video machinery (embedded ingest or an external origin). */
export interface MediaControl {
  disconnect(sessionId: string, reason: 'cut_off' | 'closed'): boolean;
  closeBroadcast(sessionId: string): void;
  health(sessionId: string): StreamHealth | null;
  viewerCount(sessionId: string): number;
  startPipelines(sessionId: string): void;
  stopPipelines(sessionId: string): void;
  /** Whether this node writes recordings (an external origin keeps its own). */
  records: boolean;
  /** Browser publishing (WHIP); null without ffmpeg or with an external origin. */
  whip: Pick<WhipIngest, 'publish' | 'ownerOf' | 'stop'> | null;
}

export type LiveDeps = {
  store: LiveStore;
  clock: Clock;
  secrets: Secrets;
  audit: AuditLog;
  logger: Logger;
  config: Pick<Config, 'LIVE_RECONNECT_GRACE_SECONDS' | 'RECORDING_RETENTION_DAYS' | 'RTMP_PUBLIC_URL' | 'HOST' | 'MEDIA_PLAY_BASE_URL' | 'MEDIA_INGEST' | 'TRANSCODE' | 'HLS_ENABLED' | 'dataDir'>;
  canGoLive: (streamerId: string) => Promise<boolean>;
  isApprovedBrand: (orgId: string) => Promise<boolean>;
  /** The streamer's say with a brand, which a live needs to name it (server/live/brands.ts). */
  brands: Pick<LiveBrands, 'tieOf' | 'namable'>;
  /** Set once the media side exists (it needs the service's hooks first). */
  media?: MediaControl;
  hlsAvailable: boolean;
  /** The RTMP port actually listened on (RTMP_PORT=0 picks a free one). */
  rtmpPort: () => number;
  /**
   * The ingest's loopback-only listener (0 until it listens), for Zhibo's own publishers such as the
   * WHIP bridge: outside the public port's per-address limit, with the stream key still checked.
   */
  loopbackRtmpPort?: () => number;
  /** The room's pins (server/replays/pins.ts): a live that ends closes the one still open. */
  pins: { closeAll(sessionId: string, at: string): Promise<void> };
};

const HEARTBEAT_MS = 5000;
/** Refused publishes written as stream events, per client address and minute. */
const REJECTIONS_LOGGED_PER_MINUTE = 30;

function keyHash(key: string) {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function createLiveService(deps: LiveDeps) {
  const { store, clock, secrets, audit, logger, config } = deps;
  const nodeId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  /** Sessions this node is responsible for: publishing here, or waiting here for a reconnect. */
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const rejectionWindows = new Map<string, { since: number; count: number; dropped: number }>();
  const responsible = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;
  const statusListeners: ((sessionId: string, status: 'live' | 'ended') => void)[] = [];
  const announce = (sessionId: string, status: 'live' | 'ended') => {
    for (const listener of statusListeners) listener(sessionId, status);
  };
  let purgeTimer: NodeJS.Timeout | null = null;
  const now = () => clock.now().toISOString();
  const media = () => {
    if (!deps.media) throw new Error('media control not attached');
    return deps.media;
  };

  function pushInfo(row: Selectable<LiveSessionsTable>) {
    const key = row.stream_key_enc ? secrets.decrypt(row.stream_key_enc) : null;
    const server = config.RTMP_PUBLIC_URL ?? `rtmp://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${deps.rtmpPort()}/live`;
    const streamKey = key ? `${row.id}?key=${key}` : null;
    return { server, streamKey, url: streamKey ? `${server}/${streamKey}` : null };
  }

  function playback(id: string, status: string, replayStatus: string) {
    const base = config.MEDIA_PLAY_BASE_URL?.replace(/\/$/, '') ?? '';
    const live = status === 'live';
    // An external origin (SRS and alike) lays out HLS as /live/<stream>.m3u8; Zhibo's own origin as /live/<id>/index.m3u8.
    const external = config.MEDIA_INGEST === 'external';
    return {
      flv: live ? `${base}/live/${id}.flv` : null,
      hls: live && (external || deps.hlsAvailable) ? (external ? `${base}/live/${id}.m3u8` : `${base}/live/${id}/index.m3u8`) : null,
      renditions: live && config.TRANSCODE && !external ? [{ name: '480p', flv: `${base}/live/${id}_480p.flv` }] : [],
      replay: replayStatus === 'ready' ? `${base}/replay/${id}/index.m3u8` : null,
    };
  }

  /** A live names a brand only with the brand's say: its member who streams for it, or an approved 带货申请. */
  async function requireBrandSay(streamerId: string, brandOrgId: string) {
    if (!(await deps.brands.tieOf(streamerId, brandOrgId))) throw new AppError('LIVE_BRAND_NOT_PARTNER');
  }

  async function ownSession(streamerId: string, id: string) {
    const row = await store.findSession(id);
    // Another streamer's session looks the same as a missing one.
    if (!row || row.streamer_id !== streamerId) throw new AppError('LIVE_SESSION_NOT_FOUND');
    return row;
  }

  async function end(id: string, reason: EndedReason, patch: Updateable<LiveSessionsTable> = {}) {
    const endedAt = now();
    const moved = await store.transition(id, ['scheduled', 'live'], {
      status: 'ended',
      ended_at: endedAt,
      ended_reason: reason,
      publishing: 0,
      stream_key_hash: null,
      stream_key_enc: null,
      ...patch,
    });
    if (!moved) return false;
    // The product pinned at the end stops being explained with the live (its replay chapter ends here).
    await deps.pins.closeAll(id, endedAt);
    clearTimeout(graceTimers.get(id));
    graceTimers.delete(id);
    responsible.delete(id);
    await store.recordEvent(id, 'ended', reason, {}, now());
    announce(id, 'ended');
    if (deps.media) {
      deps.media.disconnect(id, reason === 'cut_off' ? 'cut_off' : 'closed');
      deps.media.stopPipelines(id);
      deps.media.closeBroadcast(id);
      if (deps.media.records) setTimeout(() => void finishRecording(id), 1500).unref();
    }
    return true;
  }

  async function finishRecording(id: string) {
    try {
      const result = finalizeRecording(config.dataDir, id);
      if (!result) {
        await store.update(id, { replay_status: 'none' });
        return;
      }
      await store.updateRecording(id, { ended_at: now(), duration_ms: result.durationMs, bytes: result.bytes });
      await store.update(id, { replay_status: 'ready' });
    } catch (error) {
      logger.error({ err: error, sessionId: id }, 'finalizing the recording failed');
    }
  }

  async function beat() {
    const ids = [...responsible];
    for (const id of ids) {
      const health = deps.media?.health(id) ?? null;
      const viewers = deps.media?.viewerCount(id) ?? 0;
      const row = await store.findSession(id);
      if (!row || row.status !== 'live') {
        responsible.delete(id);
        continue;
      }
      await store.update(id, {
        heartbeat_at: now(),
        health: health ? JSON.stringify(health) : row.health,
        peak_viewers: Math.max(row.peak_viewers, viewers),
      });
    }
    // Sessions whose node died: nobody has reported for longer than the grace period.
    const stale = await store.listStale(new Date(clock.now().getTime() - (config.LIVE_RECONNECT_GRACE_SECONDS * 1000 + 3 * HEARTBEAT_MS)).toISOString());
    for (const { id } of stale) if (!responsible.has(id)) await end(id, 'publisher_lost');
  }

  return {
    nodeId,

    /**
     * Schedules a live of the streamer's. A brand named on it must be approved, and the streamer must have
     * its say (server/live/brands.ts) unless `arrangedBy` is that brand: the caller vouches that the brand
     * arranged this live itself (a studio booking it made, server/bases/service.ts `scheduleLive`).
     */
    /**
     * Schedules a live. `options.arrangedBy`: the brand that arranged it (its booking), whose say it needs no more.
     * `options.alongside`: written in the same transaction as the session (a studio booking's link); if it throws,
     * no session is stored.
     */
    async create(
      streamerId: string,
      input: { title: string; description: string; scheduledAt: string; brandOrgId?: string },
      options: { arrangedBy?: string | null; alongside?: (trx: Transaction<Database>, sessionId: string) => Promise<void> } = {},
    ) {
      if (!(await deps.canGoLive(streamerId))) throw new AppError('STREAMER_NOT_APPROVED');
      if (Date.parse(input.scheduledAt) < clock.now().getTime() - 60_000) throw new AppError('LIVE_SCHEDULE_IN_PAST');
      if (input.brandOrgId) {
        if (!(await deps.isApprovedBrand(input.brandOrgId))) throw new AppError('LIVE_BRAND_INVALID');
        if (options.arrangedBy !== input.brandOrgId) await requireBrandSay(streamerId, input.brandOrgId);
      }
      const key = crypto.randomBytes(24).toString('base64url');
      const id = newId();
      await store.insert({
        id,
        streamer_id: streamerId,
        brand_org_id: input.brandOrgId ?? null,
        title: input.title,
        description: input.description,
        cover_url: null,
        status: 'scheduled',
        scheduled_at: new Date(input.scheduledAt).toISOString(),
        started_at: null,
        ended_at: null,
        created_at: now(),
        stream_key_enc: secrets.encrypt(key),
        stream_key_hash: keyHash(key),
      }, options.alongside);
      return this.ownDetail(streamerId, id);
    },

    async update(streamerId: string, id: string, patch: { title?: string; description?: string; scheduledAt?: string; brandOrgId?: string | null }) {
      const row = await ownSession(streamerId, id);
      if (row.status !== 'scheduled') throw new AppError('LIVE_NOT_EDITABLE');
      if (patch.scheduledAt && Date.parse(patch.scheduledAt) < clock.now().getTime() - 60_000) throw new AppError('LIVE_SCHEDULE_IN_PAST');
      if (patch.brandOrgId && !(await deps.isApprovedBrand(patch.brandOrgId))) throw new AppError('LIVE_BRAND_INVALID');
      // Another brand than the one it names needs that brand's say; keeping its brand (or none) needs nothing new.
      if (patch.brandOrgId && patch.brandOrgId !== row.brand_org_id) await requireBrandSay(streamerId, patch.brandOrgId);
      await store.update(id, {
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.scheduledAt !== undefined && { scheduled_at: new Date(patch.scheduledAt).toISOString() }),
        ...(patch.brandOrgId !== undefined && { brand_org_id: patch.brandOrgId }),
      });
      return this.ownDetail(streamerId, id);
    },

    async setCover(streamerId: string, id: string, coverUrl: string) {
      const row = await ownSession(streamerId, id);
      if (row.status === 'ended') throw new AppError('LIVE_NOT_EDITABLE');
      await store.update(id, { cover_url: coverUrl });
      return row.cover_url;
    },

    /** A new key: the old one stops working at once (an already connected publisher keeps going). */
    async regenerateKey(streamerId: string, id: string) {
      const row = await ownSession(streamerId, id);
      if (row.status === 'ended') throw new AppError('LIVE_ENDED');
      const key = crypto.randomBytes(24).toString('base64url');
      await store.update(id, { stream_key_enc: secrets.encrypt(key), stream_key_hash: keyHash(key) });
      return this.ownDetail(streamerId, id);
    },

    /** The brands the streamer may name on a live (an MCN asks for its streamer's, server/mcn). */
    namableBrands(streamerId: string) {
      return deps.brands.namable(streamerId);
    },

    async ownDetail(streamerId: string, id: string) {
      // The summary first, the row after it: a live only moves forward (its replay to ready), so what the row says
      // (playback, push) is never behind what the summary says.
      const summary = await store.findSummary(id);
      const row = await ownSession(streamerId, id);
      const events = await store.listEvents(id, 30);
      return {
        session: toSummary(summary!),
        push: row.status === 'ended' ? null : pushInfo(row),
        playback: playback(id, row.status, row.replay_status),
        health: this.healthOf(row),
        events: events.map((e) => ({ kind: e.kind, reason: e.reason, detail: JSON.parse(e.detail) as Record<string, unknown>, at: e.created_at })),
      };
    },

    /**
     * A practice live (实训, server/training/practice.ts): the row to insert, in `practice` mode, with a
     * new stream key. The training side inserts it with its practice record in one transaction.
     */
    practiceSessionRow(traineeId: string, title: string): Insertable<LiveSessionsTable> {
      const key = crypto.randomBytes(24).toString('base64url');
      const at = now();
      return { id: newId(), streamer_id: traineeId, brand_org_id: null, title, description: '', cover_url: null, status: 'scheduled', scheduled_at: at, started_at: null, ended_at: null, created_at: at, stream_key_enc: secrets.encrypt(key), stream_key_hash: keyHash(key), mode: 'practice' };
    },

    /** A practice live's push address, playback and viewers; who may see it is the caller's to check. */
    async practiceDetail(id: string) {
      const row = await store.findSession(id);
      if (!row) throw new AppError('LIVE_SESSION_NOT_FOUND');
      return {
        status: row.status,
        push: row.status === 'ended' ? null : pushInfo(row),
        playback: playback(id, row.status, row.replay_status),
        publishing: row.publishing === 1,
        viewers: row.status === 'live' ? (deps.media?.viewerCount(id) ?? 0) : 0,
      };
    },

    /** Ends a practice live with its practice (no-op once ended). */
    async endPractice(id: string) {
      return end(id, 'streamer_ended');
    },

    /** The push URL for Zhibo's own relays (browser go-live), always on loopback. */
    async loopbackPushUrl(streamerId: string, id: string) {
      const row = await ownSession(streamerId, id);
      if (row.status === 'ended' || !row.stream_key_enc) throw new AppError('LIVE_ENDED');
      return `rtmp://127.0.0.1:${deps.loopbackRtmpPort?.() || deps.rtmpPort()}/live/${id}?key=${secrets.decrypt(row.stream_key_enc)}`;
    },

    /**
     * Browser publishing (WHIP, RFC 9725) into one of the streamer's own sessions: the offer's media is
     * relayed to the session's loopback push URL, so it meets the same key and codec checks as OBS. Used by
     * the streamer's go-live route and by a trainee's practice live (server/training), whose session is theirs.
     */
    async whipPublish(streamerId: string, id: string, offer: unknown): Promise<{ resourceId: string; answer: string }> {
      const whip = deps.media?.whip;
      if (!whip) throw new AppError('WHIP_UNAVAILABLE');
      const pushUrl = await this.loopbackPushUrl(streamerId, id);
      const sdp = typeof offer === 'string' ? offer : '';
      if (!sdp.startsWith('v=0')) throw new AppError('WHIP_OFFER_INVALID', { reason: 'not an SDP offer (content-type application/sdp)' });
      try {
        return await whip.publish(id, pushUrl, sdp);
      } catch (error) {
        throw new AppError('WHIP_OFFER_INVALID', { reason: error instanceof Error ? error.message.slice(0, 200) : 'unreadable' });
      }
    },

    /** Ends a WHIP publication of one of the streamer's sessions; another session's resource is NOT_FOUND. */
    async whipStop(streamerId: string, id: string, resource: string) {
      await ownSession(streamerId, id);
      const whip = deps.media?.whip;
      if (!whip || whip.ownerOf(resource) !== id) throw new AppError('NOT_FOUND');
      await whip.stop(resource);
    },

    healthOf(row: Selectable<LiveSessionsTable>) {
      const live = deps.media?.health(row.id) ?? (row.health ? (JSON.parse(row.health) as StreamHealth) : null);
      return {
        publishing: row.publishing === 1,
        reconnects: row.reconnects,
        peakViewers: row.peak_viewers,
        viewers: deps.media?.viewerCount(row.id) ?? live?.viewers ?? 0,
        stream: live,
      };
    },

    /** Public view of one session: what a viewer's player needs. */
    async publicDetail(id: string) {
      const summary = await store.findSummary(id);
      if (!summary) throw new AppError('LIVE_SESSION_NOT_FOUND');
      return {
        session: toSummary(summary),
        playback: playback(id, summary.status, summary.replay_status),
        viewers: summary.status === 'live' ? (deps.media?.viewerCount(id) ?? 0) : 0,
      };
    },

    async endByStreamer(streamerId: string, id: string) {
      const row = await ownSession(streamerId, id);
      if (row.status === 'ended') throw new AppError('LIVE_ENDED');
      await end(id, 'streamer_ended');
      return this.ownDetail(streamerId, id);
    },

    async cutOff(operatorId: string, id: string, reason: string) {
      const row = await store.findSession(id);
      if (!row) throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (row.status !== 'live') throw new AppError('LIVE_NOT_LIVE');
      await store.recordEvent(id, 'cut_off', reason, { operatorId }, now());
      await end(id, 'cut_off', { cut_off_by: operatorId, cut_off_reason: reason });
      await audit.record({ actorId: operatorId, action: 'live.cut_off', targetType: 'live_session', targetId: id, detail: { reason } });
    },

    async listLiveForOperator() {
      const rows = await store.listLive();
      return rows.map((row) => ({
        ...toSummary(row),
        ingestNode: row.ingest_node,
        reconnects: row.reconnects,
        viewers: deps.media?.viewerCount(row.id) ?? 0,
        health: deps.media?.health(row.id) ?? (row.health ? (JSON.parse(row.health) as StreamHealth) : null),
      }));
    },

    async rejections() {
      const rows = await store.listRejections();
      return rows.map((e) => ({ sessionId: e.session_id, reason: e.reason, detail: JSON.parse(e.detail) as Record<string, unknown>, at: e.created_at }));
    },

    async deleteReplay(operatorId: string, id: string, reason: string) {
      const recording = await store.findRecording(id);
      if (!recording || recording.deleted_at) throw new AppError('REPLAY_NOT_AVAILABLE');
      rmSync(recording.path, { recursive: true, force: true });
      await store.updateRecording(id, { deleted_at: now(), deleted_by: operatorId, delete_reason: reason });
      await store.update(id, { replay_status: 'deleted' });
      await audit.record({ actorId: operatorId, action: 'replay.delete', targetType: 'live_session', targetId: id, detail: { reason } });
    },

    async replayPath(id: string) {
      const row = await store.findSession(id);
      if (!row) throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (row.replay_status !== 'ready') throw new AppError('REPLAY_NOT_AVAILABLE');
      const recording = await store.findRecording(id);
      if (!recording || recording.deleted_at) throw new AppError('REPLAY_NOT_AVAILABLE');
      return recording.path;
    },

    /** Removes recordings past their retention; live-commerce video is kept 3 years by default. */
    async purgeExpiredRecordings() {
      for (const recording of await store.listExpiredRecordings(now())) {
        rmSync(recording.path, { recursive: true, force: true });
        await store.updateRecording(recording.session_id, { deleted_at: now(), delete_reason: 'retention expired' });
        await store.update(recording.session_id, { replay_status: 'deleted' });
      }
    },

    // --- hooks for the ingest (embedded RTMP or an external origin's callbacks) ---

    async authorizePublish(attempt: PublishAttempt): Promise<PublishDecision> {
      if (!attempt.key) return { ok: false, reason: 'no stream key' };
      const row = await store.findSession(attempt.sessionId);
      if (!row || !row.stream_key_hash) return { ok: false, reason: row ? 'the session has ended' : 'unknown session' };
      const given = Buffer.from(keyHash(attempt.key), 'hex');
      const expected = Buffer.from(row.stream_key_hash, 'hex');
      if (!crypto.timingSafeEqual(given, expected)) return { ok: false, reason: 'wrong stream key' };
      if (row.status === 'ended') return { ok: false, reason: 'the session has ended' };
      // A practice live (实训, server/training) is a trainee's, who need not be an approved streamer.
      if (row.mode !== 'practice' && !(await deps.canGoLive(row.streamer_id))) return { ok: false, reason: 'the streamer is not approved' };
      return { ok: true };
    },

    async onPublishStart(sessionId: string, ip: string) {
      clearTimeout(graceTimers.get(sessionId));
      graceTimers.delete(sessionId);
      responsible.add(sessionId);
      const started = await store.transition(sessionId, ['scheduled'], { status: 'live', started_at: now() });
      const row = await store.findSession(sessionId);
      if (!row) return;
      await store.update(sessionId, {
        publishing: 1,
        ingest_node: nodeId,
        heartbeat_at: now(),
        reconnects: started ? 0 : row.reconnects + 1,
        ...(started && deps.media?.records && { replay_status: 'recording' as const }),
      });
      if (started && deps.media?.records) {
        await store.upsertRecording({
          session_id: sessionId,
          path: recordingDir(config.dataDir, sessionId),
          started_at: now(),
          ended_at: null,
          duration_ms: 0,
          bytes: 0,
          retain_until: new Date(clock.now().getTime() + config.RECORDING_RETENTION_DAYS * 86_400_000).toISOString(),
          deleted_at: null,
          deleted_by: null,
          delete_reason: null,
        });
      }
      await store.recordEvent(sessionId, started ? 'publish' : 'reconnect', null, { ip, node: nodeId }, now());
      if (started) announce(sessionId, 'live');
      deps.media?.startPipelines(sessionId);
    },

    async onPublishEnd(sessionId: string, why: string) {
      deps.media?.stopPipelines(sessionId);
      const row = await store.findSession(sessionId);
      if (!row || row.status !== 'live') return;
      await store.update(sessionId, { publishing: 0 });
      await store.recordEvent(sessionId, why === 'stalled' ? 'stalled' : 'unpublish', why, { graceSeconds: config.LIVE_RECONNECT_GRACE_SECONDS }, now());
      clearTimeout(graceTimers.get(sessionId));
      graceTimers.set(
        sessionId,
        setTimeout(() => {
          graceTimers.delete(sessionId);
          void end(sessionId, 'publisher_lost').catch((error: unknown) => logger.error({ err: error, sessionId }, 'ending a session failed'));
        }, config.LIVE_RECONNECT_GRACE_SECONDS * 1000),
      );
    },

    async onCodecProblem(sessionId: string, problem: CodecProblem) {
      await store.recordEvent(sessionId, 'codec_unsupported', problem.code, { found: problem.found }, now());
    },

    async onRejected(attempt: PublishAttempt, reason: string) {
      // A client that keeps trying wrong keys would otherwise add a row per attempt: at most
      // REJECTIONS_LOGGED_PER_MINUTE rows per address a minute; the rest are only counted in the log.
      const t = clock.now().getTime();
      let window = rejectionWindows.get(attempt.ip);
      if (!window || t - window.since >= 60_000) {
        if (window?.dropped) logger.warn({ ip: attempt.ip, dropped: window.dropped }, 'refused RTMP publishes not logged as stream events (too many from one address)');
        if (rejectionWindows.size >= 10_000) rejectionWindows.clear();
        window = { since: t, count: 0, dropped: 0 };
        rejectionWindows.set(attempt.ip, window);
      }
      if (++window.count > REJECTIONS_LOGGED_PER_MINUTE) {
        window.dropped++;
        return;
      }
      const exists = attempt.sessionId && (await store.findSession(attempt.sessionId));
      await store.recordEvent(exists ? attempt.sessionId : null, 'rejected', reason, { ip: attempt.ip, path: attempt.sessionId.slice(0, 64) }, now());
    },

    startHeartbeat() {
      heartbeat = setInterval(() => void beat().catch((error: unknown) => logger.error({ err: error }, 'live heartbeat failed')), HEARTBEAT_MS);
      heartbeat.unref();
      const purge = () => void this.purgeExpiredRecordings().catch((error: unknown) => logger.error({ err: error }, 'purging recordings failed'));
      purgeTimer = setInterval(purge, 3_600_000);
      purgeTimer.unref();
      purge();
    },

    async shutdown() {
      if (heartbeat) clearInterval(heartbeat);
      if (purgeTimer) clearInterval(purgeTimer);
      for (const timer of graceTimers.values()) clearTimeout(timer);
      graceTimers.clear();
    },

    /** For tests: run one heartbeat now. */
    beat,

    /** Called when a session goes live or ends (the room tells its viewers). */
    onStatus(listener: (sessionId: string, status: 'live' | 'ended') => void) {
      statusListeners.push(listener);
    },

    attachMedia(control: MediaControl) {
      deps.media = control;
    },
  };
}

export type LiveService = ReturnType<typeof createLiveService>;
