import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, patch, path } from '../api';
import { FormError } from '../shared/Field';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { ShopLinks } from './ShopLinks';
import { AddressForm, AddressLine, useAction, useAddresses } from './parts';

/** 收货地址: list, add, make default, delete. */
export function AddressesPage() {
  const { t } = useTranslation();
  const addr = useAddresses(true);
  const [adding, setAdding] = useState(false);
  const action = useAction();
  const list = addr.addresses;

  const makeDefault = (id: string) => void action.run(() => patch(path`/api/me/addresses/${id}`, { isDefault: true })).then((r) => r !== undefined && addr.reload());
  const remove = (id: string) => {
    if (!window.confirm(t('shop.address.confirmDelete'))) return;
    void action.run(() => del(path`/api/me/addresses/${id}`)).then(() => addr.reload());
  };

  return (
    <div className="page page-narrow shop-page" data-testid="addresses-page">
      <header className="page-header">
        <h1>{t('shop.address.title')}</h1>
        <ShopLinks />
      </header>
      <section className="card">
        {addr.error && list === null ? (
          <ErrorNotice error={addr.error} onRetry={addr.reload} />
        ) : list === null ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty testId="addresses-empty">{t('shop.address.none')}</Empty>
        ) : (
          <ul className="address-list" data-testid="addresses">
            {list.map((a) => (
              <li key={a.id} className="address-row" data-testid="address-row" data-address-id={a.id} data-default={String(a.isDefault)}>
                <AddressLine address={a} />
                <span className="address-actions">
                  {a.isDefault ? (
                    <span className="tag">{t('shop.address.default')}</span>
                  ) : (
                    <button type="button" className="link-button" data-testid="address-make-default" disabled={action.busy} onClick={() => makeDefault(a.id)}>
                      {t('shop.address.setDefault')}
                    </button>
                  )}
                  <button type="button" className="link-button link-danger" data-testid="address-delete" disabled={action.busy} onClick={() => remove(a.id)}>
                    {t('shop.address.delete')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
        <FormError error={action.error} />
        {adding ? (
          <AddressForm
            defaultChecked={list?.length === 0}
            onCancel={() => setAdding(false)}
            onSaved={() => {
              setAdding(false);
              addr.reload();
            }}
          />
        ) : (
          <button type="button" className="button button-small" data-testid="address-add" onClick={() => setAdding(true)}>
            + {t('shop.address.add')}
          </button>
        )}
      </section>
    </div>
  );
}
