// /exhibitions/:exhibitionId (phone first): what is live now and next, then the halls and their booths
// with each booth's schedule; visitors follow booths and leave inquiries.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, path, type ApiError } from '../api';
import { useSession } from '../session';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { InquiryForm } from './InquiryForm';
import './exhibitions.css';

type Live = { sessionId: string; title: string; status: string; scheduledAt: string; booth?: { boothNo: string; name: string; hall: string } };
type Booth = { id: string; boothNo: string; name: string; intro: string; exhibitor: string; followers: number; following: boolean; schedule: Live[] };
type Page = { exhibition: { name: string; shortName: string; city: string; venue: string; startsOn: string; endsOn: string }; halls: { id: string; name: string; booths: Booth[] }[]; liveNow: Live[]; upNext: Live[] };

export function ExhibitionPage() {
  const { exhibitionId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const page = useApi<Page>(path`/api/exhibitions/${exhibitionId}`);
  const [asking, setAsking] = useState<string | null>(null);
  const [followError, setFollowError] = useState<ApiError | null>(null);
  if (page.status === 'error') return <div className="page"><ErrorNotice error={page.error} onRetry={page.reload} /></div>;
  if (!page.data) return <Loading />;
  const { exhibition, halls, liveNow, upNext } = page.data;
  const follow = async (b: Booth) => {
    setFollowError(null);
    try {
      await api(b.following ? 'DELETE' : 'PUT', path`/api/exhibitions/booths/${b.id}/follow`, b.following ? undefined : {});
      page.reload();
    } catch (err) {
      setFollowError(toApiError(err));
    }
  };
  const liveItem = (l: Live) => (
    <li key={l.sessionId} data-testid="exhibition-live">
      <Link to={`/watch/${l.sessionId}`}>{l.title}</Link>
      <span className="muted"> · {l.booth ? `${l.booth.hall} ${t('exhibitions.booth', { no: l.booth.boothNo })} ${l.booth.name}` : ''} · {fmt.dateTime(l.scheduledAt)}</span>
    </li>
  );
  return (
    <div className="page exhibition-page" data-testid="exhibition-page">
      <header className="page-header">
        <h1>{exhibition.name}</h1>
        <p className="muted">{exhibition.city} · {exhibition.venue} · {exhibition.startsOn} – {exhibition.endsOn}</p>
      </header>
      <section className="card" data-testid="exhibition-live-now">
        <h2><span className="exhibition-dot" aria-hidden="true" />{t('exhibitions.liveNow')}</h2>
        {liveNow.length ? <ul>{liveNow.map(liveItem)}</ul> : <Empty>{t('exhibitions.noneLive')}</Empty>}
      </section>
      <section className="card" data-testid="exhibition-up-next">
        <h2>{t('exhibitions.upNext')}</h2>
        {upNext.length ? <ul>{upNext.map(liveItem)}</ul> : <Empty>{t('exhibitions.noneNext')}</Empty>}
      </section>
      <h2>{t('exhibitions.halls')}</h2>
      <ErrorNotice error={followError} />
      {halls.map((h) => (
        <section key={h.id} className="card">
          <h3>{h.name}</h3>
          {h.booths.length ? null : <Empty>{t('exhibitions.noBooths')}</Empty>}
          {h.booths.map((b) => (
            <article key={b.id} className="exhibition-booth" data-testid="exhibition-booth">
              <header>
                <strong>{t('exhibitions.booth', { no: b.boothNo })} · {b.name}</strong>
                <span className="muted"> {b.exhibitor} · {t('exhibitions.followers', { count: b.followers })}</span>
              </header>
              {b.intro ? <p>{b.intro}</p> : null}
              {b.schedule.length ? (
                <ul className="exhibition-schedule">
                  {b.schedule.map((l) => <li key={l.sessionId}>{l.status === 'live' ? <span className="exhibition-dot" aria-hidden="true" /> : null}<Link to={`/watch/${l.sessionId}`}>{l.title}</Link> · {fmt.dateTime(l.scheduledAt)}</li>)}
                </ul>
              ) : null}
              {user ? (
                <div className="exhibition-actions">
                  <button type="button" className={b.following ? 'button button-ghost button-small' : 'button button-small'} aria-pressed={b.following} data-testid="booth-follow" onClick={() => void follow(b)}>{b.following ? t('exhibitions.unfollow') : t('exhibitions.follow')}</button>
                  <button type="button" className="button button-ghost button-small" aria-expanded={asking === b.id} data-testid="booth-inquiry-open" onClick={() => setAsking(asking === b.id ? null : b.id)}>{t('exhibitions.inquiry.open')}</button>
                </div>
              ) : null}
              {asking === b.id ? <InquiryForm boothId={b.id} /> : null}
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
