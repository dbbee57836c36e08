import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { THUMB_SIZE, thumbnailUrl } from '../pictures/urls';
import { useAction } from '../shop/parts';
import { AddressFields, bpsText, emptyAddress, MiniField } from './parts';
import type { Address, Application, Offer, Sample } from './types';

/** Who the square acts for: the streamer themselves, or an MCN for one of its streamers. */
export type ActAs = { kind: 'streamer' } | { kind: 'mcn'; orgId: string; streamerId: string | null };

/** The price range of an offer's product: "¥68.00" or "¥68.00–¥128.00". */
export function PriceRange({ offer }: { offer: Offer }) {
  const fmt = useFormat();
  const { priceFen, maxPriceFen } = offer.product;
  return <>{maxPriceFen > priceFen ? `${fmt.fen(priceFen)}–${fmt.fen(maxPriceFen)}` : fmt.fen(priceFen)}</>;
}

export function OfferPicture({ offer }: { offer: Offer }) {
  return offer.product.image ? (
    // The 240 px thumbnail, not the 800 px display picture: the square shows dozens of offers at once.
    <img className="offer-img" src={thumbnailUrl(offer.product.image)} width={THUMB_SIZE} height={THUMB_SIZE} alt="" loading="lazy" />
  ) : (
    <div className="offer-img offer-img-empty" aria-hidden="true">
      {Array.from(offer.product.title)[0] ?? '?'}
    </div>
  );
}

type Fmt = ReturnType<typeof useFormat>;

/** 寄样 terms in words: none, free, or with a deposit; and the limit per streamer. */
export function samplesText(t: TFunction, fmt: Fmt, offer: Pick<Offer, 'samples'>): string {
  const s = offer.samples;
  if (!s.available) return t('coop.offer.samplesNone');
  return s.depositFen > 0 ? t('coop.offer.samplesDeposit', { amount: fmt.fen(s.depositFen), max: s.maxPerStreamer }) : t('coop.offer.samplesFree', { max: s.maxPerStreamer });
}

/** 合作要求 in words: the follower minimum (or none) and the streamer categories sought. */
export function requirementsText(t: TFunction, fmt: Fmt, offer: Pick<Offer, 'requirements'>): string {
  const r = offer.requirements;
  const followers = r.minFollowers > 0 ? t('coop.offer.minFollowers', { n: fmt.number(r.minFollowers) }) : t('coop.offer.noMinFollowers');
  return r.categories.length ? `${followers} · ${t('coop.offer.categoriesSought', { list: r.categories.join(t('common.listSeparator')) })}` : followers;
}

/**
 * 你的情况: each requirement of the offer, met or not by the streamer looking at it (the server's
 * eligibility: followers from their fans, categories from what they have sold in their lives).
 */
function EligibilityNote({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const e = offer.eligibility;
  if (!e) return null;
  const sep = t('common.listSeparator');
  const mark = (met: boolean) => <span className={met ? 'eligibility-mark is-met' : 'eligibility-mark is-unmet'}>{met ? t('coop.offer.met') : t('coop.offer.notMet')}</span>;
  return (
    <div className={e.met ? 'offer-eligibility is-met' : 'offer-eligibility is-unmet'} data-testid="offer-eligibility" data-met={e.met}>
      <p className="offer-eligibility-head">{e.met ? t('coop.offer.eligible') : t('coop.offer.notEligible')}</p>
      <ul>
        <li data-testid="eligibility-followers" data-met={e.followers.met}>
          {mark(e.followers.met)} {e.followers.required > 0 ? t('coop.offer.minFollowers', { n: fmt.number(e.followers.required) }) : t('coop.offer.noMinFollowers')} · {t('coop.offer.yourFollowers', { n: fmt.number(e.followers.count) })}
        </li>
        <li data-testid="eligibility-categories" data-met={e.categories.met}>
          {mark(e.categories.met)} {e.categories.required.length ? t('coop.offer.categoriesSought', { list: e.categories.required.join(sep) }) : t('coop.offer.anyCategory')} ·{' '}
          {e.categories.streamer.length ? t('coop.offer.yourCategories', { list: e.categories.streamer.join(sep) }) : t('coop.offer.noCategoriesYet')}
        </li>
      </ul>
    </div>
  );
}

/** 申请带货: a message to the brand. */
function ApplyForm({ offer, actAs, onClose }: { offer: Offer; actAs: ActAs; onClose: () => void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (actAs.kind === 'mcn' && !actAs.streamerId) return action.fail(t('coop.square.pickStreamerFirst'));
    const body = { message: message.trim() || undefined };
    await action.run(
      () =>
        actAs.kind === 'streamer'
          ? post<{ application: Application }>(path`/api/offers/${offer.id}/applications`, body)
          : post<{ application: Application }>(path`/api/orgs/${actAs.orgId}/applications`, { ...body, offerId: offer.id, streamerId: actAs.streamerId }),
      t('coop.square.applied'),
    );
  };
  return (
    <form className="coop-inline-form" data-testid="apply-form" onSubmit={(e) => void submit(e)} noValidate>
      <MiniField label={t('coop.square.message')} value={message} onChange={setMessage} testId="apply-message" maxLength={500} multiline placeholder={t('coop.square.messagePlaceholder')} />
      <div className="button-row">
        <button type="submit" className="button button-small" data-testid="apply-submit" disabled={action.busy || !!action.done}>
          {action.busy ? t('common.submitting') : t('coop.square.applySubmit')}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

/** 申请寄样: where to send it. */
function SampleForm({ offer, actAs, onClose }: { offer: Offer; actAs: ActAs; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [address, setAddress] = useState<Address>(emptyAddress);
  const [message, setMessage] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (actAs.kind === 'mcn' && !actAs.streamerId) return action.fail(t('coop.square.pickStreamerFirst'));
    const body = { address: { name: address.name.trim(), phone: address.phone.trim(), region: address.region.trim(), detail: address.detail.trim() }, message: message.trim() || undefined };
    await action.run(
      () =>
        actAs.kind === 'streamer'
          ? post<{ sample: Sample }>(path`/api/offers/${offer.id}/samples`, body)
          : post<{ sample: Sample }>(path`/api/orgs/${actAs.orgId}/samples`, { ...body, offerId: offer.id, streamerId: actAs.streamerId }),
      t('coop.square.sampleRequested'),
    );
  };
  return (
    <form className="coop-inline-form" data-testid="sample-form" onSubmit={(e) => void submit(e)} noValidate>
      {offer.samples.depositFen > 0 ? <p className="muted">{t('coop.square.depositNote', { amount: fmt.fen(offer.samples.depositFen) })}</p> : null}
      <AddressFields value={address} onChange={setAddress} />
      <MiniField label={t('coop.square.message')} value={message} onChange={setMessage} testId="sample-message" maxLength={500} />
      <div className="button-row">
        <button type="submit" className="button button-small" data-testid="sample-submit" disabled={action.busy || !!action.done}>
          {action.busy ? t('common.submitting') : t('coop.square.sampleSubmit')}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

/** One offer in the square: the product, the terms, and what the streamer can do with it. */
export function OfferCard({ offer, actAs, compared, canCompare, onCompare }: { offer: Offer; actAs: ActAs; compared: boolean; canCompare: boolean; onCompare: (on: boolean) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState<'apply' | 'sample' | null>(null);
  const earn = Math.round((offer.product.priceFen * offer.commissionBps) / 10000);
  return (
    <li className="offer-card" data-testid="offer-card" data-offer-id={offer.id} data-commission-bps={offer.commissionBps}>
      <div className="offer-top">
        <OfferPicture offer={offer} />
        <div className="offer-main">
          <h3 className="offer-title" data-testid="offer-title">
            {offer.product.title}
          </h3>
          <p className="offer-brand muted">
            {offer.brand.name} · {offer.product.category}
          </p>
          <p className="offer-price">
            <span data-testid="offer-price">
              <PriceRange offer={offer} />
            </span>
            <span className="offer-commission" data-testid="offer-commission">
              {t('coop.square.commission', { rate: bpsText(offer.commissionBps) })}
            </span>
          </p>
          <p className="muted offer-earn">{t('coop.square.earnEach', { amount: fmt.fen(earn) })}</p>
        </div>
      </div>
      <dl className="offer-terms">
        <dt>{t('coop.offer.floor')}</dt>
        <dd data-testid="offer-floor">{offer.priceFloorFen === null ? t('coop.offer.noFloor') : fmt.fen(offer.priceFloorFen)}</dd>
        <dt>{t('coop.offer.samples')}</dt>
        <dd data-testid="offer-samples">{samplesText(t, fmt, offer)}</dd>
        <dt>{t('coop.offer.requirements')}</dt>
        <dd data-testid="offer-requirements">{requirementsText(t, fmt, offer)}</dd>
        <dt>{t('coop.offer.sales')}</dt>
        <dd>{fmt.number(offer.salesUnits)}</dd>
      </dl>
      {offer.note ? <p className="offer-note pre-wrap">{offer.note}</p> : null}
      {actAs.kind === 'streamer' ? <EligibilityNote offer={offer} /> : null}
      <div className="offer-actions">
        <label className="offer-compare">
          <input type="checkbox" data-testid="offer-compare" checked={compared} disabled={!compared && !canCompare} onChange={(e) => onCompare(e.target.checked)} />
          {t('coop.square.compare')}
        </label>
        <button type="button" className="button button-small" data-testid="offer-apply" onClick={() => setOpen(open === 'apply' ? null : 'apply')} aria-expanded={open === 'apply'}>
          {t('coop.square.apply')}
        </button>
        {offer.samples.available ? (
          <button type="button" className="button button-secondary button-small" data-testid="offer-sample" onClick={() => setOpen(open === 'sample' ? null : 'sample')} aria-expanded={open === 'sample'}>
            {t('coop.square.requestSample')}
          </button>
        ) : null}
      </div>
      {open === 'apply' ? <ApplyForm offer={offer} actAs={actAs} onClose={() => setOpen(null)} /> : null}
      {open === 'sample' ? <SampleForm offer={offer} actAs={actAs} onClose={() => setOpen(null)} /> : null}
    </li>
  );
}
