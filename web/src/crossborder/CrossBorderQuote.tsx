// The cross-border part of the buy sheet (docs/CROSSBORDER.md): origin and mode, the tax class, the
// tax breakdown of the server's quote, the annual total, and the buyer's identity (or a link to verify).
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { crossBorderOf, pct } from './types';
import './crossborder.css';

export function CrossBorderQuote({ quote }: { quote: unknown }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cb = crossBorderOf(quote);
  if (!cb) return null;
  const first = cb.lines[0];
  const left = cb.annualLimitFen - cb.annualUsedFen - cb.dutiableFen;
  return (
    <section className="crossborder-quote" data-testid="crossborder-quote" data-regime={cb.regime} aria-label={t('crossborder.badge')}>
      {first ? (
        <p className="crossborder-facts">
          <span className="crossborder-badge">{t('crossborder.badge')}</span> <span data-testid="crossborder-origin">{t('crossborder.origin', { country: t(`crossborder.countries.${first.originCountry as 'AU'}`, { defaultValue: first.originCountry }) })}</span> ·{' '}
          <span data-testid="crossborder-mode">{t(`crossborder.mode.${first.mode}`)}</span>
        </p>
      ) : null}
      {first ? <p className="muted crossborder-small">{t('crossborder.taxClass', { vat: pct(first.vatRateBp), ct: pct(first.consumptionTaxRateBp), rate: pct(Math.round(((first.vatRateBp + first.consumptionTaxRateBp) * 7000) / (10_000 - first.consumptionTaxRateBp))) })}</p> : null}
      <dl className="quote crossborder-tax">
        <dt>{t('crossborder.dutiable')}</dt>
        <dd data-testid="crossborder-dutiable">{fmt.fen(cb.dutiableFen)}</dd>
        {cb.tariffFen > 0 ? (
          <>
            <dt>{t('crossborder.tariff')}</dt>
            <dd>{fmt.fen(cb.tariffFen)}</dd>
          </>
        ) : null}
        {cb.consumptionTaxFen > 0 ? (
          <>
            <dt>{t('crossborder.consumptionTax')}</dt>
            <dd>{fmt.fen(cb.consumptionTaxFen)}</dd>
          </>
        ) : null}
        <dt>{t('crossborder.vat')}</dt>
        <dd>{fmt.fen(cb.vatFen)}</dd>
        <dt>
          <strong>{t('crossborder.tax')}</strong>
        </dt>
        <dd data-testid="crossborder-tax" data-fen={cb.taxFen}>
          <strong>{fmt.fen(cb.taxFen)}</strong>
        </dd>
      </dl>
      <p className="muted crossborder-small">{t('crossborder.taxNote', { regime: t(`crossborder.regime.${cb.regime}`), rounding: t('crossborder.rounding') })}</p>
      <p className="muted crossborder-small">{t('crossborder.limits')}</p>
      {cb.identity ? (
        <p className="crossborder-small" data-testid="crossborder-identity">
          {t('crossborder.verifiedAs', { name: cb.identity.realName, id: cb.identity.idNumberMasked })} · {t('crossborder.annual', { year: cb.year, used: fmt.fen(cb.annualUsedFen), limit: fmt.fen(cb.annualLimitFen), left: fmt.fen(Math.max(0, left)) })}
        </p>
      ) : (
        <p className="crossborder-small" data-testid="crossborder-verify">
          {t('crossborder.verifyFirst')} <Link to="/crossborder/identity">{t('crossborder.verifyLink')}</Link>
        </p>
      )}
    </section>
  );
}
