// The streamer's assistants (场控): add one by phone or email, tick what each may do, or remove them.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, path, post, put } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { ConsoleCard } from '../room/parts';
import { useAction } from '../shop/parts';
import { RIGHTS, type Assistant, type Right } from './types';

function AssistantRow({ assistant, onChanged }: { assistant: Assistant; onChanged: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const toggle = (right: Right, on: boolean) => {
    const rights = on ? [...assistant.rights, right] : assistant.rights.filter((r) => r !== right);
    void action.run(() => put(path`/api/streamer/assistants/${assistant.id}/rights`, { rights })).then((r) => r !== undefined && onChanged());
  };
  const remove = () => {
    if (!window.confirm(t('cockpit.assistants.confirmRemove', { name: assistant.displayName }))) return;
    void action.run(() => del(path`/api/streamer/assistants/${assistant.id}`)).then(() => onChanged());
  };
  return (
    <li className="cockpit-assistant" data-testid="assistant" data-user-id={assistant.id} data-rights={assistant.rights.join(' ')}>
      <div className="cockpit-assistant-head">
        <strong>{assistant.displayName}</strong> <span className="muted">{assistant.login}</span>
        <button type="button" className="link-button link-danger" data-testid="assistant-remove" disabled={action.busy} onClick={remove}>
          {t('shop.common.remove')}
        </button>
      </div>
      <div className="cockpit-rights">
        {RIGHTS.map((right) => (
          <label key={right} className="cockpit-right">
            <input type="checkbox" data-testid="assistant-right" data-right={right} checked={assistant.rights.includes(right)} disabled={action.busy} onChange={(e) => toggle(right, e.target.checked)} />
            {t(`cockpit.rights.${right}`)}
          </label>
        ))}
      </div>
      <FormError error={action.error} />
    </li>
  );
}

export function AssistantsPanel() {
  const { t } = useTranslation();
  const list = useApi<{ assistants: Assistant[] }>('/api/streamer/assistants');
  const add = useAction();
  const loginId = useId();
  const [login, setLogin] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!login.trim()) return;
    void add.run(() => post('/api/streamer/assistants', { login: login.trim() }), t('cockpit.assistants.added')).then((r) => {
      if (r === undefined) return;
      setLogin('');
      list.reload();
    });
  };
  const assistants = list.data?.assistants ?? [];
  return (
    <ConsoleCard title={t('cockpit.assistants.title')} testId="cockpit-assistants">
      <p className="field-hint">{t('cockpit.assistants.hint')}</p>
      {list.status === 'error' && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : assistants.length === 0 ? (
        <Empty testId="assistants-empty">{t('cockpit.assistants.empty')}</Empty>
      ) : (
        <ul className="plain-list cockpit-assistant-list">
          {assistants.map((a) => (
            <AssistantRow key={a.id} assistant={a} onChanged={list.reload} />
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={loginId}>{t('cockpit.assistants.login')}</label>
          <input id={loginId} data-testid="assistant-login" value={login} maxLength={254} autoComplete="off" placeholder={t('cockpit.assistants.loginPlaceholder')} onChange={(e) => setLogin(e.target.value)} />
        </div>
        <button type="submit" className="button button-small" data-testid="assistant-add" disabled={add.busy || !login.trim()}>
          {t('cockpit.assistants.add')}
        </button>
      </form>
      <FormError error={add.error} />
      {add.done ? <FormSuccess>{add.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}
