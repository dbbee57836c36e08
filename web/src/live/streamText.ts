import type { TFunction } from 'i18next';
import type { StreamEvent } from '../types';

type Options = Record<string, unknown>;

/** t() for keys built at run time (the typed t() only accepts literal keys). */
function tx(t: TFunction, key: string, options: Options = {}): string {
  return (t as unknown as (k: string, o: Options) => string)(key, options);
}

const REJECTED: Record<string, string> = {
  'no stream key': 'noKey',
  'wrong stream key': 'wrongKey',
  'the session has ended': 'ended',
  'the session already has a publisher': 'busy',
  'the streamer is not approved': 'notApproved',
  'unknown session': 'unknownSession',
  'unknown stream path': 'unknownPath',
};

const CODEC: Record<string, string> = {
  VIDEO_CODEC_UNSUPPORTED: 'video',
  AUDIO_CODEC_UNSUPPORTED: 'audio',
  NO_VIDEO: 'noVideo',
};

const ENDED: Record<string, string> = {
  streamer_ended: 'streamer',
  publisher_lost: 'lost',
  cut_off: 'cutOff',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

/** Why a publisher was refused, as a sentence (used by the console and the operators' rejection list). */
export function rejectionText(t: TFunction, reason: string | null): string {
  const key = reason ? REJECTED[reason] : undefined;
  return key ? tx(t, `streamEvents.rejected.${key}`) : tx(t, 'streamEvents.rejected.other', { reason: reason ?? '—' });
}

/** One stream event as a human sentence in the UI language. */
export function eventText(t: TFunction, event: Pick<StreamEvent, 'kind' | 'reason' | 'detail'>): string {
  const detail = event.detail ?? {};
  const ip = str(detail.ip);
  const from = ip ? tx(t, 'streamEvents.from', { ip }) : '';
  const grace = str(detail.graceSeconds) ?? '?';
  switch (event.kind) {
    case 'publish':
      return tx(t, 'streamEvents.publish', { from });
    case 'reconnect':
      return tx(t, 'streamEvents.reconnect', { from });
    case 'unpublish':
      return tx(t, 'streamEvents.unpublish', { seconds: grace });
    case 'stalled':
      return tx(t, 'streamEvents.stalled', { seconds: grace });
    case 'rejected':
      return rejectionText(t, event.reason) + from;
    case 'codec_unsupported': {
      const key = event.reason ? CODEC[event.reason] : undefined;
      const found = str(detail.found) ?? '?';
      return key ? tx(t, `streamEvents.codec.${key}`, { found }) : tx(t, 'streamEvents.codec.other', { reason: event.reason ?? '—', found });
    }
    case 'cut_off':
      return tx(t, 'streamEvents.cutOff', { reason: event.reason ?? '—' });
    case 'ended': {
      const key = event.reason ? ENDED[event.reason] : undefined;
      return key ? tx(t, `streamEvents.ended.${key}`) : tx(t, 'streamEvents.ended.other', { reason: event.reason ?? '—' });
    }
    default:
      return tx(t, 'streamEvents.unknown', { kind: String(event.kind), reason: event.reason ?? '' });
  }
}

/** Event kinds that mean "something is wrong" (shown in the warning colour). */
export function eventTone(kind: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (kind === 'publish' || kind === 'reconnect') return 'good';
  if (kind === 'unpublish' || kind === 'stalled') return 'warn';
  if (kind === 'rejected' || kind === 'codec_unsupported' || kind === 'cut_off') return 'bad';
  return 'neutral';
}

/** 850 kbps / 2.4 Mbps */
export function formatBitrate(kbps: number | null | undefined, locale: string): string {
  if (kbps === null || kbps === undefined || !Number.isFinite(kbps)) return '—';
  if (kbps >= 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kbps / 1000)} Mbps`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(kbps)} kbps`;
}
