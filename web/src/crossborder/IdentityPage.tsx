// /crossborder/identity (phone): the buyer's real-name verification for cross-border orders and the year's total.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../api';
import { FormError, FormSuccess, TextField } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { ApiError } from '../api';
import type { IdentityState } from './types';
import './crossborder.css';

export function IdentityPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<IdentityState>('/api/crossborder/identity');
  const [realName, setRealName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await put('/api/crossborder/identity', { realName, idNumber });
      setDone(true);
      setIdNumber('');
      state.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const data = state.data;
  return (
    <div className="page crossborder-page" data-testid="crossborder-identity-page">
      <header className="page-header">
        <h1>{t('crossborder.identity.title')}</h1>
        <p className="muted">{t('crossborder.identity.intro')}</p>
      </header>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!data ? <Loading /> : null}
      {data ? (
        <section className="card">
          <p data-testid="crossborder-identity-status" data-verified={data.identity ? 'true' : 'false'}>
            {data.identity ? t('crossborder.identity.verified', { name: data.identity.realName, id: data.identity.idNumberMasked, birth: data.identity.birthDate }) : t('crossborder.identity.none')}
          </p>
          <p className="muted">{t('crossborder.identity.usage', { year: data.year, used: fmt.fen(data.annualUsedFen), limit: fmt.fen(data.annualLimitFen), once: fmt.fen(data.transactionLimitFen) })}</p>
        </section>
      ) : null}
      <form className="card form" onSubmit={(e) => void submit(e)} data-testid="crossborder-identity-form" noValidate>
        <TextField label={t('crossborder.identity.realName')} name="realName" value={realName} onChange={setRealName} required maxLength={30} autoComplete="name" />
        <TextField label={t('crossborder.identity.idNumber')} name="idNumber" value={idNumber} onChange={setIdNumber} required maxLength={18} hint={t('crossborder.identity.idHint')} autoComplete="off" />
        <FormError error={error} />
        {done ? <FormSuccess>{t('crossborder.identity.done')}</FormSuccess> : null}
        <button type="submit" className="button" disabled={busy} data-testid="crossborder-identity-submit">
          {data?.identity ? t('crossborder.identity.update') : t('crossborder.identity.submit')}
        </button>
      </form>
    </div>
  );
}
