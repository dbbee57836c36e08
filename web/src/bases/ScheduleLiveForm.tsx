import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { MiniField } from '../cooperation/parts';
import { Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import type { useAction } from '../shop/parts';
import type { LiveStreamerChoice } from './types';

/**
 * Schedules a live straight from a booking (POST /api/studio-bookings/:id/live-sessions), under the caller's
 * action (its busy state, error and success message). Used by the brand's and MCN's bookings and the streamer's own.
 * On a brand's booking (`pickStreamer`) the brand chooses who goes live among the streamers who may stand in for it
 * (GET /api/studio-bookings/:id/live-streamers: its members who stream for it, or an approved 带货申请), and the
 * live names the brand; the server decides.
 */
export function ScheduleLiveForm({ bookingId, testId, action, onScheduled, pickStreamer = false }: { bookingId: string; testId: string; action: ReturnType<typeof useAction>; onScheduled: () => void; pickStreamer?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const choices = useApi<{ streamers: LiveStreamerChoice[]; defaultStreamerId: string | null }>(pickStreamer ? path`/api/studio-bookings/${bookingId}/live-streamers` : null);
  const streamers = choices.data?.streamers ?? [];
  // The streamer the brand booked for, when it may still stand in for the brand; else the first one listed.
  const fallback = streamers.find((s) => s.id === choices.data?.defaultStreamerId)?.id ?? streamers[0]?.id ?? '';
  const streamerId = picked ?? fallback;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { title: title.trim(), ...(pickStreamer && streamerId ? { streamerId } : {}) };
    if ((await action.run(() => post(path`/api/studio-bookings/${bookingId}/live-sessions`, body), t('bases.book.scheduled'))) !== undefined) {
      setTitle('');
      onScheduled();
    }
  };
  if (pickStreamer && !choices.data && choices.status !== 'error') return <Loading />;
  return (
    <form className="inline-form" data-testid={`${testId}-live-form`} onSubmit={(e) => void submit(e)}>
      {pickStreamer ? (
        streamers.length ? (
          <div className="field">
            <label htmlFor={`${id}-streamer`}>{t('bases.book.liveStreamer')}</label>
            <select id={`${id}-streamer`} data-testid={`${testId}-live-streamer`} value={streamerId} onChange={(e) => setPicked(e.target.value)}>
              {streamers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.displayName}（{t(`bases.book.via.${s.via}`)}）
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className="field-hint" data-testid={`${testId}-live-no-streamers`}>{t('bases.book.noLiveStreamers')}</p>
        )
      ) : null}
      <MiniField label={t('bases.book.liveTitle')} value={title} onChange={setTitle} testId={`${testId}-live-title`} maxLength={60} />
      <button type="submit" className="button button-small" data-testid={`${testId}-live-submit`} disabled={action.busy || (pickStreamer && !streamerId)}>
        {t('bases.book.scheduleSubmit')}
      </button>
    </form>
  );
}
