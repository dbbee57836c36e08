export type Tier = { minQty: number; unitPriceFen: number };
export type WholesaleView = {
  product: {
    id: string;
    title: string;
    description: string;
    images: string[];
    brand: { id: string; name: string };
    skus: { id: string; spec: Record<string, string>; suggestedRetailFen: number; stock: number }[];
    moq: number;
    samples: { limit: number; priceFen?: number } | null;
    tiers: Tier[] | null;
  };
  qualified: boolean;
  licenceStatus: 'pending' | 'approved' | 'rejected' | null;
};
export type Licence = { id: string; companyName: string; creditCode: string; status: 'pending' | 'approved' | 'rejected'; reason: string | null };
export type Rfq = {
  id: string;
  productId: string;
  productTitle: string | null;
  quantity: number;
  targetPriceFen: number | null;
  note: string;
  status: 'open' | 'quoted' | 'ordered' | 'declined';
  quote: { unitPriceFen: number; totalFen: number; note: string | null; validUntil: string | null } | null;
  orderId: string | null;
  createdAt: string;
};
export type Lead = { id: string; sessionId: string; productId: string | null; name: string; contact: string; company: string; need: string; createdAt: string };

/** The tier for a quantity: the one with the largest minQty not above it (server/b2b/service.ts tierPrice). */
export function tierPrice(tiers: Tier[], quantity: number): number {
  let price = tiers[0]!.unitPriceFen;
  for (const t of tiers) if (quantity >= t.minQty) price = t.unitPriceFen;
  return price;
}
export const specText = (spec: Record<string, string>) => Object.values(spec).join(' / ');
