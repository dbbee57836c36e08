// /certificates/:number?code=…: the public verification page the certificate's QR code opens.
import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { Qr } from './Qr';
import { jobLabel, type CertificateView } from './types';
import './training.css';

export function CertificatePage() {
  const { number = '' } = useParams();
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ valid: true; certificate: CertificateView }>(code ? `/api/certificates/${encodeURIComponent(number)}/verify?code=${encodeURIComponent(code)}` : null);
  const c = state.data?.certificate;
  return (
    <div className="page training-page training-verify" data-testid="certificate-verify" data-result={!code || state.status === 'error' ? 'invalid' : c ? 'valid' : 'loading'} data-error-code={state.error?.code ?? ''}>
      <header className="page-header">
        <h1>{t('training.verify.title')}</h1>
        <p className="muted">{number}</p>
      </header>
      {!code ? <p className="training-hit" role="alert">{t('training.verify.failed', { reason: t('training.verify.missingCode') })}</p> : null}
      {state.status === 'error' ? (
        <p className="training-hit" role="alert" data-testid="certificate-invalid">
          ✗ {t('training.verify.failed', { reason: state.error.message })}
        </p>
      ) : null}
      {code && state.status === 'loading' ? <Loading /> : null}
      {c ? (
        <section className="card training-certificate" data-testid="certificate-valid">
          <div>
            <p className="training-clean" role="status">✓ {t('training.verify.valid')}</p>
            <dl className="training-facts">
              <div><dt>{t('training.certificateNumber')}</dt><dd data-testid="certificate-number">{c.number}</dd></div>
              <div><dt>{t('training.verify.holder')}</dt><dd data-testid="certificate-holder">{c.holderName}</dd></div>
              <div><dt>{t('training.verify.track')}</dt><dd>{t('training.track', { job: jobLabel(c.jobName, i18n.language), level: t(`training.levels.${c.level as 1 | 2 | 3 | 4 | 5}`) })}</dd></div>
              <div><dt>{t('training.verify.org')}</dt><dd>{c.orgName}</dd></div>
              <div><dt>{t('training.verify.hours')}</dt><dd>{c.studyHours}</dd></div>
              <div><dt>{t('training.verify.scores')}</dt><dd>{`${c.theoryScore} / ${c.skillScore}`}</dd></div>
              <div><dt>{t('training.verify.issued')}</dt><dd>{fmt.date(c.issuedAt)}</dd></div>
            </dl>
          </div>
          <Qr text={window.location.href} label={t('training.scanToVerify')} />
        </section>
      ) : null}
    </div>
  );
}
