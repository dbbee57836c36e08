import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useApi } from '../shared/useApi';
import { ErrorNotice, Loading } from '../shared/Status';
import { CardSection, ProductGrid, gradientFor } from './parts';
import type { BrandProfileResponse } from './types';
import './discovery.css';

/** /brands/:id — a brand's public page: who it is and its business licence, products, lives and replays. */
export function BrandPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const state = useApi<BrandProfileResponse>(path`/api/brands/${id}/profile`);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const { brand, live, upcoming, replays, products } = state.data;

  return (
    <div className="page disc-profile" data-testid="brand-page">
      <header className="disc-profile-head card">
        <span className="disc-profile-avatar disc-profile-avatar-square" aria-hidden="true" style={{ background: gradientFor(brand.id) }}>
          {Array.from(brand.name || '?')[0]}
        </span>
        <div className="disc-profile-main">
          <h1 data-testid="brand-name">{brand.name}</h1>
          {brand.description ? <p className="muted disc-profile-desc">{brand.description}</p> : null}
        </div>
      </header>
      {/* The seller's business licence (营业执照), as the 小黄车 shows it to buyers. */}
      <section className="card disc-licence" aria-labelledby="licence-heading">
        <h2 id="licence-heading" className="disc-licence-title">
          {t('discovery.brand.licence')}
        </h2>
        <dl className="facts brand-licence" data-testid="brand-licence">
          <dt>{t('discovery.brand.licenceName')}</dt>
          <dd data-testid="licence-name">{brand.licenceName || t('discovery.brand.none')}</dd>
          <dt>{t('discovery.brand.licenceNo')}</dt>
          <dd className="mono" data-testid="licence-no">
            {brand.licenceNo || t('discovery.brand.none')}
          </dd>
        </dl>
      </section>

      <section className="session-section" data-testid="section-products" aria-labelledby="products-heading">
        <h2 id="products-heading" className="section-title">
          {t('discovery.brand.products')}
          <span className="count">{products.length}</span>
        </h2>
        <ProductGrid products={products} empty={t('discovery.brand.noProducts')} />
      </section>
      {live.length ? <CardSection id="live" live title={t('discovery.card.live')} sessions={live} empty="" emptyTestId="live-empty" /> : null}
      <CardSection id="upcoming" title={t('discovery.brand.upcoming')} sessions={upcoming} empty={t('discovery.brand.noLives')} emptyTestId="upcoming-empty" />
      <CardSection id="replays" title={t('discovery.brand.replays')} sessions={replays} empty={t('discovery.brand.noReplays')} emptyTestId="replays-empty" />
    </div>
  );
}
