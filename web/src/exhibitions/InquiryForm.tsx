import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { ErrorNotice } from '../shared/Status';
import { toApiError } from '../shared/useApi';

/** An inquiry to a booth's exhibitor: kept only with the visitor's explicit consent (the server refuses without it). */
export function InquiryForm({ boothId }: { boothId: string }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ name: '', contact: '', company: '', message: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await post(path`/api/exhibitions/booths/${boothId}/inquiries`, { ...form, consent });
      setSent(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  if (sent) return <p role="status">{t('exhibitions.inquiry.sent')}</p>;
  return (
    <form className="exhibition-inquiry" onSubmit={submit}>
      <label>{t('exhibitions.inquiry.name')}<input {...field('name')} required maxLength={40} /></label>
      <label>{t('exhibitions.inquiry.contact')}<input {...field('contact')} required maxLength={60} /></label>
      <label>{t('exhibitions.inquiry.company')}<input {...field('company')} maxLength={100} /></label>
      <label>{t('exhibitions.inquiry.message')}<textarea {...field('message')} required maxLength={500} /></label>
      <label className="exhibition-consent"><input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{t('exhibitions.inquiry.consent')}</label>
      <ErrorNotice error={error} />
      <button className="btn btn-primary">{t('exhibitions.inquiry.send')}</button>
    </form>
  );
}
