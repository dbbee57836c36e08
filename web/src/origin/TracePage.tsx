// /origin/:productId (phone first): the public traceability page of an origin-certified product.
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import './origin.css';

type Batch = {
  id: string;
  batchNo: string;
  producedOn: string;
  certifier: string;
  certificateNo: string;
  shareBps: number;
  notes: string;
  current: boolean;
  producer: { name: string; description: string };
  area: { code: string; name: string; province: string; designation: string };
};
type Trace = { product: { id: string; title: string; image: string | null; brand: { name: string } | null }; batches: Batch[]; unitsSold: number; proceedsPaidFen: number };

export function TracePage() {
  const { productId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<Trace>(path`/api/origin/products/${productId}`);
  if (state.status === 'error') return <div className="page"><ErrorNotice error={state.error} /></div>;
  if (!state.data) return <Loading />;
  const { product, batches } = state.data;
  const [current, ...earlier] = batches;
  const facts = (b: Batch) => (
    <dl className="origin-facts">
      <div><dt>{t('origin.county')}</dt><dd data-testid="origin-county">{b.area.province} {b.area.name}</dd></div>
      <div><dt>{t('origin.designation')}</dt><dd>{b.area.designation}</dd></div>
      <div><dt>{t('origin.producer')}</dt><dd data-testid="origin-producer">{b.producer.name}</dd></div>
      <div><dt>{t('origin.certifier')}</dt><dd data-testid="origin-certifier">{b.certifier}</dd></div>
      <div><dt>{t('origin.certificateNo')}</dt><dd>{b.certificateNo}</dd></div>
      <div><dt>{t('origin.batch')}</dt><dd data-testid="origin-batch">{b.batchNo}</dd></div>
      <div><dt>{t('origin.producedOn')}</dt><dd>{b.producedOn}</dd></div>
    </dl>
  );
  return (
    <div className="page origin-page" data-testid="origin-trace">
      <header className="page-header">
        <p className="origin-badge">{t('origin.badge')}</p>
        <h1>{t('origin.title')} · {product.title}</h1>
        {product.brand ? <p className="muted">{product.brand.name}</p> : null}
      </header>
      {product.image ? <img className="origin-image" src={product.image} alt={product.title} /> : null}
      {current ? (
        <section className="card">
          <h2>{t('origin.current')}</h2>
          {facts(current)}
          {current.producer.description ? <p>{current.producer.description}</p> : null}
          {current.notes ? <p className="muted">{current.notes}</p> : null}
          <p>{t('origin.share', { pct: (current.shareBps / 100).toFixed(0) })}</p>
        </section>
      ) : null}
      <p className="muted" data-testid="origin-sold">{t('origin.sold', { units: state.data.unitsSold, proceeds: fmt.fen(state.data.proceedsPaidFen) })}</p>
      {earlier.length ? (
        <section className="card">
          <h2>{t('origin.earlier')}</h2>
          {earlier.map((b) => <div key={b.id}>{facts(b)}</div>)}
        </section>
      ) : null}
    </div>
  );
}
