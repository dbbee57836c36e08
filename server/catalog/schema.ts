import { z } from 'zod';

const priceFen = z.number().int().min(1).max(1_000_000_000);
const stock = z.number().int().min(0).max(10_000_000);
export const ReturnPolicySchema = z.enum(['standard', 'excluded', 'confirm']);

export const SkuInput = z.strictObject({
  /** e.g. { 颜色: '玉兰粉', 容量: '30ml' } */
  spec: z.record(z.string().trim().min(1).max(20), z.string().trim().min(1).max(40)).refine((s) => Object.keys(s).length <= 4),
  priceFen,
  stock,
});

export const CreateProductBody = z.strictObject({
  title: z.string().trim().min(2).max(60),
  description: z.string().trim().max(5000).default(''),
  category: z.string().trim().min(1).max(40),
  images: z.array(z.url().max(500)).max(9).default([]),
  returnPolicy: ReturnPolicySchema.default('standard'),
  skus: z.array(SkuInput).min(1).max(100),
});

export const UpdateProductBody = z.strictObject({
  title: z.string().trim().min(2).max(60).optional(),
  description: z.string().trim().max(5000).optional(),
  category: z.string().trim().min(1).max(40).optional(),
  returnPolicy: ReturnPolicySchema.optional(),
  status: z.enum(['on_sale', 'off_sale']).optional(),
});

export const UpdateSkuBody = z.strictObject({ priceFen: priceFen.optional(), stock: stock.optional() });

export const ProductParams = z.strictObject({ orgId: z.string().min(1).max(64), productId: z.string().min(1).max(64) });
export const SkuParams = z.strictObject({ orgId: z.string().min(1).max(64), productId: z.string().min(1).max(64), skuId: z.string().min(1).max(64) });
