import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { fenToYuanInput, useAction, yuanToFen } from '../shop/parts';
import { OfferPicture, PriceRange, requirementsText, samplesText } from './OfferCard';
import { bpsText, CoopStatus, percentToBps } from './parts';
import type { Offer } from './types';
import './cooperation.css';

type Draft = {
  productId: string;
  commission: string;
  floor: string;
  samplesAvailable: boolean;
  deposit: string;
  maxPerStreamer: string;
  minFollowers: string;
  categories: string;
  note: string;
};

const EMPTY: Draft = { productId: '', commission: '', floor: '', samplesAvailable: false, deposit: '', maxPerStreamer: '1', minFollowers: '0', categories: '', note: '' };

function draftOf(o: Offer): Draft {
  return {
    productId: o.product.id,
    commission: String(o.commissionBps / 100),
    floor: o.priceFloorFen === null ? '' : fenToYuanInput(o.priceFloorFen),
    samplesAvailable: o.samples.available,
    deposit: o.samples.depositFen ? fenToYuanInput(o.samples.depositFen) : '',
    maxPerStreamer: String(o.samples.maxPerStreamer),
    minFollowers: String(o.requirements.minFollowers),
    categories: o.requirements.categories.join('，'),
    note: o.note,
  };
}

/**
 * The offer form: the commission is typed as a percent and sent as basis points, the floor and deposit in yuan and
 * sent as fen. Whether the rate is allowed (0–90 %) is the server's to say: its message is shown as it comes.
 */
function OfferForm({ orgId, offer, products, onDone, onCancel }: { orgId: string; offer: Offer | null; products: { id: string; title: string }[]; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [d, setD] = useState<Draft>(offer ? draftOf(offer) : { ...EMPTY, productId: products[0]?.id ?? '' });
  const action = useAction();
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const commissionBps = percentToBps(d.commission);
    if (commissionBps === null) return action.fail(t('coop.offers.badCommission'));
    const floor = d.floor.trim() ? yuanToFen(d.floor) : null;
    if (d.floor.trim() && floor === null) return action.fail(t('coop.offers.badFloor'));
    const deposit = d.deposit.trim() ? yuanToFen(d.deposit) : 0;
    if (deposit === null) return action.fail(t('coop.offers.badDeposit'));
    const max = Number(d.maxPerStreamer);
    const minFollowers = Number(d.minFollowers || '0');
    if (!Number.isInteger(max) || !Number.isInteger(minFollowers)) return action.fail(t('coop.offers.badNumber'));
    const body = {
      commissionBps,
      priceFloorFen: floor,
      samples: { available: d.samplesAvailable, depositFen: d.samplesAvailable ? deposit : 0, maxPerStreamer: max },
      requirements: {
        minFollowers,
        categories: d.categories
          .split(/[,，、]/)
          .map((c) => c.trim())
          .filter(Boolean),
      },
      note: d.note.trim(),
    };
    if (!offer && !d.productId) return action.fail(t('coop.offers.pickProduct'));
    const res = await action.run(() => (offer ? patch<{ offer: Offer }>(path`/api/orgs/${orgId}/offers/${offer.id}`, body) : post<{ offer: Offer }>(path`/api/orgs/${orgId}/offers`, { ...body, productId: d.productId })));
    if (res !== undefined) onDone();
  };

  return (
    <form className="coop-form" data-testid="offer-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{offer ? t('coop.offers.editTitle', { title: offer.product.title }) : t('coop.offers.newTitle')}</h3>
      <div className="coop-form-grid">
        {!offer ? (
          <div className="field">
            <label htmlFor={`${id}-product`}>{t('coop.offers.product')}</label>
            <select id={`${id}-product`} data-testid="offer-product" value={d.productId} onChange={set('productId')}>
              {products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-commission`}>{t('coop.offers.commission')}</label>
          <div className="range-row">
            <input id={`${id}-commission`} data-testid="offer-commission-input" inputMode="decimal" value={d.commission} maxLength={6} onChange={set('commission')} />
            <span className="muted">%</span>
          </div>
          <p className="field-hint">{t('coop.offers.commissionHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-floor`}>{t('coop.offers.floor')}</label>
          <div className="range-row">
            <span className="muted">¥</span>
            <input id={`${id}-floor`} data-testid="offer-floor-input" inputMode="decimal" value={d.floor} maxLength={12} placeholder={t('coop.offers.floorNone')} onChange={set('floor')} />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-followers`}>{t('coop.offers.minFollowers')}</label>
          <input id={`${id}-followers`} data-testid="offer-followers-input" inputMode="numeric" value={d.minFollowers} maxLength={10} onChange={set('minFollowers')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-categories`}>{t('coop.offers.categories')}</label>
          <input id={`${id}-categories`} data-testid="offer-categories-input" value={d.categories} maxLength={200} placeholder={t('coop.offers.categoriesPlaceholder')} onChange={set('categories')} />
        </div>
      </div>
      <fieldset className="coop-fieldset">
        <legend>{t('coop.offers.sampleTerms')}</legend>
        <label className="field-checkbox">
          <input type="checkbox" data-testid="offer-samples-input" checked={d.samplesAvailable} onChange={(e) => setD((x) => ({ ...x, samplesAvailable: e.target.checked }))} />
          {t('coop.offers.samplesAvailable')}
        </label>
        {d.samplesAvailable ? (
          <div className="coop-form-grid">
            <div className="field">
              <label htmlFor={`${id}-deposit`}>{t('coop.offers.deposit')}</label>
              <div className="range-row">
                <span className="muted">¥</span>
                <input id={`${id}-deposit`} data-testid="offer-deposit-input" inputMode="decimal" value={d.deposit} maxLength={12} placeholder="0.00" onChange={set('deposit')} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`${id}-max`}>{t('coop.offers.maxPerStreamer')}</label>
              <input id={`${id}-max`} data-testid="offer-max-input" inputMode="numeric" value={d.maxPerStreamer} maxLength={3} onChange={set('maxPerStreamer')} />
            </div>
          </div>
        ) : null}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('coop.offers.note')}</label>
        <textarea id={`${id}-note`} data-testid="offer-note-input" rows={2} maxLength={500} value={d.note} onChange={set('note')} />
      </div>
      <div className="button-row">
        <button type="submit" className="button" data-testid="offer-save" disabled={action.busy}>
          {action.busy ? t('common.submitting') : offer ? t('common.save') : t('coop.offers.list')}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
    </form>
  );
}

/** 商品招商: the brand's offers in the square (listed, edited, paused or put back). */
export function BrandOffers({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const offers = useApi<{ offers: Offer[] }>(path`/api/orgs/${orgId}/offers`);
  const products = useApi<unknown>(canEdit ? path`/api/orgs/${orgId}/products` : null);
  const [editing, setEditing] = useState<Offer | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const toggle = useAction();
  const list = offers.data?.offers ?? [];
  const listed = new Set(list.map((o) => o.product.id));
  const unlisted = listFrom<{ id: string; title: string; status?: string }>(products.data, 'products').filter((p) => !listed.has(p.id) && (!p.status || p.status === 'on_sale'));

  const done = (text: string) => {
    setEditing(null);
    setSaved(text);
    offers.reload();
  };

  return (
    <div className="coop-panel" data-testid="brand-offers">
      <div className="card-head">
        <h2>{t('coop.offers.title')}</h2>
        {canEdit && editing === null ? (
          <button type="button" className="button button-small" data-testid="offer-new" disabled={!products.data || unlisted.length === 0} onClick={() => setEditing('new')}>
            + {t('coop.offers.new')}
          </button>
        ) : null}
      </div>
      <p className="muted">{t('coop.offers.intro')}</p>
      {saved ? <FormSuccess>{saved}</FormSuccess> : null}
      <FormError error={toggle.error} />
      {editing !== null ? (
        <OfferForm
          orgId={orgId}
          offer={editing === 'new' ? null : editing}
          products={unlisted}
          onCancel={() => setEditing(null)}
          onDone={() => done(editing === 'new' ? t('coop.offers.listed') : t('coop.offers.saved'))}
        />
      ) : null}
      {offers.status === 'error' && !offers.data ? (
        <ErrorNotice error={offers.error} onRetry={offers.reload} />
      ) : !offers.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="brand-offers-empty">{t('coop.offers.none')}</Empty>
      ) : (
        <ul className="coop-list">
          {list.map((o) => (
            <li key={o.id} className="coop-item" data-testid="brand-offer" data-offer-id={o.id} data-product-id={o.product.id} data-status={o.status} data-commission-bps={o.commissionBps}>
              <div className="coop-item-head">
                <OfferPicture offer={o} />
                <div className="coop-item-main">
                  <h3>{o.product.title}</h3>
                  <p className="muted">
                    <PriceRange offer={o} /> · {t('coop.square.commission', { rate: bpsText(o.commissionBps) })}
                  </p>
                </div>
                <CoopStatus status={o.status} />
              </div>
              <dl className="facts facts-inline">
                <dt>{t('coop.offer.floor')}</dt>
                <dd>{o.priceFloorFen === null ? t('coop.offer.noFloor') : fmt.fen(o.priceFloorFen)}</dd>
                <dt>{t('coop.offer.samples')}</dt>
                <dd>{samplesText(t, fmt, o)}</dd>
                <dt>{t('coop.offer.requirements')}</dt>
                <dd>{requirementsText(t, fmt, o)}</dd>
                <dt>{t('coop.offer.sales')}</dt>
                <dd>{fmt.number(o.salesUnits)}</dd>
              </dl>
              {o.note ? <p className="pre-wrap offer-note">{o.note}</p> : null}
              {canEdit ? (
                <div className="button-row">
                  <button type="button" className="button button-secondary button-small" data-testid="offer-edit" onClick={() => setEditing(o)}>
                    {t('coop.offers.edit')}
                  </button>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="offer-toggle"
                    disabled={toggle.busy}
                    onClick={async () => {
                      const next = o.status === 'active' ? 'paused' : 'active';
                      const res = await toggle.run(() => patch(path`/api/orgs/${orgId}/offers/${o.id}`, { status: next }));
                      if (res !== undefined) done(next === 'paused' ? t('coop.offers.pausedDone') : t('coop.offers.resumedDone'));
                    }}
                  >
                    {o.status === 'active' ? t('coop.offers.pause') : t('coop.offers.resume')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
