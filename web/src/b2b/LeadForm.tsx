import { useTranslation } from 'react-i18next';
import { post } from '../api';
import { ContactConsentForm } from '../shared/ContactConsentForm';

/** 留资 in a wholesale live: contact and need go to the seller only with the viewer's explicit consent (the server refuses without it). */
export function LeadForm({ sessionId, productId }: { sessionId: string; productId?: string }) {
  const { t } = useTranslation();
  return (
    <ContactConsentForm
      className="card b2b-lead"
      sentClassName="card"
      testId="b2b-lead"
      labels={{ title: t('b2b.lead.title'), name: t('b2b.lead.name'), contact: t('b2b.lead.contact'), company: t('b2b.lead.company'), note: t('b2b.lead.need'), consent: t('b2b.lead.consent'), send: t('b2b.lead.send'), sent: t('b2b.lead.sent') }}
      send={({ note, ...contact }, consent) => post('/api/b2b/leads', { sessionId, productId, ...contact, need: note, consent })}
    />
  );
}
