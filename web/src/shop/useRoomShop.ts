import { useCallback, useEffect, useRef, useState } from 'react';
import { get, isAbort, path } from '../api';
import type { Room } from '../room/useRoom';
import type { FlashSale, RoomProductsResponse, RoomShopProduct } from './types';

export type RoomShop = {
  /** The room's products with SKUs, brand and return policy, in link order; null until read. */
  products: RoomShopProduct[] | null;
  flashSales: FlashSale[];
  reload: () => void;
};

function isFullProduct(p: unknown): p is RoomShopProduct {
  return !!p && typeof p === 'object' && Array.isArray((p as RoomShopProduct).skus) && !!(p as RoomShopProduct).brand;
}

function byLink(a: RoomShopProduct, b: RoomShopProduct): number {
  return (a.link ?? 0) - (b.link ?? 0);
}

/**
 * The room's shop: `GET /api/rooms/:id/products` once, again whenever the list changes
 * (`products` event) or the socket comes back, and flash sales kept current from
 * `flash.started` / `flash.stock` / `flash.ended`.
 */
export function useRoomShop(sessionId: string, room: Room | null): RoomShop {
  const [products, setProducts] = useState<RoomShopProduct[] | null>(null);
  const [flashSales, setFlashSales] = useState<FlashSale[]>([]);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  // Stock that arrived before the sale itself (events may overtake the GET).
  const pendingStock = useRef(new Map<string, number>());

  useEffect(() => {
    if (!sessionId) return;
    const ac = new AbortController();
    get<RoomProductsResponse>(path`/api/rooms/${sessionId}/products`, ac.signal).then(
      (res) => {
        const list = Array.isArray(res?.products) ? res.products.filter(isFullProduct) : [];
        setProducts([...list].sort(byLink));
        const sales = Array.isArray(res?.flashSales) ? res.flashSales : [];
        setFlashSales(sales.map((s) => (pendingStock.current.has(s.id) ? { ...s, remaining: Math.min(s.remaining, pendingStock.current.get(s.id)!) } : s)));
      },
      (e: unknown) => {
        if (isAbort(e) || ac.signal.aborted) return;
        setProducts((p) => p ?? []);
      },
    );
    return () => ac.abort();
  }, [sessionId, nonce]);

  const subscribe = room?.subscribe;
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((ev) => {
      const e = ev as { type: string } & Record<string, unknown>;
      switch (e.type) {
        case 'products': {
          const list = Array.isArray(e.products) ? (e.products as unknown[]) : null;
          if (list && list.every(isFullProduct)) setProducts([...(list as RoomShopProduct[])].sort(byLink));
          else reload();
          return;
        }
        case 'flash.started': {
          const sale = e.flashSale as FlashSale | undefined;
          if (!sale || typeof sale.id !== 'string') return;
          setFlashSales((list) => [...list.filter((s) => s.id !== sale.id), sale]);
          return;
        }
        case 'flash.stock': {
          const saleId = typeof e.saleId === 'string' ? e.saleId : null;
          const remaining = typeof e.remaining === 'number' ? e.remaining : null;
          if (!saleId || remaining === null) return;
          setFlashSales((list) => {
            if (!list.some((s) => s.id === saleId)) {
              pendingStock.current.set(saleId, remaining);
              return list;
            }
            return list.map((s) => (s.id === saleId ? { ...s, remaining } : s));
          });
          return;
        }
        case 'flash.ended': {
          const saleId = typeof e.saleId === 'string' ? e.saleId : (e.flashSale as FlashSale | undefined)?.id;
          if (saleId) setFlashSales((list) => list.filter((s) => s.id !== saleId));
          return;
        }
        default:
          return;
      }
    });
  }, [subscribe, reload]);

  // Back from a lost connection: events may have been missed.
  const connection = room?.connection;
  const state = useRef<'never' | 'open' | 'dropped'>('never');
  useEffect(() => {
    if (connection === undefined) return;
    if (connection === 'open') {
      if (state.current === 'dropped') reload();
      state.current = 'open';
    } else if (state.current === 'open') state.current = 'dropped';
  }, [connection, reload]);

  return { products, flashSales, reload };
}
