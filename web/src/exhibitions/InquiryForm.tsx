import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { ContactConsentForm } from '../shared/ContactConsentForm';

/** An inquiry to a booth's exhibitor: kept only with the visitor's explicit consent (the server refuses without it). */
export function InquiryForm({ boothId }: { boothId: string }) {
  const { t } = useTranslation();
  return (
    <ContactConsentForm
      className="exhibition-inquiry"
      labels={{ name: t('exhibitions.inquiry.name'), contact: t('exhibitions.inquiry.contact'), company: t('exhibitions.inquiry.company'), note: t('exhibitions.inquiry.message'), consent: t('exhibitions.inquiry.consent'), send: t('exhibitions.inquiry.send'), sent: t('exhibitions.inquiry.sent') }}
      send={({ note, ...contact }, consent) => post(path`/api/exhibitions/booths/${boothId}/inquiries`, { ...contact, message: note, consent })}
    />
  );
}
