import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { OfferPicture, PriceRange, samplesText } from './OfferCard';
import { bpsText } from './parts';
import type { Offer } from './types';

/** 2–4 offers side by side, as the API answers them (`GET /api/offers/compare`), in the order picked. */
export function OfferCompare({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ offers: Offer[] }>(`/api/offers/compare?ids=${ids.map(encodeURIComponent).join(',')}`);
  const offers = state.data?.offers ?? [];
  const best = offers.length ? Math.max(...offers.map((o) => o.commissionBps)) : 0;
  const rows: { key: string; label: string; cell: (o: Offer) => React.ReactNode }[] = [
    { key: 'brand', label: t('coop.compare.brand'), cell: (o) => o.brand.name },
    { key: 'price', label: t('coop.compare.price'), cell: (o) => <PriceRange offer={o} /> },
    { key: 'commission', label: t('coop.compare.commission'), cell: (o) => <strong className={o.commissionBps === best ? 'text-good' : undefined}>{bpsText(o.commissionBps)}</strong> },
    { key: 'earn', label: t('coop.compare.earn'), cell: (o) => fmt.fen(Math.round((o.product.priceFen * o.commissionBps) / 10000)) },
    { key: 'floor', label: t('coop.offer.floor'), cell: (o) => (o.priceFloorFen === null ? t('coop.offer.noFloor') : fmt.fen(o.priceFloorFen)) },
    { key: 'samples', label: t('coop.offer.samples'), cell: (o) => samplesText(t, fmt, o) },
    { key: 'followers', label: t('coop.compare.minFollowers'), cell: (o) => fmt.number(o.requirements.minFollowers) },
    { key: 'sales', label: t('coop.offer.sales'), cell: (o) => fmt.number(o.salesUnits) },
    { key: 'category', label: t('coop.compare.category'), cell: (o) => o.product.category },
  ];
  return (
    <section className="offer-compare-panel" data-testid="offer-compare-panel" aria-labelledby="offer-compare-heading">
      <div className="card-head">
        <h3 id="offer-compare-heading">{t('coop.compare.title', { n: ids.length })}</h3>
        <button type="button" className="button button-ghost button-small" data-testid="offer-compare-close" onClick={onClose}>
          {t('coop.compare.close')}
        </button>
      </div>
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : offers.length === 0 ? (
        <Empty>{t('coop.compare.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="offer-compare-table">
            <thead>
              <tr>
                <th scope="col">{t('coop.compare.item')}</th>
                {offers.map((o) => (
                  <th scope="col" key={o.id} data-testid="compare-column" data-offer-id={o.id}>
                    <div className="compare-head">
                      <OfferPicture offer={o} />
                      <span>{o.product.title}</span>
                    </div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid={`compare-row-${r.key}`}>
                  <th scope="row">{r.label}</th>
                  {offers.map((o) => (
                    <td key={o.id}>{r.cell(o)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
