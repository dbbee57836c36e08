// The rules a buyer reads before paying anything: the deposit's refund rule, the balance window, the expansion, and the brand's own text.
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import type { Presale } from './types';

export function PresaleRules({ presale: p }: { presale: Presale }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card presale-rules" data-testid="presale-rules" aria-labelledby="presale-rules-title">
      <h2 id="presale-rules-title">{t('presale.rulesTitle')}</h2>
      <ol>
        <li data-testid="presale-rule-deposit">{t('presale.ruleDeposit')}</li>
        <li data-testid="presale-rule-balance">{t('presale.ruleBalance', { from: f.dateTime(p.balanceStartsAt), to: f.dateTime(p.balanceEndsAt) })}</li>
        <li data-testid="presale-rule-expansion">{t('presale.ruleExpansion', { deposit: f.fen(p.depositFen), expansion: f.fen(p.expansionFen), final: f.fen(p.finalPriceFen), balance: f.fen(p.balanceFen) })}</li>
        <li>{t('presale.ships', { count: p.shipWithinDays })}</li>
      </ol>
      <h3>{t('presale.brandRules')}</h3>
      <p className="presale-brand-rules">{p.rules}</p>
    </section>
  );
}
