import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { ReturnPolicy } from '../platform/db-types.ts';
import type { CatalogStore } from './store.ts';

export type NewProduct = {
  title: string;
  description: string;
  category: string;
  images: string[];
  returnPolicy: ReturnPolicy;
  skus: { spec: Record<string, string>; priceFen: number; stock: number }[];
};

export function createCatalogService(deps: { store: CatalogStore; clock: Clock }) {
  const { store, clock } = deps;

  async function ownProduct(brandOrgId: string, productId: string) {
    const product = await store.findProduct(productId);
    // Another brand's product looks the same as a missing one.
    if (!product || product.brand_org_id !== brandOrgId) throw new AppError('PRODUCT_NOT_FOUND');
    return product;
  }

  async function view(brandOrgId: string, productId: string) {
    return (await store.listProductsWithSkus(brandOrgId)).find((p) => p.id === productId)!;
  }

  return {
    async create(brandOrgId: string, input: NewProduct) {
      const now = clock.now().toISOString();
      const id = newId();
      await store.insertProduct(
        { id, brand_org_id: brandOrgId, title: input.title, description: input.description, category: input.category, images: JSON.stringify(input.images), return_policy: input.returnPolicy, status: 'on_sale', created_at: now },
        input.skus.map((sku) => ({ id: newId(), product_id: id, spec: JSON.stringify(sku.spec), price_fen: sku.priceFen, stock: sku.stock, created_at: now })),
      );
      return view(brandOrgId, id);
    },

    async update(brandOrgId: string, productId: string, patch: { title?: string; description?: string; category?: string; returnPolicy?: ReturnPolicy; status?: 'on_sale' | 'off_sale' }) {
      await ownProduct(brandOrgId, productId);
      await store.updateProduct(productId, {
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.category !== undefined && { category: patch.category }),
        ...(patch.returnPolicy !== undefined && { return_policy: patch.returnPolicy }),
        ...(patch.status !== undefined && { status: patch.status }),
      });
      return view(brandOrgId, productId);
    },

    async updateSku(brandOrgId: string, productId: string, skuId: string, patch: { priceFen?: number; stock?: number }) {
      await ownProduct(brandOrgId, productId);
      const sku = await store.findSku(skuId);
      if (!sku || sku.product_id !== productId) throw new AppError('SKU_NOT_FOUND');
      await store.updateSku(skuId, {
        ...(patch.priceFen !== undefined && { price_fen: patch.priceFen }),
        ...(patch.stock !== undefined && { stock: patch.stock }),
      });
      return view(brandOrgId, productId);
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
