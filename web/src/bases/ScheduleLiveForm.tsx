import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { MiniField } from '../cooperation/parts';
import type { useAction } from '../shop/parts';

/**
 * Schedules a live straight from a booking (POST /api/studio-bookings/:id/live-sessions), under the caller's
 * action (its busy state, error and success message). Used by the brand's and MCN's bookings and the streamer's own.
 */
export function ScheduleLiveForm({ bookingId, testId, action, onScheduled }: { bookingId: string; testId: string; action: ReturnType<typeof useAction>; onScheduled: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await action.run(() => post(path`/api/studio-bookings/${bookingId}/live-sessions`, { title: title.trim() }), t('bases.book.scheduled'))) !== undefined) {
      setTitle('');
      onScheduled();
    }
  };
  return (
    <form className="inline-form" data-testid={`${testId}-live-form`} onSubmit={(e) => void submit(e)}>
      <MiniField label={t('bases.book.liveTitle')} value={title} onChange={setTitle} testId={`${testId}-live-title`} maxLength={60} />
      <button type="submit" className="button button-small" data-testid={`${testId}-live-submit`} disabled={action.busy}>
        {t('bases.book.scheduleSubmit')}
      </button>
    </form>
  );
}
