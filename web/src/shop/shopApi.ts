// Calls for the shopping feature (docs/COMMERCE.md). Everything goes through the one fetch wrapper.
import { apiWithHeaders, path, post } from '../api';
import { safeHttpUrl } from '../shared/urls';
import type { Address, AddressInput, CheckoutInput, Order, Quote } from './types';

/** A fresh Idempotency-Key (8–64 chars). `crypto.randomUUID` needs a secure context; fall back to random bytes. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One key per submission: the same body asks with the same key (a retry after a lost answer
 * gets the same order back), a different body gets a new key.
 */
export class IdempotencyKeys {
  private body: string | null = null;
  private key: string | null = null;
  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.key === null || this.body !== text) {
      this.body = text;
      this.key = newIdempotencyKey();
    }
    return this.key;
  }
  reset(): void {
    this.body = null;
    this.key = null;
  }
}

export function quote(input: CheckoutInput, signal?: AbortSignal): Promise<{ quote: Quote }> {
  return apiWithHeaders<{ quote: Quote }>('POST', '/api/checkout/quote', input, {}, signal);
}

export function createOrder(input: CheckoutInput, idempotencyKey: string): Promise<{ order: Order }> {
  return apiWithHeaders<{ order: Order }>('POST', '/api/orders', input, { 'idempotency-key': idempotencyKey });
}

export function buyFlash(saleId: string, body: { quantity: number; addressId?: string }, idempotencyKey: string): Promise<{ order: Order }> {
  return apiWithHeaders<{ order: Order }>('POST', path`/api/flash-sales/${saleId}/orders`, body, { 'idempotency-key': idempotencyKey });
}

/** Open the payment and send the browser to the provider's page. */
export async function payAndGo(orderId: string): Promise<void> {
  const res = await post<{ payUrl: string; paymentId: string }>(path`/api/orders/${orderId}/pay`);
  const url = safeHttpUrl(res?.payUrl); // only a same-site path or an http(s) address is followed
  if (!url) throw new Error('no payUrl');
  window.location.assign(url);
}

export function addAddress(input: AddressInput): Promise<{ address: Address }> {
  return post<{ address: Address }>('/api/me/addresses', input);
}

/** "口味: 原味 / 规格: 6枚装" */
export function specText(spec: Record<string, string> | null | undefined): string {
  if (!spec || typeof spec !== 'object') return '';
  return Object.entries(spec)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' / ');
}

/** Just the values ("250g 铁盒 / 原味"), where the dimension names are already on screen. */
export function specValues(spec: Record<string, string> | null | undefined): string {
  if (!spec || typeof spec !== 'object') return '';
  return Object.values(spec).map(String).join(' / ');
}

/** The unit price a viewer pays in the live: the live price when set, else the SKU price. */
export function unitFen(sku: { priceFen: number; livePriceFen: number | null }): number {
  return typeof sku.livePriceFen === 'number' ? sku.livePriceFen : sku.priceFen;
}
