/** What the checkout quote's kindData says of a cross-border order (server/crossborder/index.ts). */
export type CrossBorderLine = {
  productId: string;
  originCountry: string;
  mode: 'bonded' | 'direct';
  vatRateBp: number;
  consumptionTaxRateBp: number;
  tariffRateBp: number;
  dutiableFen: number;
  taxFen: number;
};

export type CrossBorderData = {
  regime: 'retail' | 'general';
  dutiableFen: number;
  taxFen: number;
  tariffFen: number;
  consumptionTaxFen: number;
  vatFen: number;
  lines: CrossBorderLine[];
  year: number;
  transactionLimitFen: number;
  annualLimitFen: number;
  annualUsedFen: number;
  identity: { realName: string; idNumberMasked: string } | null;
};

export type CrossBorderProduct = {
  productId: string;
  originCountry: string;
  mode: 'bonded' | 'direct';
  vatRateBp: number;
  consumptionTaxRateBp: number;
  tariffRateBp: number;
  indivisible: boolean;
  hsCode: string;
  retailRateBp: number;
};

export type IdentityState = {
  identity: { realName: string; idNumberMasked: string; birthDate: string; verifiedAt: string } | null;
  year: number;
  annualUsedFen: number;
  annualLimitFen: number;
  transactionLimitFen: number;
};

export const pct = (bp: number) => (bp / 100).toFixed(bp % 100 === 0 ? 0 : bp % 10 === 0 ? 1 : 2);

/** The cross-border part of a quote or order, or null for other kinds. */
export function crossBorderOf(q: unknown): CrossBorderData | null {
  const v = q as { kind?: string; kindData?: unknown } | null;
  return v?.kind === 'crossborder' && v.kindData ? (v.kindData as CrossBorderData) : null;
}
