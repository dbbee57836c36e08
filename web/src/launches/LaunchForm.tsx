// The brand's form to announce a launch (首发, docs/LAUNCHES.md): product and SKU from the brand's products,
// one of the brand's scheduled lives, the level, the time, the first-release stock. The server checks the
// rules (LAUNCH_IN_PAST, LAUNCH_SESSION_INVALID, FLASH_STOCK_EXCEEDS …) and its message is shown as it answers.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, path, post } from '../api';
import { FieldErrorText, fieldMessage, FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { toApiError, useApi } from '../shared/useApi';
import { yuanToFen } from '../shop/parts';
import { specText } from '../shop/shopApi';
import { localInputToIso, offsetText, toLocalInput, useBrandLives } from './brandLives';
import type { Launch, Level } from './types';

const LEVELS: Level[] = ['global', 'asia', 'china', 'shanghai'];

type BrandProduct = { id: string; title: string; status: string; skus: { id: string; spec: Record<string, string>; priceFen: number; stock: number }[] };

/** The body's field each form field fills: the server's field messages are shown under that field. */
const SERVER_FIELDS: Record<string, string> = { productId: 'productId', skuId: 'skuId', sessionId: 'sessionId', level: 'level', title: 'title', description: 'description', launchAt: 'launchAt', teaserUrl: 'teaserUrl', coverUrl: 'coverUrl', price: 'priceFen', stock: 'stock', limit: 'perUserLimit', duration: 'durationMinutes' };
const URL_PATTERN = /^(https?:\/\/\S+|\/\S*)$/;

const intIn = (v: string, min: number, max: number) => {
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

export function LaunchForm({ orgId, onCreated }: { orgId: string; onCreated: (launch: Launch) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const uid = useId();
  const products = useApi<{ products: BrandProduct[] }>(path`/api/orgs/${orgId}/products`);
  const lives = useBrandLives(orgId);
  const onSale = (products.data?.products ?? []).filter((p) => p.status === 'on_sale' && p.skus.length > 0);
  const scheduled = (lives.upcoming ?? []).filter((s) => s.status === 'scheduled');
  const [v, setV] = useState({ productId: '', skuId: '', sessionId: '', level: 'china' as Level, title: '', description: '', launchAt: '', teaserUrl: '', coverUrl: '', price: '', stock: '100', limit: '2', duration: '60' });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((old) => ({ ...old, [k]: e.target.value }));

  const product = onSale.find((p) => p.id === v.productId) ?? null;
  const sku = product?.skus.find((s) => s.id === v.skuId) ?? null;
  const session = scheduled.find((s) => s.id === v.sessionId) ?? null;

  // The first product, its first SKU and the first live are picked for a start.
  useEffect(() => {
    if (!v.productId && onSale[0]) setV((old) => ({ ...old, productId: onSale[0]!.id, skuId: onSale[0]!.skus[0]!.id }));
  }, [onSale, v.productId]);
  useEffect(() => {
    if (!v.sessionId && scheduled[0]) setV((old) => ({ ...old, sessionId: scheduled[0]!.id, launchAt: old.launchAt || toLocalInput(Date.parse(scheduled[0]!.scheduledAt)) }));
  }, [scheduled, v.sessionId]);

  const pickProduct = (productId: string) => {
    const p = onSale.find((x) => x.id === productId);
    setV((old) => ({ ...old, productId, skuId: p?.skus[0]?.id ?? '' }));
  };
  // A live that starts after the chosen time moves the time to its start (a launch happens during its live).
  const pickSession = (sessionId: string) => {
    const s = scheduled.find((x) => x.id === sessionId);
    setV((old) => {
      const at = localInputToIso(old.launchAt);
      const start = s ? Date.parse(s.scheduledAt) : NaN;
      return { ...old, sessionId, launchAt: s && (!at || Date.parse(at) < start) ? toLocalInput(start) : old.launchAt };
    });
  };

  const fail = (code: string, message: string) => setError(new ApiError({ code, status: 0, message }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!product || !sku) return fail('CLIENT_NEED_SKU', t('launches.console.needSku'));
    if (!session) return fail('CLIENT_NEED_LIVE', t('launches.console.needLive'));
    const launchAt = localInputToIso(v.launchAt);
    if (!launchAt) return fail('CLIENT_BAD_DATE', t('launches.console.badDate'));
    if (v.title.trim().length < 2) return fail('CLIENT_NEED_TITLE', t('launches.console.needTitle'));
    if ((v.teaserUrl.trim() && !URL_PATTERN.test(v.teaserUrl.trim())) || (v.coverUrl.trim() && !URL_PATTERN.test(v.coverUrl.trim()))) return fail('CLIENT_BAD_URL', t('launches.console.badUrl'));
    let priceFen: number | undefined;
    if (v.price.trim()) {
      const fen = yuanToFen(v.price);
      if (fen === null || fen < 1) return fail('CLIENT_BAD_PRICE', t('launches.console.badPrice'));
      priceFen = fen;
    }
    const stock = intIn(v.stock, 1, 1_000_000);
    const perUserLimit = intIn(v.limit, 1, 100);
    const durationMinutes = intIn(v.duration, 1, 7 * 24 * 60);
    if (stock === null || perUserLimit === null || durationMinutes === null) return fail('CLIENT_BAD_NUMBERS', t('launches.console.badNumbers'));
    setBusy(true);
    try {
      const { launch } = await post<{ launch: Launch }>(path`/api/orgs/${orgId}/launches`, {
        productId: product.id,
        skuId: sku.id,
        sessionId: session.id,
        level: v.level,
        title: v.title.trim(),
        ...(v.description.trim() && { description: v.description.trim() }),
        launchAt,
        ...(v.teaserUrl.trim() && { teaserUrl: v.teaserUrl.trim() }),
        ...(v.coverUrl.trim() && { coverUrl: v.coverUrl.trim() }),
        ...(priceFen !== undefined && { priceFen }),
        stock,
        perUserLimit,
        durationMinutes,
      });
      setDone(t('launches.console.created', { title: launch.title }));
      setV((old) => ({ ...old, title: '', description: '', teaserUrl: '', coverUrl: '', price: '' }));
      products.reload();
      onCreated(launch);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const ids = (k: string) => `${uid}-${k}`;
  const input = (k: keyof typeof v, label: string, opts: { type?: string; inputMode?: 'decimal' | 'numeric' | 'url'; hint?: string; placeholder?: string } = {}) => {
    const problem = fieldMessage(error, SERVER_FIELDS[k] ?? k);
    const describedBy = [opts.hint ? ids(`${k}-hint`) : null, problem ? ids(`${k}-error`) : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${problem ? ' field-invalid' : ''}`}>
        <label htmlFor={ids(k)}>{label}</label>
        <input id={ids(k)} type={opts.type ?? 'text'} inputMode={opts.inputMode} value={v[k]} onChange={set(k)} placeholder={opts.placeholder} data-testid={`launch-form-${k}`} aria-invalid={problem ? true : undefined} aria-describedby={describedBy} />
        {opts.hint ? (
          <p className="field-hint" id={ids(`${k}-hint`)}>
            {opts.hint}
          </p>
        ) : null}
        <FieldErrorText id={ids(`${k}-error`)} name={k} message={problem} />
      </div>
    );
  };

  const zone = `UTC${offsetText(new Date())}`;
  return (
    <form className="card launch-form" onSubmit={(e) => void submit(e)} noValidate data-testid="launch-form">
      <h2>{t('launches.console.create')}</h2>
      <div className="launch-form-row">
        <div className="field">
          <label htmlFor={ids('product')}>{t('launches.console.product')}</label>
          <select id={ids('product')} value={v.productId} onChange={(e) => pickProduct(e.target.value)} data-testid="launch-form-product">
            {onSale.length ? null : <option value="">{products.status === 'ready' ? t('launches.console.noProducts') : '…'}</option>}
            {onSale.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids('sku')}>{t('launches.console.sku')}</label>
          <select id={ids('sku')} value={v.skuId} onChange={set('skuId')} data-testid="launch-form-sku">
            {(product?.skus ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {t('launches.console.skuOption', { spec: specText(s.spec) || '—', price: fmt.fen(s.priceFen), stock: s.stock })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids('session')}>{t('launches.console.live')}</label>
        <select id={ids('session')} value={v.sessionId} onChange={(e) => pickSession(e.target.value)} data-testid="launch-form-session">
          {scheduled.length ? null : <option value="">{lives.status === 'loading' ? '…' : t('launches.console.noLives')}</option>}
          {scheduled.map((s) => (
            <option key={s.id} value={s.id}>
              {t('launches.console.liveOption', { title: s.title, streamer: s.streamer.displayName, at: fmt.dateTime(s.scheduledAt) })}
            </option>
          ))}
        </select>
        {lives.status === 'ready' && !scheduled.length ? (
          <p className="field-hint" data-testid="launch-form-no-lives">
            {t('launches.console.noLivesHint')}
          </p>
        ) : null}
        {lives.error ? <p className="field-error">{lives.error.message}</p> : null}
      </div>
      <div className="launch-form-row">
        <div className="field">
          <label htmlFor={ids('level')}>{t('launches.console.level')}</label>
          <select id={ids('level')} value={v.level} onChange={set('level')} data-testid="launch-form-level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`launches.levels.${l}`)}
              </option>
            ))}
          </select>
        </div>
        {input('launchAt', t('launches.console.launchAt'), { type: 'datetime-local', hint: session ? t('launches.console.launchAtHint', { zone, at: fmt.dateTime(session.scheduledAt) }) : zone })}
      </div>
      {input('title', t('launches.console.name'), { placeholder: product ? t('launches.console.namePlaceholder', { product: product.title }) : undefined })}
      <div className="field">
        <label htmlFor={ids('description')}>{t('launches.console.description')}</label>
        <textarea id={ids('description')} rows={3} value={v.description} onChange={set('description')} data-testid="launch-form-description" />
      </div>
      <div className="launch-form-row">
        {input('teaserUrl', t('launches.console.teaserUrl'), { inputMode: 'url', placeholder: 'https://…', hint: t('launches.console.urlHint') })}
        {input('coverUrl', t('launches.console.coverUrl'), { inputMode: 'url', placeholder: 'https://…', hint: t('launches.console.urlHint') })}
      </div>
      <div className="launch-form-row">
        {input('price', t('launches.console.price'), { inputMode: 'decimal', hint: sku ? t('launches.console.priceHint', { price: fmt.fen(sku.priceFen) }) : undefined })}
        {input('stock', t('launches.console.stock'), { type: 'number', inputMode: 'numeric', hint: sku ? t('launches.console.stockHint', { stock: sku.stock }) : undefined })}
        {input('limit', t('launches.console.limit'), { type: 'number', inputMode: 'numeric' })}
        {input('duration', t('launches.console.duration'), { type: 'number', inputMode: 'numeric' })}
      </div>
      <FormError error={error} shownPaths={Object.values(SERVER_FIELDS).filter((f) => !['productId', 'skuId', 'sessionId', 'level', 'description'].includes(f))} />
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <button type="submit" className="button" disabled={busy} data-testid="launch-form-submit">
        {t('launches.console.submit')}
      </button>
    </form>
  );
}
