import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { ErrorNotice } from '../shared/Status';
import { toApiError } from '../shared/useApi';

/** 留资 in a wholesale live: contact and need go to the seller only with the viewer's explicit consent (the server refuses without it). */
export function LeadForm({ sessionId, productId }: { sessionId: string; productId?: string }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ name: '', contact: '', company: '', need: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/b2b/leads', { sessionId, productId, ...form, consent });
      setSent(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  if (sent) return <p className="card" role="status" data-testid="b2b-lead-sent">{t('b2b.lead.sent')}</p>;
  return (
    <form className="card b2b-lead" onSubmit={submit} data-testid="b2b-lead-form">
      <h2>{t('b2b.lead.title')}</h2>
      <label>{t('b2b.lead.name')}<input {...field('name')} required maxLength={40} /></label>
      <label>{t('b2b.lead.contact')}<input {...field('contact')} required maxLength={60} /></label>
      <label>{t('b2b.lead.company')}<input {...field('company')} maxLength={100} /></label>
      <label>{t('b2b.lead.need')}<textarea {...field('need')} required maxLength={500} /></label>
      <label className="b2b-consent">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="b2b-lead-consent" />
        {t('b2b.lead.consent')}
      </label>
      <ErrorNotice error={error} />
      <button className="btn btn-primary" data-testid="b2b-lead-send">{t('b2b.lead.send')}</button>
    </form>
  );
}
