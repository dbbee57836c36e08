import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, isAbort, path, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { toApiError } from '../shared/useApi';
import type { TenantCandidate } from './types';

/** Wait this long after the last key before searching. */
const SEARCH_DELAY_MS = 250;
/** The server takes 1–50 characters (docs/BASES.md, "Tenants and events"). */
const QUERY_MAX = 50;

/**
 * In the base console's 新增入驻机构 form: links the tenant to an organisation on the platform by name (docs/BASES.md,
 * "Tenants and events"). Typing searches the approved organisations (GET /api/orgs/:orgId/base/tenant-candidates, at
 * most 20), and a click picks one; with none picked the tenant stays self-declared (no organisation), as typed.
 */
export function TenantOrgPicker({ orgId, picked, onPick }: { orgId: string; picked: TenantCandidate | null; onPick: (org: TenantCandidate | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ q: string; organisations: TenantCandidate[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const query = q.trim();

  useEffect(() => {
    if (!query || picked) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      get<{ organisations: TenantCandidate[] }>(`${path`/api/orgs/${orgId}/base/tenant-candidates`}?q=${encodeURIComponent(query)}`, controller.signal)
        .then((res) => {
          setFound({ q: query, organisations: res.organisations });
          setError(null);
        })
        .catch((e: unknown) => {
          if (!isAbort(e)) setError(toApiError(e));
        });
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [orgId, query, picked]);

  if (picked) {
    return (
      <div className="field tenant-org-picked" data-testid="tenant-org-picked">
        <span className="tenant-org-label">{t('bases.tenants.org')}</span>
        <span>
          {t('bases.tenants.orgPicked', { name: picked.name, kind: t(`bases.tenants.orgKinds.${picked.kind}`) })}{' '}
          <button type="button" className="button button-small button-ghost" data-testid="tenant-org-clear" onClick={() => onPick(null)}>
            {t('bases.tenants.orgClear')}
          </button>
        </span>
      </div>
    );
  }
  const results = found && found.q === query ? found.organisations : null;
  return (
    <div className="field tenant-org-search">
      <label htmlFor={id}>{t('bases.tenants.org')}</label>
      <input id={id} type="search" data-testid="tenant-org-search" value={q} maxLength={QUERY_MAX} placeholder={t('bases.tenants.orgSearch')} aria-describedby={`${id}-hint`} onChange={(e) => setQ(e.target.value)} />
      <span id={`${id}-hint`} className="field-hint">{t('bases.tenants.orgSearchHint')}</span>
      {query ? (
        results === null ? (
          <span className="muted" aria-live="polite">{error ? null : t('bases.tenants.orgSearching')}</span>
        ) : results.length ? (
          <ul className="tenant-org-results" data-testid="tenant-org-results" aria-live="polite">
            {results.map((o) => (
              <li key={o.id}>
                <button
                  type="button"
                  className="tenant-org-result"
                  data-testid="tenant-org-result"
                  onClick={() => {
                    onPick(o);
                    setQ('');
                    setFound(null);
                  }}
                >
                  <strong>{o.name}</strong> <span className="muted">{t(`bases.tenants.orgKinds.${o.kind}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted" data-testid="tenant-org-none" aria-live="polite">{t('bases.tenants.orgNone', { q: query })}</span>
        )
      ) : null}
      <FormError error={error} />
    </div>
  );
}
