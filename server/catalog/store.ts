import type { Db } from '../platform/db.ts';
import type { Updateable } from 'kysely';
import type { ProductsTable, SkusTable } from '../platform/db-types.ts';

export function createCatalogStore(db: Db) {
  return {
    /** A product without a kind is a parcel ('goods'). */
    async insertProduct(product: Omit<ProductsTable, 'kind'> & { kind?: ProductsTable['kind'] }, skus: SkusTable[]) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('products').values({ kind: 'goods', ...product }).execute();
        if (skus.length) await trx.insertInto('skus').values(skus).execute();
      });
    },
    findProduct(id: string) {
      return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findSku(id: string) {
      return db.selectFrom('skus').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async updateProduct(id: string, patch: Updateable<ProductsTable>) {
      await db.updateTable('products').set(patch).where('id', '=', id).execute();
    },
    async updateSku(id: string, patch: Updateable<SkusTable>) {
      await db.updateTable('skus').set(patch).where('id', '=', id).execute();
    },
    async listProductsWithSkus(brandOrgId: string) {
      const products = await db.selectFrom('products').selectAll().where('brand_org_id', '=', brandOrgId).orderBy('created_at').execute();
      const skus = products.length
        ? await db.selectFrom('skus').selectAll().where('product_id', 'in', products.map((p) => p.id)).orderBy('created_at').execute()
        : [];
      return products.map((p) => ({
        id: p.id,
        title: p.title,
        description: p.description,
        category: p.category,
        images: JSON.parse(p.images) as string[],
        returnPolicy: p.return_policy,
        status: p.status,
        skus: skus
          .filter((s) => s.product_id === p.id)
          .map((s) => ({ id: s.id, spec: JSON.parse(s.spec) as Record<string, string>, priceFen: s.price_fen, stock: s.stock })),
      }));
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
