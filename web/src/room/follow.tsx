// Following the streamer: the room's top bar and follow-condition lucky bags.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, path, post } from '../api';
import { toApiError } from '../shared/useApi';


export function useFollow(streamerId: string, enabled: boolean) {
  const [following, setFollowing] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Best effort: the contract has no way to read the follow state, so ask
  // `GET /api/streamers/:id/follow` and stay on "follow" if it does not answer.
  useEffect(() => {
    setFollowing(null);
    if (!enabled || !streamerId) return;
    const ac = new AbortController();
    get<{ following?: unknown }>(path`/api/streamers/${streamerId}/follow`, ac.signal).then(
      (res) => {
        if (typeof res?.following === 'boolean') setFollowing(res.following);
      },
      () => undefined,
    );
    return () => ac.abort();
  }, [streamerId, enabled]);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const next = !following;
    try {
      const url = path`/api/streamers/${streamerId}/follow`;
      const res = next ? await post<{ following?: boolean } | undefined>(url) : await del<{ following?: boolean } | undefined>(url);
      setFollowing(typeof res?.following === 'boolean' ? res.following : next);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return { following, busy, error, toggle };
}

export type Follow = ReturnType<typeof useFollow>;

export function FollowButton({ follow, compact = false }: { follow: Follow; compact?: boolean }) {
  const { t } = useTranslation();
  const on = follow.following === true;
  return (
    <span className="follow">
      <button
        type="button"
        className={`button button-small ${on ? 'button-ghost' : ''}${compact ? ' follow-compact' : ''}`}
        data-testid="follow-button"
        data-following={String(on)}
        aria-pressed={on}
        disabled={follow.busy}
        onClick={() => void follow.toggle()}
      >
        {on ? t('room.following') : t('room.follow')}
      </button>
      {follow.error ? (
        <span className="follow-error" role="alert" data-testid="follow-error">
          {follow.error}
        </span>
      ) : null}
    </span>
  );
}
