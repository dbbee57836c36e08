// Presets: flash sales, coupon drops and lucky bags saved once, launched in this live with one tap.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { ConsoleCard } from '../room/parts';
import { specText } from '../shop/shopApi';
import type { RoomShop } from '../shop/useRoomShop';
import { useAction, yuanToFen } from '../shop/parts';
import { NumberInput, positiveInt } from './forms';
import { RIGHT_FOR, type BagPayload, type CouponPayload, type FlashPayload, type Preset, type PresetKind, type Right } from './types';

/** One line saying what a preset does ("¥9.90 × 100 件 · 60 秒"). */
function useSummary() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (p: Preset): string => {
    if (p.kind === 'flash_sale') {
      const f = p.payload as FlashPayload;
      return t('cockpit.presets.flashSummary', { price: fmt.fen(f.priceFen), stock: f.stock, seconds: f.durationSeconds });
    }
    if (p.kind === 'coupon') {
      const c = p.payload as CouponPayload;
      return t('cockpit.presets.couponSummary', { amount: fmt.fen(c.amountOffFen), count: c.total, seconds: c.seconds });
    }
    const b = p.payload as BagPayload;
    return t('cockpit.presets.bagSummary', { prize: b.prize, count: b.winners, condition: b.condition.kind === 'follow' ? t('cockpit.presets.byFollow') : t('cockpit.presets.byKeyword', { keyword: b.condition.keyword }) });
  };
}

type Draft = {
  kind: PresetKind;
  name: string;
  // flash sale
  price: string;
  stock: string;
  limit: string;
  duration: string;
  skuId: string;
  // coupon
  title: string;
  amount: string;
  total: string;
  seconds: string;
  // lucky bag
  prize: string;
  winners: string;
  condition: 'follow' | 'keyword';
  keyword: string;
  drawIn: string;
};

const EMPTY: Draft = { kind: 'flash_sale', name: '', price: '9.9', stock: '100', limit: '1', duration: '60', skuId: '', title: '', amount: '10', total: '50', seconds: '120', prize: '', winners: '3', condition: 'follow', keyword: '', drawIn: '300' };

/** The payload for the draft, or the message saying what is wrong. */
function payloadOf(d: Draft, t: (k: string) => string): Record<string, unknown> | string {
  if (d.kind === 'flash_sale') {
    const priceFen = yuanToFen(d.price);
    const stock = positiveInt(d.stock);
    const perUserLimit = positiveInt(d.limit);
    const durationSeconds = positiveInt(d.duration);
    if (priceFen === null || priceFen <= 0) return t('shop.console.flashBadPrice');
    if (stock === null || perUserLimit === null || durationSeconds === null) return t('shop.console.flashBadNumbers');
    return { ...(d.skuId && { skuId: d.skuId }), priceFen, stock, perUserLimit, startsInSeconds: 0, durationSeconds };
  }
  if (d.kind === 'coupon') {
    const amountOffFen = yuanToFen(d.amount);
    const total = positiveInt(d.total);
    const seconds = positiveInt(d.seconds);
    if (!d.title.trim()) return t('control.coupon.needTitle');
    if (amountOffFen === null || amountOffFen <= 0) return t('control.coupon.badAmount');
    if (total === null) return t('control.coupon.badTotal');
    if (seconds === null) return t('control.coupon.badSeconds');
    return { title: d.title.trim(), amountOffFen, total, seconds };
  }
  const winners = positiveInt(d.winners);
  const drawInSeconds = positiveInt(d.drawIn);
  if (!d.prize.trim()) return t('control.luckyBag.needPrize');
  if (winners === null) return t('control.luckyBag.badWinners');
  if (d.condition === 'keyword' && !d.keyword.trim()) return t('control.luckyBag.needKeyword');
  if (drawInSeconds === null) return t('control.luckyBag.badSeconds');
  return { prize: d.prize.trim(), winners, condition: d.condition === 'keyword' ? { kind: 'keyword', keyword: d.keyword.trim() } : { kind: 'follow' }, drawInSeconds };
}

function PresetForm({ sessionId, shop, onSaved }: { sessionId: string; shop: RoomShop; onSaved: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const ids = { kind: useId(), name: useId(), sku: useId(), title: useId(), prize: useId(), keyword: useId() };
  const [d, setD] = useState<Draft>(EMPTY);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const skus = useMemo(
    () => (shop.products ?? []).flatMap((p) => p.skus.map((s) => ({ id: s.id, label: `${p.link}. ${p.title}${specText(s.spec) ? ` · ${specText(s.spec)}` : ''}` }))),
    [shop.products],
  );
  const lookup = t as unknown as (k: string) => string;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!d.name.trim()) return action.fail(t('cockpit.presets.needName'));
    const payload = payloadOf(d, lookup);
    if (typeof payload === 'string') return action.fail(payload);
    void action.run(() => post(path`/api/rooms/${sessionId}/presets`, { kind: d.kind, name: d.name.trim(), payload }), t('cockpit.presets.saved')).then((r) => {
      if (r === undefined) return;
      setD({ ...EMPTY, kind: d.kind });
      onSaved();
    });
  };

  return (
    <form className="cockpit-preset-form" onSubmit={submit} noValidate data-testid="preset-form">
      <div className="console-form-row">
        <div className="field">
          <label htmlFor={ids.kind}>{t('cockpit.presets.kind')}</label>
          <select id={ids.kind} data-testid="preset-kind" value={d.kind} onChange={(e) => set({ kind: e.target.value as PresetKind })}>
            <option value="flash_sale">{t('cockpit.presets.kinds.flash_sale')}</option>
            <option value="coupon">{t('cockpit.presets.kinds.coupon')}</option>
            <option value="lucky_bag">{t('cockpit.presets.kinds.lucky_bag')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('cockpit.presets.name')}</label>
          <input id={ids.name} data-testid="preset-name" value={d.name} maxLength={40} placeholder={t(`cockpit.presets.namePlaceholder.${d.kind}`)} onChange={(e) => set({ name: e.target.value })} />
        </div>
      </div>
      {d.kind === 'flash_sale' ? (
        <>
          <div className="field">
            <label htmlFor={ids.sku}>{t('cockpit.presets.sku')}</label>
            <select id={ids.sku} data-testid="preset-sku" value={d.skuId} onChange={(e) => set({ skuId: e.target.value })}>
              <option value="">{t('cockpit.presets.pinnedSku')}</option>
              {skus.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="console-form-row">
            <NumberInput label={t('shop.console.flashPrice')} value={d.price} onChange={(v) => set({ price: v })} testId="preset-price" min={0.01} step="0.01" inputMode="decimal" />
            <NumberInput label={t('shop.console.flashStock')} value={d.stock} onChange={(v) => set({ stock: v })} testId="preset-stock" />
            <NumberInput label={t('shop.console.flashLimit')} value={d.limit} onChange={(v) => set({ limit: v })} testId="preset-limit" />
            <NumberInput label={t('shop.console.flashDuration')} value={d.duration} onChange={(v) => set({ duration: v })} testId="preset-duration" />
          </div>
        </>
      ) : d.kind === 'coupon' ? (
        <>
          <div className="field">
            <label htmlFor={ids.title}>{t('control.coupon.name')}</label>
            <input id={ids.title} data-testid="preset-coupon-title" value={d.title} maxLength={40} onChange={(e) => set({ title: e.target.value })} />
          </div>
          <div className="console-form-row">
            <NumberInput label={t('control.coupon.amount')} value={d.amount} onChange={(v) => set({ amount: v })} testId="preset-amount" min={0.01} step="0.01" inputMode="decimal" />
            <NumberInput label={t('control.coupon.total')} value={d.total} onChange={(v) => set({ total: v })} testId="preset-total" />
            <NumberInput label={t('control.coupon.seconds')} value={d.seconds} onChange={(v) => set({ seconds: v })} testId="preset-seconds" />
          </div>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor={ids.prize}>{t('control.luckyBag.prize')}</label>
            <input id={ids.prize} data-testid="preset-prize" value={d.prize} maxLength={60} onChange={(e) => set({ prize: e.target.value })} />
          </div>
          <div className="console-form-row">
            <NumberInput label={t('control.luckyBag.winnersLabel')} value={d.winners} onChange={(v) => set({ winners: v })} testId="preset-winners" />
            <NumberInput label={t('control.luckyBag.drawInLabel')} value={d.drawIn} onChange={(v) => set({ drawIn: v })} testId="preset-draw-in" />
          </div>
          <div className="choice-group">
            <label className={`choice${d.condition === 'follow' ? ' choice-active' : ''}`}>
              <input type="radio" name="preset-condition" checked={d.condition === 'follow'} onChange={() => set({ condition: 'follow' })} />
              {t('control.luckyBag.follow')}
            </label>
            <label className={`choice${d.condition === 'keyword' ? ' choice-active' : ''}`}>
              <input type="radio" name="preset-condition" checked={d.condition === 'keyword'} onChange={() => set({ condition: 'keyword' })} />
              {t('control.luckyBag.keyword')}
            </label>
          </div>
          {d.condition === 'keyword' ? (
            <div className="field">
              <label htmlFor={ids.keyword}>{t('control.luckyBag.keywordLabel')}</label>
              <input id={ids.keyword} data-testid="preset-keyword" value={d.keyword} maxLength={20} onChange={(e) => set({ keyword: e.target.value })} />
            </div>
          ) : null}
        </>
      )}
      <button type="submit" className="button button-small" data-testid="preset-save" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('cockpit.presets.save')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

export function PresetsPanel({ sessionId, shop, can, onLaunched }: { sessionId: string; shop: RoomShop; can: (right: Right) => boolean; onLaunched: () => void }) {
  const { t } = useTranslation();
  const list = useApi<{ presets: Preset[] }>(path`/api/rooms/${sessionId}/presets`);
  const launch = useAction();
  const remove = useAction();
  const summary = useSummary();
  const [editing, setEditing] = useState(false);
  const presets = list.data?.presets ?? [];
  const usable = presets.filter((p) => can(RIGHT_FOR[p.kind]));
  const manage = can('presets');

  const fire = (p: Preset) =>
    void launch.run(() => post(path`/api/rooms/${sessionId}/presets/${p.id}/launch`), t('cockpit.presets.launched', { name: p.name })).then((r) => {
      if (r === undefined) return;
      list.reload();
      onLaunched();
    });
  const drop = (p: Preset) => {
    if (!window.confirm(t('cockpit.presets.confirmDelete', { name: p.name }))) return;
    void remove.run(() => del(path`/api/rooms/${sessionId}/presets/${p.id}`)).then(() => list.reload());
  };

  return (
    <ConsoleCard
      title={t('cockpit.presets.title')}
      testId="cockpit-presets"
      aside={
        manage ? (
          <button type="button" className="button button-ghost button-small" data-testid="presets-manage" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
            {editing ? t('cockpit.presets.done') : t('cockpit.presets.manage')}
          </button>
        ) : null
      }
    >
      {list.status === 'error' && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : usable.length === 0 ? (
        <p className="muted" data-testid="presets-empty">
          {presets.length ? t('cockpit.presets.noneAllowed') : manage ? t('cockpit.presets.emptyManage') : t('cockpit.presets.empty')}
        </p>
      ) : (
        <ul className="cockpit-preset-grid">
          {usable.map((p) => (
            <li key={p.id} className={`cockpit-preset cockpit-preset-${p.kind}`}>
              <button type="button" className="cockpit-preset-button" data-testid="preset-launch" data-preset-id={p.id} data-kind={p.kind} disabled={launch.busy} onClick={() => fire(p)}>
                <span className="cockpit-preset-kind">{t(`cockpit.presets.kinds.${p.kind}`)}</span>
                <strong className="cockpit-preset-name">{p.name}</strong>
                <span className="cockpit-preset-summary">{summary(p)}</span>
              </button>
              {editing ? (
                <button type="button" className="link-button link-danger" data-testid="preset-delete" disabled={remove.busy} onClick={() => drop(p)}>
                  {t('shop.common.remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FormError error={launch.error} />
      {launch.done ? <FormSuccess>{launch.done}</FormSuccess> : null}
      <FormError error={remove.error} />
      {editing ? <PresetForm sessionId={sessionId} shop={shop} onSaved={list.reload} /> : null}
    </ConsoleCard>
  );
}
