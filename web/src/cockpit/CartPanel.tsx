// The 小黄车 at a glance: what is being explained (讲解中), one tap to pin the next link, and a pin
// button on each product.
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError } from '../shared/Field';
import { Empty } from '../shared/Status';
import { safeImageUrl } from '../shared/urls';
import { ConsoleCard, yuan } from '../room/parts';
import type { RoomProduct, RoomState } from '../room/types';
import { useAction } from '../shop/parts';

/** The link after the pinned one (the first when none is pinned, again the first after the last). */
export function nextProduct(products: RoomProduct[], pinnedId: string | null): RoomProduct | null {
  if (!products.length) return null;
  const at = pinnedId ? products.findIndex((p) => p.id === pinnedId) : -1;
  return products[(at + 1) % products.length] ?? null;
}

function ProductRow({ product, pinned, busy, canPin, onPin }: { product: RoomProduct; pinned: boolean; busy: boolean; canPin: boolean; onPin: () => void }) {
  const { t } = useTranslation();
  const img = safeImageUrl(product.image);
  return (
    <li className={`console-product${pinned ? ' is-pinned' : ''}`} data-testid="console-product" data-product-id={product.id}>
      <span className="cart-link-no">{product.link}</span>
      {img ? <img className="room-product-img" src={img} alt="" loading="lazy" referrerPolicy="no-referrer" /> : <span className="room-product-img room-product-img-empty" aria-hidden="true" />}
      <div className="cart-body">
        <p className="cart-title">{product.title}</p>
        <p className="room-price">
          {typeof product.livePriceFen === 'number' ? (
            <>
              <span className="price">{yuan(product.livePriceFen)}</span> <s className="muted price-was">{yuan(product.priceFen)}</s>
            </>
          ) : (
            <span className="price">{yuan(product.priceFen)}</span>
          )}
        </p>
      </div>
      {pinned ? (
        <span className="pinned-badge">{t('room.explaining')}</span>
      ) : canPin ? (
        <button type="button" className="button button-secondary button-small" data-testid="pin-product" disabled={busy} onClick={onPin}>
          {t('control.products.pin')}
        </button>
      ) : null}
    </li>
  );
}

export function CartPanel({ sessionId, state, canPin }: { sessionId: string; state: RoomState | null; canPin: boolean }) {
  const { t } = useTranslation();
  const action = useAction();
  const products = state?.products ?? [];
  const pinned = state?.pinned ?? null;
  const next = nextProduct(products, pinned?.id ?? null);
  const pin = (productId: string | null) => void action.run(() => post(path`/api/rooms/${sessionId}/pin`, { productId }));
  return (
    <ConsoleCard
      title={t('control.products.title')}
      testId="console-products"
      aside={
        canPin && next && next.id !== pinned?.id ? (
          <button type="button" className="button button-small cockpit-pin-next" data-testid="pin-next" data-product-id={next.id} disabled={action.busy} onClick={() => pin(next.id)}>
            {t('cockpit.cart.pinNext', { link: next.link })}
          </button>
        ) : null
      }
    >
      {pinned ? (
        <div className="console-pinned" data-testid="console-pinned" data-product-id={pinned.id}>
          <span>
            <span className="pinned-badge">{t('room.explaining')}</span> {pinned.link}. {pinned.title}
          </span>
          {canPin ? (
            <button type="button" className="button button-ghost button-small" data-testid="unpin" disabled={action.busy} onClick={() => pin(null)}>
              {t('control.products.unpin')}
            </button>
          ) : null}
        </div>
      ) : (
        <p className="muted">{t('control.products.nonePinned')}</p>
      )}
      {!state ? null : products.length === 0 ? (
        <Empty testId="console-products-empty">{t('control.products.empty')}</Empty>
      ) : (
        <ol className="console-product-list cockpit-cart-list">
          {products.map((p) => (
            <ProductRow key={p.id} product={p} pinned={p.id === pinned?.id} busy={action.busy} canPin={canPin} onPin={() => pin(p.id)} />
          ))}
        </ol>
      )}
      <FormError error={action.error} />
    </ConsoleCard>
  );
}
