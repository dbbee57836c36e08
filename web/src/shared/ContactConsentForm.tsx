import { useState, type FormEvent } from 'react';
import './contact-consent.css';
import type { ApiError } from '../api';
import { ErrorNotice } from './Status';
import { toApiError } from './useApi';

export type ContactFields = { name: string; contact: string; company: string; note: string };
type Labels = { title?: string; name: string; contact: string; company: string; note: string; consent: string; send: string; sent: string };

/**
 * A contact form kept only with the visitor's explicit consent (the server refuses without it): 留资 in a
 * wholesale live (b2b/LeadForm), an inquiry to an exhibitor's booth (exhibitions/InquiryForm). `testId`
 * names the form's parts for tests (`<testId>-form`, `-consent`, `-send`, `-sent`).
 */
export function ContactConsentForm({ labels, send, className, sentClassName, testId }: { labels: Labels; send: (fields: ContactFields, consent: boolean) => Promise<unknown>; className: string; sentClassName?: string; testId?: string }) {
  const [form, setForm] = useState<ContactFields>({ name: '', contact: '', company: '', note: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const field = (key: keyof ContactFields) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  const id = (part: string) => (testId ? `${testId}-${part}` : undefined);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await send(form, consent);
      setSent(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  if (sent) return <p className={sentClassName} role="status" data-testid={id('sent')}>{labels.sent}</p>;
  return (
    <form className={`contact-form ${className}`} onSubmit={submit} data-testid={id('form')}>
      {labels.title ? <h2>{labels.title}</h2> : null}
      <label className="field">{labels.name}<input {...field('name')} required maxLength={40} /></label>
      <label className="field">{labels.contact}<input {...field('contact')} required maxLength={60} /></label>
      <label className="field">{labels.company}<input {...field('company')} maxLength={100} /></label>
      <label className="field">{labels.note}<textarea {...field('note')} required maxLength={500} /></label>
      <label className="contact-consent">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid={id('consent')} />
        {labels.consent}
      </label>
      <ErrorNotice error={error} />
      <button type="submit" className="button button-small" data-testid={id('send')}>{labels.send}</button>
    </form>
  );
}
