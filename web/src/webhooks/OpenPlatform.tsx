import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, patch, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import './webhooks.css';

/** The open platform tab of a brand's console (docs/WEBHOOKS.md): API keys, webhook endpoints and their delivery log. */
const SCOPES = ['events:read', 'orders:read', 'products:write'] as const;
const EVENT_TYPES = ['order.paid', 'order.shipped', 'order.delivered', 'order.completed', 'order.cancelled', 'order.refunded'] as const;
type Scope = (typeof SCOPES)[number];
type EventType = (typeof EVENT_TYPES)[number];

type ApiKey = { id: string; name: string; prefix: string; scopes: Scope[]; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
type Endpoint = { id: string; url: string; description: string; eventTypes: EventType[]; enabled: boolean; createdAt: string; deliveries: { pending: number; delivered: number; failed: number } };
type Delivery = {
  id: string;
  endpointId: string;
  url: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
};

/** A secret shown once, with a copy button. */
function SecretOnce({ secret, note, testId }: { secret: string; note: string; testId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice notice-warning webhooks-secret" role="status" data-testid={testId}>
      <p>{note}</p>
      <code className="mono" data-testid={`${testId}-value`}>
        {secret}
      </code>{' '}
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined)}
      >
        {copied ? t('webhooks.copied') : t('webhooks.copy')}
      </button>
    </div>
  );
}

function Checks<T extends string>({ legend, values, chosen, onChange, testId }: { legend: string; values: readonly T[]; chosen: T[]; onChange: (v: T[]) => void; testId: string }) {
  return (
    <fieldset className="webhooks-checks" data-testid={testId}>
      <legend>{legend}</legend>
      <ul className="check-list">
        {values.map((v) => (
          <li key={v}>
            <label>
              <input type="checkbox" value={v} checked={chosen.includes(v)} onChange={(e) => onChange(e.target.checked ? [...chosen, v] : chosen.filter((x) => x !== v))} />{' '}
              <span className="mono">{v}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function ApiKeys({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>(path`/api/orgs/${orgId}/api-keys`);
  const keys = listFrom<ApiKey>(state.data, 'apiKeys');
  const create = useAction();
  const revoke = useAction();
  const nameId = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['orders:read', 'events:read']);
  const [secret, setSecret] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return create.fail(t('webhooks.keys.needName'));
    if (!scopes.length) return create.fail(t('webhooks.keys.needScope'));
    const res = await create.run(() => post<{ secret: string }>(path`/api/orgs/${orgId}/api-keys`, { name: name.trim(), scopes }));
    if (res) {
      setSecret(res.secret);
      setName('');
      state.reload();
    }
  };

  const onRevoke = async (key: ApiKey) => {
    if (!window.confirm(t('webhooks.keys.confirmRevoke', { name: key.name }))) return;
    await revoke.run(() => post(path`/api/orgs/${orgId}/api-keys/${key.id}/revoke`), t('webhooks.keys.revoked'));
    state.reload();
  };

  return (
    <section className="webhooks-section" data-testid="api-keys">
      <h3>{t('webhooks.keys.title')}</h3>
      <p className="muted">{t('webhooks.keys.intro')}</p>
      {secret ? <SecretOnce secret={secret} note={t('webhooks.keys.shownOnce')} testId="api-key-secret" /> : null}
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : keys.length === 0 ? (
        <Empty testId="api-keys-empty">{t('webhooks.keys.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.keys.name')}</th>
                <th scope="col">{t('webhooks.keys.prefix')}</th>
                <th scope="col">{t('webhooks.keys.scopes')}</th>
                <th scope="col">{t('webhooks.keys.created')}</th>
                <th scope="col">{t('webhooks.keys.lastUsed')}</th>
                <th scope="col">
                  <span className="sr-only">{t('webhooks.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid="api-key-row" data-revoked={k.revokedAt ? 'true' : 'false'}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td className="mono">{k.scopes.join(' ')}</td>
                  <td>{fmt.timestamp(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? fmt.timestamp(k.lastUsedAt) : t('webhooks.keys.never')}</td>
                  <td className="actions">
                    {k.revokedAt ? (
                      <span className="tag tag-muted">{t('webhooks.keys.revokedAt', { at: fmt.timestamp(k.revokedAt) })}</span>
                    ) : (
                      <button type="button" className="button button-danger button-small" data-testid="api-key-revoke" disabled={revoke.busy} onClick={() => void onRevoke(k)}>
                        {t('webhooks.keys.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={revoke.error} />
      {revoke.done ? <FormSuccess>{revoke.done}</FormSuccess> : null}
      <form className="webhooks-form" data-testid="api-key-form" onSubmit={(e) => void submit(e)} noValidate>
        <h4>{t('webhooks.keys.create')}</h4>
        <div className="field">
          <label htmlFor={nameId}>{t('webhooks.keys.name')}</label>
          <input id={nameId} data-testid="api-key-name" value={name} maxLength={60} placeholder={t('webhooks.keys.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </div>
        <Checks legend={t('webhooks.keys.scopes')} values={SCOPES} chosen={scopes} onChange={setScopes} testId="api-key-scopes" />
        <button type="submit" className="button button-small" data-testid="api-key-submit" disabled={create.busy}>
          {t('webhooks.keys.submit')}
        </button>
        <FormError error={create.error} />
      </form>
    </section>
  );
}

function DeliveryLog({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>(`${path`/api/orgs/${orgId}/webhook-deliveries`}?limit=50`);
  const deliveries = listFrom<Delivery>(state.data, 'deliveries');
  const resend = useAction();
  const onResend = async (d: Delivery) => {
    await resend.run(() => post(path`/api/orgs/${orgId}/webhook-deliveries/${d.id}/resend`), t('webhooks.log.resent'));
    state.reload();
  };
  return (
    <section className="webhooks-section" data-testid="webhook-log">
      <div className="webhooks-heading">
        <h3>{t('webhooks.log.title')}</h3>
        <button type="button" className="button button-ghost button-small" onClick={state.reload}>
          {t('webhooks.log.refresh')}
        </button>
      </div>
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : deliveries.length === 0 ? (
        <Empty testId="webhook-log-empty">{t('webhooks.log.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.log.event')}</th>
                <th scope="col">{t('webhooks.log.endpoint')}</th>
                <th scope="col">{t('webhooks.log.status')}</th>
                <th scope="col">{t('webhooks.log.attempts')}</th>
                <th scope="col">{t('webhooks.log.last')}</th>
                <th scope="col">{t('webhooks.log.next')}</th>
                <th scope="col">
                  <span className="sr-only">{t('webhooks.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                  <td>
                    <span className="mono">{d.eventType}</span>
                    <br />
                    <small className="muted mono" title={t('webhooks.log.eventId')}>
                      {d.eventId}
                    </small>
                  </td>
                  <td className="mono webhooks-url">{d.url}</td>
                  <td>
                    <span className={`tag ${d.status === 'delivered' ? '' : d.status === 'failed' ? 'tag-warning' : 'tag-muted'}`}>{t(`webhooks.log.statuses.${d.status}`)}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.lastAttemptAt ? fmt.timestamp(d.lastAttemptAt) : '—'}
                    {d.lastStatusCode !== null || d.lastError ? (
                      <>
                        <br />
                        <small className="muted">{[d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : null, d.lastStatusCode === null ? d.lastError : null].filter(Boolean).join(' · ')}</small>
                      </>
                    ) : null}
                  </td>
                  <td>{d.nextAttemptAt ? fmt.timestamp(d.nextAttemptAt) : '—'}</td>
                  <td className="actions">
                    <button type="button" className="button button-secondary button-small" data-testid="webhook-resend" disabled={resend.busy} onClick={() => void onResend(d)}>
                      {t('webhooks.log.resend')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={resend.error} />
      {resend.done ? <FormSuccess>{resend.done}</FormSuccess> : null}
    </section>
  );
}

function Endpoints({ orgId, onChanged }: { orgId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const state = useApi<unknown>(path`/api/orgs/${orgId}/webhooks`);
  const endpoints = listFrom<Endpoint>(state.data, 'endpoints');
  const create = useAction();
  const act = useAction();
  const urlId = useId();
  const descId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventType[]>(['order.paid', 'order.shipped']);
  const [secret, setSecret] = useState<{ note: string; value: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^https?:\/\//i.test(url.trim())) return create.fail(t('webhooks.endpoints.badUrl'));
    if (!types.length) return create.fail(t('webhooks.endpoints.needType'));
    const res = await create.run(() => post<{ secret: string }>(path`/api/orgs/${orgId}/webhooks`, { url: url.trim(), description: description.trim(), eventTypes: types }));
    if (res) {
      setSecret({ note: t('webhooks.endpoints.shownOnce'), value: res.secret });
      setUrl('');
      setDescription('');
      state.reload();
    }
  };
  const reveal = async (ep: Endpoint) => {
    const res = await act.run(() => post<{ secret: string }>(path`/api/orgs/${orgId}/webhooks/${ep.id}/reveal-secret`));
    if (res) setSecret({ note: t('webhooks.endpoints.secretOf', { url: ep.url }), value: res.secret });
  };
  const toggle = async (ep: Endpoint) => {
    await act.run(() => patch(path`/api/orgs/${orgId}/webhooks/${ep.id}`, { enabled: !ep.enabled }));
    state.reload();
  };
  const remove = async (ep: Endpoint) => {
    if (!window.confirm(t('webhooks.endpoints.confirmDelete', { url: ep.url }))) return;
    await act.run(() => del(path`/api/orgs/${orgId}/webhooks/${ep.id}`));
    state.reload();
    onChanged();
  };

  return (
    <section className="webhooks-section" data-testid="webhook-endpoints">
      <h3>{t('webhooks.endpoints.title')}</h3>
      <p className="muted">{t('webhooks.endpoints.intro')}</p>
      {secret ? <SecretOnce secret={secret.value} note={secret.note} testId="webhook-secret" /> : null}
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : endpoints.length === 0 ? (
        <Empty testId="webhook-endpoints-empty">{t('webhooks.endpoints.empty')}</Empty>
      ) : (
        <ul className="plain-list webhooks-endpoints">
          {endpoints.map((ep) => (
            <li key={ep.id} className="card webhooks-endpoint" data-testid="webhook-endpoint" data-enabled={ep.enabled ? 'true' : 'false'}>
              <p className="mono webhooks-url">{ep.url}</p>
              {ep.description ? <p className="muted">{ep.description}</p> : null}
              <p className="mono">{ep.eventTypes.join(' ')}</p>
              <p>
                <span className={`tag ${ep.enabled ? '' : 'tag-muted'}`}>{ep.enabled ? t('webhooks.endpoints.enabled') : t('webhooks.endpoints.disabled')}</span>{' '}
                <small className="muted">{t('webhooks.endpoints.counts', ep.deliveries)}</small>
              </p>
              <div className="button-row">
                <button type="button" className="button button-secondary button-small" data-testid="webhook-reveal" disabled={act.busy} onClick={() => void reveal(ep)}>
                  {t('webhooks.endpoints.reveal')}
                </button>
                <button type="button" className="button button-secondary button-small" data-testid="webhook-toggle" disabled={act.busy} onClick={() => void toggle(ep)}>
                  {ep.enabled ? t('webhooks.endpoints.disable') : t('webhooks.endpoints.enable')}
                </button>
                <button type="button" className="button button-danger button-small" data-testid="webhook-delete" disabled={act.busy} onClick={() => void remove(ep)}>
                  {t('webhooks.endpoints.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormError error={act.error} />
      <form className="webhooks-form" data-testid="webhook-form" onSubmit={(e) => void submit(e)} noValidate>
        <h4>{t('webhooks.endpoints.create')}</h4>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={urlId}>{t('webhooks.endpoints.url')}</label>
            <input id={urlId} data-testid="webhook-url" type="url" inputMode="url" value={url} maxLength={2000} placeholder="https://example.com/hooks/zhibo" onChange={(e) => setUrl(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={descId}>{t('webhooks.endpoints.description')}</label>
            <input id={descId} data-testid="webhook-description" value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
          </div>
        </div>
        <Checks legend={t('webhooks.endpoints.eventTypes')} values={EVENT_TYPES} chosen={types} onChange={setTypes} testId="webhook-types" />
        <button type="submit" className="button button-small" data-testid="webhook-submit" disabled={create.busy}>
          {t('webhooks.endpoints.submit')}
        </button>
        <FormError error={create.error} />
      </form>
    </section>
  );
}

export function OpenPlatform({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const [logKey, setLogKey] = useState(0);
  return (
    <div className="webhooks" data-testid="open-platform">
      <p className="muted">{t('webhooks.intro')}</p>
      <ApiKeys orgId={orgId} />
      <Endpoints orgId={orgId} onChanged={() => setLogKey((k) => k + 1)} />
      <DeliveryLog key={logKey} orgId={orgId} />
    </div>
  );
}
