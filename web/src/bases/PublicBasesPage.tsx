import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { safeImageUrl } from '../shared/urls';
import { listFrom, useApi } from '../shared/useApi';
import type { PublicBaseSummary } from './types';
import './public.css';

/** /bases — the approved live-streaming bases, for anyone (docs/BASES.md, "The public page"): each links to its public page. */
export function PublicBasesPage() {
  const { t } = useTranslation();
  const state = useApi<{ bases: PublicBaseSummary[] }>('/api/public/bases');
  const bases = listFrom<PublicBaseSummary>(state.data, 'bases');
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;

  return (
    <div className="page base-public" data-testid="public-bases-page">
      <header className="page-header">
        <h1>{t('bases.public.listTitle')}</h1>
        <p className="muted">{t('bases.public.listIntro')}</p>
      </header>
      {!bases.length ? (
        <Empty testId="public-bases-empty">{t('bases.public.listEmpty')}</Empty>
      ) : (
        <ul className="base-public-list">
          {bases.map((base) => {
            const cover = base.cover ? safeImageUrl(base.cover.thumbUrl) : null;
            return (
              <li key={base.id} className="card base-public-list-item" data-testid="public-bases-item" data-base-id={base.id}>
                <Link to={path`/bases/${base.id}`} className="base-public-list-link">
                  {cover ? (
                    <img src={cover} alt="" width={96} height={96} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
                  ) : (
                    <span className="base-public-list-empty" aria-hidden="true">
                      {Array.from(base.name || '?')[0]}
                    </span>
                  )}
                  <span className="base-public-list-text">
                    <strong>{base.name}</strong>
                    {base.theme ? <span>{base.theme}</span> : null}
                    {base.address ? <span className="muted">{base.address}</span> : null}
                    <span className="muted">{t('bases.public.studiosCount', { count: base.studios })}</span>
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
