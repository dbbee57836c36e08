import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { ErrorNotice } from '../shared/Status';
import { toApiError } from '../shared/useApi';

/** The buyer submits a business licence: company name and unified social credit code (checked by the server, GB 32100). */
export function LicenceForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [company, setCompany] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/b2b/licences', { companyName: company, creditCode: code });
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card b2b-licence" onSubmit={submit} data-testid="b2b-licence-form">
      <h2>{t('b2b.licence.title')}</h2>
      <label>
        {t('b2b.licence.company')}
        <input value={company} onChange={(e) => setCompany(e.target.value)} required maxLength={100} data-testid="b2b-company" />
      </label>
      <label>
        {t('b2b.licence.code')}
        <input value={code} onChange={(e) => setCode(e.target.value)} required maxLength={18} autoCapitalize="characters" data-testid="b2b-credit-code" />
      </label>
      <ErrorNotice error={error} />
      <button className="button" disabled={busy} data-testid="b2b-licence-submit">{t('b2b.licence.submit')}</button>
    </form>
  );
}
