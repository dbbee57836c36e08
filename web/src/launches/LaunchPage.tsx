// /launches/:id: a launch's page: level, countdown, teaser, reserve, and the first-release stock to buy.
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { del, post } from '../api';
import { useSession } from '../session';
import { formatDateTime, formatFen } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { useAction } from '../shared/useAction';
import { useApi } from '../shared/useApi';
import { buyFlash, IdempotencyKeys } from '../shop/shopApi';
import { Countdown } from './Countdown';
import type { Launch } from './types';
import './launches.css';

export function LaunchPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  const state = useApi<{ launch: Launch }>(`/api/launches/${encodeURIComponent(id)}`);
  const [quantity, setQuantity] = useState(1);
  const [, setTick] = useState(0);
  const keys = useMemo(() => new IdempotencyKeys(), []);
  const onStart = useCallback(() => {
    setTick((n) => n + 1);
    state.reload();
  }, [state.reload]);
  const launch = state.data?.launch;

  const { busy, error, run } = useAction(state.reload);

  if (!launch) return <div className="page">{state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : <Loading />}</div>;
  const started = Date.now() >= Date.parse(launch.launchAt);
  const fr = launch.firstRelease;
  const buy = () =>
    run(async () => {
      const body = { quantity };
      const { order } = await buyFlash(fr.flashSaleId, body, keys.keyFor({ sale: fr.flashSaleId, ...body }));
      keys.reset();
      navigate(`/orders/${encodeURIComponent(order.id)}`);
    });

  return (
    <div className="page launch-page" data-testid="launch-page">
      <header className="launch-hero">
        {launch.coverUrl ? <img className="launch-cover" src={launch.coverUrl} alt="" /> : null}
        <span className={`launch-level launch-level-${launch.level}`} data-testid="launch-level">
          {t(`launches.levels.${launch.level}`)}
        </span>
        <h1>{launch.title}</h1>
        <p className="muted">{t('launches.brand', { name: launch.brandName })}</p>
        <p>{t('launches.startsAt', { at: formatDateTime(launch.launchAt, i18n.language) })}</p>
        <Countdown at={launch.launchAt} onStart={onStart} />
        <p className="muted" data-testid="launch-reservations">
          {t('launches.reservations', { count: launch.reservations })}
        </p>
      </header>
      {launch.description ? <p className="launch-description">{launch.description}</p> : null}
      {launch.teaserUrl ? (
        <section className="launch-teaser">
          <h2>{t('launches.teaser')}</h2>
          <video src={launch.teaserUrl} controls playsInline preload="none" poster={launch.coverUrl ?? undefined} />
        </section>
      ) : null}
      <ErrorNotice error={error} />
      <section className="card launch-actions">
        {!started ? (
          user ? (
            launch.reserved ? (
              <p>
                <span className="launch-reserved" data-testid="launch-reserved">
                  {t('launches.reserved')}
                </span>{' '}
                <button type="button" className="button button-ghost button-small" disabled={busy} onClick={() => void run(() => del(`/api/launches/${encodeURIComponent(launch.id)}/reservation`))}>
                  {t('launches.cancel')}
                </button>
              </p>
            ) : (
              <button type="button" className="button" data-testid="launch-reserve" disabled={busy} onClick={() => void run(() => post(`/api/launches/${encodeURIComponent(launch.id)}/reservation`))}>
                {t('launches.reserve')}
              </button>
            )
          ) : (
            <Link className="button" to={`/login?next=${encodeURIComponent(`/launches/${launch.id}`)}`}>
              {t('launches.loginToReserve')}
            </Link>
          )
        ) : null}
        <p data-testid="launch-first-release">{t('launches.firstRelease', { price: formatFen(fr.priceFen, i18n.language), count: fr.stock, remaining: fr.remaining, limit: fr.perUserLimit })}</p>
        {started && fr.remaining > 0 && user ? (
          <div className="launch-buy">
            <label>
              {t('launches.quantity')}{' '}
              <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} data-testid="launch-quantity">
                {Array.from({ length: Math.min(fr.perUserLimit, fr.remaining) }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button" data-testid="launch-buy" disabled={busy} onClick={() => void buy()}>
              {t('launches.buy')}
            </button>
          </div>
        ) : null}
        {started && fr.remaining <= 0 ? <p>{t('launches.soldOut')}</p> : null}
        {!started ? <p className="muted">{t('launches.notStarted')}</p> : null}
      </section>
      <section className="card">
        <p>{t('launches.live', { title: launch.session.title })}</p>
        <Link className="button button-ghost" to={`/watch/${encodeURIComponent(launch.session.id)}`}>
          {t('launches.watch')}
        </Link>
      </section>
    </div>
  );
}
