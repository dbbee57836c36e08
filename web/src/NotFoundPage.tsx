import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="page page-narrow state-notfound" data-testid="not-found">
      <p className="big-code" aria-hidden="true">404</p>
      <h1>{t('notFound.title')}</h1>
      <p className="muted">{t('notFound.body')}</p>
      <Link className="button" to="/">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
