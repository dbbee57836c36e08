// The console's shopping cards: the room's 小黄车 list (order, live prices) and flash sales (秒杀).
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, isAbort, path, post, put, type ApiError } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import { listFrom, toApiError } from '../shared/useApi';
import { countdownText, fenToYuanInput, useAction, yuanToFen } from '../shop/parts';
import { specText } from '../shop/shopApi';
import { ConsoleCard } from './parts';
import type { RoomShop } from '../shop/useRoomShop';
import type { ShopSku } from '../shop/types';

/** A product as the console needs it: any of the API's product shapes. */
type CatalogueProduct = { id: string; title: string; status?: string; skus: ShopSku[] };

type DraftItem = { product: CatalogueProduct; livePrices: Record<string, string> };

function normalizeSkus(raw: unknown): ShopSku[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((s: Record<string, unknown>) => ({
    id: String(s.id),
    spec: s.spec && typeof s.spec === 'object' ? (s.spec as Record<string, string>) : {},
    priceFen: typeof s.priceFen === 'number' ? s.priceFen : 0,
    livePriceFen: typeof s.livePriceFen === 'number' ? s.livePriceFen : null,
    stock: typeof s.stock === 'number' ? s.stock : 0,
  }));
}

function toCatalogue(p: Record<string, unknown>): CatalogueProduct {
  return { id: String(p.id), title: String(p.title ?? p.name ?? p.id), status: typeof p.status === 'string' ? p.status : undefined, skus: normalizeSkus(p.skus) };
}

type CatalogueSource = 'catalogue' | 'org' | 'manual';

/**
 * The products the streamer may add: `GET /api/rooms/:id/catalogue` (the brand's on-sale products),
 * else the brand's own list when this user can read it, else none (product ids are pasted).
 */
function useCatalogue(sessionId: string, brandOrgId: string | null) {
  const [products, setProducts] = useState<CatalogueProduct[] | null>(null);
  const [source, setSource] = useState<CatalogueSource | null>(null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    (async () => {
      try {
        const res = await get<unknown>(path`/api/rooms/${sessionId}/catalogue`, ac.signal);
        setProducts(listFrom<Record<string, unknown>>(res, 'products').map(toCatalogue));
        setSource('catalogue');
        return;
      } catch (e) {
        if (isAbort(e) || ac.signal.aborted) return;
      }
      if (brandOrgId) {
        try {
          const res = await get<unknown>(path`/api/orgs/${brandOrgId}/products`, ac.signal);
          setProducts(
            listFrom<Record<string, unknown>>(res, 'products')
              .map(toCatalogue)
              .filter((p) => !p.status || p.status === 'on_sale'),
          );
          setSource('org');
          return;
        } catch (e) {
          if (isAbort(e) || ac.signal.aborted) return;
        }
      }
      setProducts([]);
      setSource('manual');
    })();
    return () => ac.abort();
  }, [sessionId, brandOrgId, nonce]);
  return { products, source, reload: () => setNonce((n) => n + 1) };
}

function draftFrom(shop: RoomShop): DraftItem[] {
  return (shop.products ?? []).map((p) => ({
    product: { id: p.id, title: p.title, skus: p.skus },
    livePrices: Object.fromEntries(p.skus.filter((s) => typeof s.livePriceFen === 'number').map((s) => [s.id, fenToYuanInput(s.livePriceFen)])),
  }));
}

/** 商品: the room's list in link order, live prices per SKU, products added from the brand's catalogue. */
export function RoomShopCard({ sessionId, brandOrgId, shop }: { sessionId: string; brandOrgId: string | null; shop: RoomShop }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const catalogue = useCatalogue(sessionId, brandOrgId);
  const [draft, setDraft] = useState<DraftItem[] | null>(null);
  const [pasteId, setPasteId] = useState('');
  const [pasteError, setPasteError] = useState<ApiError | null>(null);
  const pasteInputId = useId();
  const dirty = draft !== null;
  const items = draft ?? draftFrom(shop);

  const edit = (fn: (list: DraftItem[]) => DraftItem[]) => setDraft((d) => fn(d ?? draftFrom(shop)));
  const move = (i: number, by: -1 | 1) =>
    edit((list) => {
      const next = [...list];
      const j = i + by;
      if (j < 0 || j >= next.length) return list;
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });
  const remove = (id: string) => edit((list) => list.filter((d) => d.product.id !== id));
  const add = (p: CatalogueProduct) => edit((list) => (list.some((d) => d.product.id === p.id) ? list : [...list, { product: p, livePrices: {} }]));
  const setLive = (productId: string, skuId: string, value: string) =>
    edit((list) => list.map((d) => (d.product.id === productId ? { ...d, livePrices: { ...d.livePrices, [skuId]: value } } : d)));

  const inList = new Set(items.map((d) => d.product.id));
  const candidates = (catalogue.products ?? []).filter((p) => !inList.has(p.id));

  const addPasted = async (e: FormEvent) => {
    e.preventDefault();
    const id = pasteId.trim();
    if (!id) return;
    setPasteError(null);
    try {
      const res = await get<{ product: Record<string, unknown> }>(path`/api/products/${id}`);
      if (res?.product) {
        add(toCatalogue(res.product));
        setPasteId('');
      }
    } catch (err) {
      setPasteError(toApiError(err));
    }
  };

  const save = async () => {
    const out: { productId: string; livePrices?: Record<string, number> }[] = [];
    for (const d of items) {
      const livePrices: Record<string, number> = {};
      for (const sku of d.product.skus) {
        const text = (d.livePrices[sku.id] ?? '').trim();
        if (!text) continue;
        const fen = yuanToFen(text);
        if (fen === null || fen <= 0) return action.fail(t('shop.console.badLivePrice', { title: d.product.title, spec: specText(sku.spec) }));
        livePrices[sku.id] = fen;
      }
      out.push(Object.keys(livePrices).length ? { productId: d.product.id, livePrices } : { productId: d.product.id });
    }
    const res = await action.run(() => put(path`/api/rooms/${sessionId}/products`, { items: out }), t('shop.console.saved'));
    if (res !== undefined) {
      setDraft(null);
      shop.reload();
    }
  };

  return (
    <ConsoleCard
      title={t('shop.console.title')}
      testId="console-shop"
      aside={dirty ? <span className="tag" data-testid="shop-unsaved">{t('shop.console.unsaved')}</span> : null}
    >
      {shop.products === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted" data-testid="shop-list-empty">
          {t('shop.console.empty')}
        </p>
      ) : (
        <ol className="shop-edit-list" data-testid="shop-list">
          {items.map((d, i) => (
            <li key={d.product.id} className="shop-edit-item" data-testid="shop-item" data-product-id={d.product.id}>
              <div className="shop-edit-head">
                <span className="cart-link-no">{i + 1}</span>
                <span className="shop-edit-title">{d.product.title}</span>
                <span className="shop-edit-actions">
                  <button type="button" className="link-button" data-testid="shop-item-up" aria-label={t('shop.console.up')} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button type="button" className="link-button" data-testid="shop-item-down" aria-label={t('shop.console.down')} disabled={i === items.length - 1} onClick={() => move(i, 1)}>
                    ↓
                  </button>
                  <button type="button" className="link-button link-danger" data-testid="shop-item-remove" onClick={() => remove(d.product.id)}>
                    {t('shop.common.remove')}
                  </button>
                </span>
              </div>
              <table className="live-price-table">
                <tbody>
                  {d.product.skus.map((s) => (
                    <tr key={s.id}>
                      <td>{specText(s.spec) || t('shop.room.defaultSku')}</td>
                      <td className="num muted">{fmt.fen(s.priceFen)}</td>
                      <td>
                        <input
                          className="live-price-input"
                          data-testid="live-price-input"
                          data-sku-id={s.id}
                          inputMode="decimal"
                          aria-label={t('shop.console.livePriceFor', { spec: specText(s.spec) || d.product.title })}
                          placeholder={t('shop.console.livePrice')}
                          value={d.livePrices[s.id] ?? ''}
                          onChange={(e) => setLive(d.product.id, s.id, e.target.value)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ol>
      )}
      <div className="button-row">
        <button type="button" className="button button-small" data-testid="shop-save" disabled={action.busy || !dirty} onClick={() => void save()}>
          {action.busy ? t('common.submitting') : t('shop.console.save')}
        </button>
        {dirty ? (
          <button type="button" className="button button-ghost button-small" data-testid="shop-reset" onClick={() => setDraft(null)}>
            {t('shop.console.reset')}
          </button>
        ) : null}
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}

      <div className="shop-catalogue" data-testid="shop-catalogue" data-source={catalogue.source ?? ''}>
        <h3>{t('shop.console.catalogue')}</h3>
        {catalogue.products === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : candidates.length > 0 ? (
          <ul className="catalogue-list">
            {candidates.map((p) => {
              const prices = p.skus.map((s) => s.priceFen);
              return (
                <li key={p.id} data-testid="catalogue-product" data-product-id={p.id}>
                  <span>
                    {p.title} {prices.length ? <span className="muted">{fmt.fen(Math.min(...prices))}</span> : null}
                  </span>
                  <button type="button" className="button button-secondary button-small" data-testid="catalogue-add" onClick={() => add(p)}>
                    {t('shop.console.add')}
                  </button>
                </li>
              );
            })}
          </ul>
        ) : catalogue.source !== 'manual' ? (
          <p className="muted">{t('shop.console.allAdded')}</p>
        ) : (
          <p className="muted">{t('shop.console.noCatalogue')}</p>
        )}
        <form className="inline-form paste-form" onSubmit={(e) => void addPasted(e)}>
          <div className="field">
            <label htmlFor={pasteInputId}>{t('shop.console.pasteId')}</label>
            <input id={pasteInputId} data-testid="shop-paste-id" value={pasteId} maxLength={64} onChange={(e) => setPasteId(e.target.value)} />
          </div>
          <button type="submit" className="button button-ghost button-small" data-testid="shop-paste-add" disabled={!pasteId.trim()}>
            {t('shop.console.add')}
          </button>
        </form>
        <FormError error={pasteError} />
      </div>
    </ConsoleCard>
  );
}

function positiveInt(v: string, min = 1): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n >= min ? n : null;
}

function SaleRow({ sale }: { sale: RoomShop['flashSales'][number] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const now = useNow(1000);
  const starts = Date.parse(sale.startsAt);
  const ends = Date.parse(sale.endsAt);
  const upcoming = now < starts;
  return (
    <li className="console-current-box" data-testid="console-flash-sale" data-sale-id={sale.id} data-remaining={sale.remaining}>
      <p>
        <strong>{sale.title}</strong> {specText(sale.spec) ? <span className="muted">{specText(sale.spec)}</span> : null}
      </p>
      <p className="muted">
        {fmt.fen(sale.priceFen)} <s>{fmt.fen(sale.originalPriceFen)}</s> · {t('shop.flash.remaining', { remaining: sale.remaining, total: sale.stock })} ·{' '}
        {upcoming ? t('shop.flash.startsIn', { time: countdownText(t, Math.ceil((starts - now) / 1000)) }) : now < ends ? t('shop.flash.endsIn', { time: countdownText(t, Math.ceil((ends - now) / 1000)) }) : t('shop.flash.ended')}
      </p>
    </li>
  );
}

/** 秒杀: pick a SKU of the room's products, a flash price, stock, a per-buyer limit and a window. */
export function FlashSaleConsoleCard({ sessionId, shop }: { sessionId: string; shop: RoomShop }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const ids = { sku: useId(), price: useId(), stock: useId(), limit: useId(), starts: useId(), duration: useId() };
  const options = useMemo(
    () => (shop.products ?? []).flatMap((p) => p.skus.map((s) => ({ skuId: s.id, label: `${p.link}. ${p.title}${specText(s.spec) ? ` · ${specText(s.spec)}` : ''}`, priceFen: s.priceFen, stock: s.stock }))),
    [shop.products],
  );
  const [skuId, setSkuId] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('10');
  const [limit, setLimit] = useState('1');
  const [startsIn, setStartsIn] = useState('10');
  const [duration, setDuration] = useState('300');
  const chosen = options.find((o) => o.skuId === skuId) ?? null;
  useEffect(() => {
    if (!skuId && options[0]) setSkuId(options[0].skuId);
  }, [options, skuId]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return action.fail(t('shop.console.flashNeedSku'));
    const priceFen = yuanToFen(price);
    if (priceFen === null || priceFen <= 0) return action.fail(t('shop.console.flashBadPrice'));
    const stockN = positiveInt(stock);
    const limitN = positiveInt(limit);
    const startsN = positiveInt(startsIn, 0);
    const durationN = positiveInt(duration);
    if (stockN === null || limitN === null || startsN === null || durationN === null) return action.fail(t('shop.console.flashBadNumbers'));
    void action.run(() => post(path`/api/rooms/${sessionId}/flash-sales`, { skuId: chosen.skuId, priceFen, stock: stockN, perUserLimit: limitN, startsInSeconds: startsN, durationSeconds: durationN }), t('shop.console.flashCreated')).then((r) => {
      if (r !== undefined) shop.reload();
    });
  };

  const now = Date.now();
  const sales = shop.flashSales.filter((s) => Date.parse(s.endsAt) > now);

  return (
    <ConsoleCard title={t('shop.console.flashTitle')} testId="console-flash">
      {sales.length ? (
        <ul className="plain-list">
          {sales.map((s) => (
            <SaleRow key={s.id} sale={s} />
          ))}
        </ul>
      ) : null}
      {options.length === 0 ? (
        <p className="muted">{t('shop.console.flashNoProducts')}</p>
      ) : (
        <form onSubmit={submit} noValidate data-testid="flash-form">
          <div className="field">
            <label htmlFor={ids.sku}>{t('shop.console.flashSku')}</label>
            <select id={ids.sku} data-testid="flash-sku" value={skuId} onChange={(e) => setSkuId(e.target.value)}>
              {options.map((o) => (
                <option key={o.skuId} value={o.skuId}>
                  {o.label}
                </option>
              ))}
            </select>
            {chosen ? <p className="field-hint">{t('shop.console.flashSkuHint', { price: fmt.fen(chosen.priceFen), stock: chosen.stock })}</p> : null}
          </div>
          <div className="console-form-row">
            <div className="field">
              <label htmlFor={ids.price}>{t('shop.console.flashPrice')}</label>
              <input id={ids.price} data-testid="flash-price-input" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.stock}>{t('shop.console.flashStock')}</label>
              <input id={ids.stock} data-testid="flash-stock-input" type="number" min={1} inputMode="numeric" value={stock} onChange={(e) => setStock(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.limit}>{t('shop.console.flashLimit')}</label>
              <input id={ids.limit} data-testid="flash-limit-input" type="number" min={1} inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} />
            </div>
          </div>
          <div className="console-form-row">
            <div className="field">
              <label htmlFor={ids.starts}>{t('shop.console.flashStartsIn')}</label>
              <input id={ids.starts} data-testid="flash-starts-input" type="number" min={0} inputMode="numeric" value={startsIn} onChange={(e) => setStartsIn(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.duration}>{t('shop.console.flashDuration')}</label>
              <input id={ids.duration} data-testid="flash-duration-input" type="number" min={1} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />
            </div>
          </div>
          <button type="submit" className="button button-small" data-testid="flash-submit" disabled={action.busy}>
            {action.busy ? t('common.submitting') : t('shop.console.flashStart')}
          </button>
        </form>
      )}
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}
