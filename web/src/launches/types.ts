export type Level = 'global' | 'asia' | 'china' | 'shanghai';

export type Launch = {
  id: string;
  brandOrgId: string;
  brandName: string;
  title: string;
  description: string;
  level: Level;
  launchAt: string;
  teaserUrl: string | null;
  coverUrl: string | null;
  product: { id: string; title: string; skuId: string; spec: Record<string, string>; priceFen: number };
  session: { id: string; title: string; status: string; scheduledAt: string; streamerId: string };
  firstRelease: { flashSaleId: string; priceFen: number; stock: number; remaining: number; perUserLimit: number; endsAt: string };
  reservations: number;
  reserved: boolean | null;
};
