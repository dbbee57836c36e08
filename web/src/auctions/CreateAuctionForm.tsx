// The compact form that puts a one-off lot up for auction in a live (docs/AUCTIONS.md, rules A1–A4): the lot's SKU,
// its title, the starting price, the increment table (the default bands, editable), when it opens, how long it
// runs, anti-sniping or sudden death, and the winner's payment limit. Used in the streamer's cockpit and in the
// brand's auctions page; the server checks the rules and its message is shown as it answers.
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { listFrom, toApiError, useApi } from '../shared/useApi';
import { fenToYuanInput, yuanToFen } from '../shop/parts';
import { specText } from '../shop/shopApi';
import type { Auction } from './types';

/** Default: below ¥100 ¥5, below ¥1,000 ¥20, else ¥50 (server/auctions/rules.ts DEFAULT_INCREMENTS). */
const DEFAULT_BANDS: Band[] = [
  { below: fenToYuanInput(10_000), step: fenToYuanInput(500) },
  { below: fenToYuanInput(100_000), step: fenToYuanInput(2_000) },
  { below: '', step: fenToYuanInput(5_000) },
];

type Band = { below: string; step: string };
type Lot = { skuId: string; productTitle: string; spec: string; priceFen: number; stock: number };
type RawProduct = { id: string; title: string; status?: string; brand?: { id: string }; skus: { id: string; spec: Record<string, string>; priceFen: number; stock: number }[] };

const intIn = (v: string, min: number, max: number) => {
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/**
 * The SKUs that may be a lot: those of the live's brand (A1). In the brand's console its own products
 * (`GET /api/orgs/:orgId/products`); in the cockpit the room's catalogue (`GET /api/rooms/:id/catalogue`,
 * the brand's on-sale products and approved ones of other brands), keeping the live brand's.
 */
function useLots(sessionId: string, brandOrgId: string | null, source: 'org' | 'room') {
  const url = source === 'org' ? (brandOrgId ? path`/api/orgs/${brandOrgId}/products` : null) : path`/api/rooms/${sessionId}/catalogue`;
  const state = useApi<unknown>(url);
  const lots = useMemo<Lot[] | null>(() => {
    if (!state.data) return null;
    return listFrom<RawProduct>(state.data, 'products')
      .filter((p) => (!p.status || p.status === 'on_sale') && (source === 'org' || (brandOrgId !== null && p.brand?.id === brandOrgId)))
      .flatMap((p) => p.skus.map((s) => ({ skuId: s.id, productTitle: p.title, spec: specText(s.spec), priceFen: s.priceFen, stock: s.stock })));
  }, [state.data, source, brandOrgId]);
  return { lots, status: state.status, error: state.error, reload: state.reload };
}

export function CreateAuctionForm({ sessionId, brandOrgId, source, onCreated }: { sessionId: string; brandOrgId: string | null; source: 'org' | 'room'; onCreated: (auction: Auction) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const uid = useId();
  const ids = (k: string) => `${uid}-${k}`;
  const lots = useLots(sessionId, brandOrgId, source);
  const [v, setV] = useState({ skuId: '', title: '', start: '', startsIn: 'now' as 'now' | 'later', startsInMinutes: '5', duration: '10', extend: '30', maxExtension: '300', suddenDeath: false, pay: '30' });
  const [bands, setBands] = useState<Band[]>(DEFAULT_BANDS);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((old) => ({ ...old, [k]: value }));

  const available = (lots.lots ?? []).filter((l) => l.stock > 0);
  const lot = available.find((l) => l.skuId === v.skuId) ?? null;
  useEffect(() => {
    if (!v.skuId && available[0]) setV((old) => ({ ...old, skuId: available[0]!.skuId }));
  }, [available, v.skuId]);

  const setBand = (i: number, k: keyof Band, value: string) => setBands((list) => list.map((b, j) => (j === i ? { ...b, [k]: value } : b)));
  // A new band goes before the open top band, starting where the band before it ends.
  const addBand = () =>
    setBands((list) => {
      const open = list[list.length - 1]!;
      const prev = list[list.length - 2];
      const prevBelow = prev ? yuanToFen(prev.below) : null;
      return [...list.slice(0, -1), { below: prevBelow ? fenToYuanInput(prevBelow * 10) : '', step: open.step }, open];
    });
  const removeBand = (i: number) => setBands((list) => (list.length > 1 ? list.filter((_, j) => j !== i) : list));

  const fail = (code: string, message: string) => {
    setDone(null);
    setError(new ApiError({ code, status: 0, message }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!lot) return fail('CLIENT_NEED_SKU', t('auction.create.needSku'));
    const startingPriceFen = yuanToFen(v.start);
    if (startingPriceFen === null || startingPriceFen < 1) return fail('CLIENT_BAD_PRICE', t('auction.create.badStart'));
    const increments: { belowFen: number | null; stepFen: number }[] = [];
    for (const [i, b] of bands.entries()) {
      const last = i === bands.length - 1;
      const belowFen = last ? null : yuanToFen(b.below);
      const stepFen = yuanToFen(b.step);
      if ((!last && (belowFen === null || belowFen < 1)) || stepFen === null || stepFen < 1) return fail('CLIENT_BAD_INCREMENTS', t('auction.create.badIncrements'));
      increments.push({ belowFen, stepFen });
    }
    const startsInMinutes = v.startsIn === 'now' ? 0 : intIn(v.startsInMinutes, 1, 7 * 24 * 60);
    const duration = intIn(v.duration, 1, 24 * 60);
    const extend = v.suddenDeath ? 0 : intIn(v.extend, 0, 600);
    const maxExtension = v.suddenDeath ? 0 : intIn(v.maxExtension, 0, 3_600);
    const pay = intIn(v.pay, 1, 7 * 24 * 60);
    if (startsInMinutes === null || duration === null || extend === null || maxExtension === null || pay === null) return fail('CLIENT_BAD_NUMBERS', t('auction.create.badNumbers'));
    setBusy(true);
    try {
      const { auction } = await post<{ auction: Auction }>(path`/api/rooms/${sessionId}/auctions`, {
        skuId: lot.skuId,
        ...(v.title.trim() && { title: v.title.trim() }),
        startingPriceFen,
        increments,
        startsInSeconds: startsInMinutes * 60,
        durationSeconds: duration * 60,
        suddenDeath: v.suddenDeath,
        ...(!v.suddenDeath && { extendSeconds: extend, maxExtensionSeconds: maxExtension }),
        paySeconds: pay * 60,
      });
      setDone(t('auction.create.created', { title: auction.title }));
      setV((old) => ({ ...old, skuId: '', title: '' }));
      lots.reload();
      onCreated(auction);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const num = (k: 'startsInMinutes' | 'duration' | 'extend' | 'maxExtension' | 'pay', label: string, opts: { min?: number; disabled?: boolean; hint?: string } = {}) => (
    <div className="field">
      <label htmlFor={ids(k)}>{label}</label>
      <input id={ids(k)} type="number" inputMode="numeric" min={opts.min ?? 1} value={v[k]} disabled={opts.disabled} onChange={(e) => set(k, e.target.value)} data-testid={`auction-form-${k}`} aria-describedby={opts.hint ? ids(`${k}-hint`) : undefined} />
      {opts.hint ? (
        <p className="field-hint" id={ids(`${k}-hint`)}>
          {opts.hint}
        </p>
      ) : null}
    </div>
  );

  if (lots.error) return <FormError error={lots.error} />;
  if (lots.lots && !available.length) return <p className="muted" data-testid="auction-form-no-lots">{t('auction.create.noLots')}</p>;

  return (
    <form className="auction-form" onSubmit={(e) => void submit(e)} noValidate data-testid="auction-form">
      <div className="field">
        <label htmlFor={ids('sku')}>{t('auction.create.sku')}</label>
        <select id={ids('sku')} value={v.skuId} onChange={(e) => set('skuId', e.target.value)} data-testid="auction-form-sku">
          {lots.lots ? null : <option value="">…</option>}
          {available.map((l) => (
            <option key={l.skuId} value={l.skuId}>
              {t('auction.create.skuOption', { product: l.productTitle, spec: l.spec || '—', price: fmt.fen(l.priceFen), stock: l.stock })}
            </option>
          ))}
        </select>
        <p className="field-hint">{t('auction.create.skuHint')}</p>
      </div>
      <div className="console-form-row">
        <div className="field">
          <label htmlFor={ids('title')}>{t('auction.create.name')}</label>
          <input id={ids('title')} value={v.title} maxLength={100} placeholder={lot?.productTitle} onChange={(e) => set('title', e.target.value)} data-testid="auction-form-title" />
        </div>
        <div className="field">
          <label htmlFor={ids('start')}>{t('auction.create.start')}</label>
          <input id={ids('start')} inputMode="decimal" value={v.start} onChange={(e) => set('start', e.target.value)} data-testid="auction-form-start" />
        </div>
      </div>
      <fieldset className="console-fieldset auction-form-bands" data-testid="auction-form-increments">
        <legend>{t('auction.create.increments')}</legend>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('auction.create.below')}</th>
              <th scope="col">{t('auction.create.step')}</th>
              <th scope="col">
                <span className="sr-only">{t('auction.create.removeBand')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {bands.map((b, i) => {
              const last = i === bands.length - 1;
              return (
                <tr key={i} data-testid="auction-band">
                  <td>
                    {last ? (
                      <span className="muted">{t('auction.create.openBand')}</span>
                    ) : (
                      <input inputMode="decimal" value={b.below} aria-label={`${t('auction.create.below')} ${i + 1}`} onChange={(e) => setBand(i, 'below', e.target.value)} data-testid="auction-band-below" />
                    )}
                  </td>
                  <td>
                    <input inputMode="decimal" value={b.step} aria-label={`${t('auction.create.step')} ${i + 1}`} onChange={(e) => setBand(i, 'step', e.target.value)} data-testid="auction-band-step" />
                  </td>
                  <td>
                    {!last ? (
                      <button type="button" className="button button-ghost button-small" onClick={() => removeBand(i)} data-testid="auction-band-remove">
                        {t('auction.create.removeBand')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="field-hint">{t('auction.create.incrementsHint')}</p>
        <div className="auction-form-band-actions">
          <button type="button" className="button button-secondary button-small" onClick={addBand} disabled={bands.length >= 20} data-testid="auction-band-add">
            {t('auction.create.addBand')}
          </button>
          <button type="button" className="button button-ghost button-small" onClick={() => setBands(DEFAULT_BANDS)} data-testid="auction-band-reset">
            {t('auction.create.resetBands')}
          </button>
        </div>
      </fieldset>
      <fieldset className="console-fieldset auction-form-starts">
        <legend>{t('auction.create.startsIn')}</legend>
        <label className="auction-form-check">
          <input type="radio" name={ids('starts')} checked={v.startsIn === 'now'} onChange={() => set('startsIn', 'now')} data-testid="auction-form-starts-now" /> {t('auction.create.now')}
        </label>
        <label className="auction-form-check">
          <input type="radio" name={ids('starts')} checked={v.startsIn === 'later'} onChange={() => set('startsIn', 'later')} data-testid="auction-form-starts-later" /> {t('auction.create.later')}
        </label>
        {v.startsIn === 'later' ? num('startsInMinutes', t('auction.create.startsInMinutes')) : null}
      </fieldset>
      <div className="console-form-row">
        {num('duration', t('auction.create.duration'))}
        {num('pay', t('auction.create.pay'))}
      </div>
      <label className="auction-form-check">
        <input type="checkbox" checked={v.suddenDeath} onChange={(e) => set('suddenDeath', e.target.checked)} data-testid="auction-form-sudden-death" /> {t('auction.create.suddenDeath')}
      </label>
      <div className="console-form-row">
        {num('extend', t('auction.create.extend'), { min: 0, disabled: v.suddenDeath, hint: t('auction.create.extendHint') })}
        {num('maxExtension', t('auction.create.maxExtension'), { min: 0, disabled: v.suddenDeath })}
      </div>
      <FormError error={error} />
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <button type="submit" className="button" disabled={busy || !lots.lots} data-testid="auction-form-submit">
        {t('auction.create.submit')}
      </button>
    </form>
  );
}
