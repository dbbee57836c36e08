import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, del, path, post } from '../api';
import { useSession } from '../session';
import type { OrgMember, OrgRole } from '../types';
import { FieldErrorText, FormError, FormSuccess, TextField, fieldMessage } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, toApiError, useApi } from '../shared/useApi';

const BASE_ROLES: OrgRole[] = ['owner', 'admin', 'staff', 'streamer'];

function AddMemberForm({ orgId, roles, onAdded }: { orgId: string; roles: string[]; onAdded: () => void }) {
  const { t } = useTranslation();
  const roleId = useId();
  const [login, setLogin] = useState('');
  const [role, setRole] = useState(roles.includes('staff') ? 'staff' : (roles[0] ?? 'staff'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [added, setAdded] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(false);
    try {
      await post(path`/api/orgs/${orgId}/members`, { login: login.trim(), role });
      setLogin('');
      setAdded(true);
      onAdded();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-member" onSubmit={onSubmit} noValidate data-testid="add-member-form">
      <h3>{t('orgs.members.add')}</h3>
      <FormError error={error} shownPaths={['login', 'role']} />
      <div className="form-row">
        <TextField
          name="login"
          label={t('orgs.members.login')}
          value={login}
          onChange={setLogin}
          placeholder={t('fields.loginPlaceholder')}
          autoComplete="off"
          required
          error={fieldMessage(error, 'login')}
        />
        <div className={`field${fieldMessage(error, 'role') ? ' field-invalid' : ''}`}>
          <label htmlFor={roleId}>{t('orgs.members.role')}</label>
          <select id={roleId} name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {label(t, 'role', r)}
              </option>
            ))}
          </select>
          <FieldErrorText name="role" message={fieldMessage(error, 'role')} />
        </div>
        <button type="submit" className="button" disabled={busy} data-testid="add-member-submit">
          {t('orgs.members.addSubmit')}
        </button>
      </div>
      {added ? <FormSuccess>{t('orgs.members.added')}</FormSuccess> : null}
    </form>
  );
}

/** Every organisation kind: its members; owners and admins can add and remove. */
export function MembersPanel({ orgId, myRole }: { orgId: string; myRole: string | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user, refreshMemberships } = useSession();
  const state = useApi<{ members: OrgMember[] }>(path`/api/orgs/${orgId}/members`);
  const members = listFrom<OrgMember>(state.data, 'members');
  const canManage = myRole === 'owner' || myRole === 'admin';
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<ApiError | null>(null);

  // Offer the roles we know plus any the server already uses for this organisation.
  const roles = Array.from(new Set<string>([...BASE_ROLES, ...members.map((m) => m.role)])).filter((r) => r !== 'owner' || myRole === 'owner');

  const remove = async (m: OrgMember) => {
    if (!window.confirm(t('orgs.members.confirmRemove', { name: m.user.displayName }))) return;
    setRemoving(m.user.id);
    setRemoveError(null);
    try {
      await del(path`/api/orgs/${orgId}/members/${m.user.id}`);
      state.reload();
      if (m.user.id === user?.id) await refreshMemberships();
    } catch (err) {
      setRemoveError(toApiError(err));
    } finally {
      setRemoving(null);
    }
  };

  return (
    <div className="members" data-testid="members">
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : members.length === 0 ? (
        <Empty testId="members-empty">{t('orgs.members.empty')}</Empty>
      ) : (
        <>
          <FormError error={removeError} />
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('orgs.members.name')}</th>
                  <th scope="col">{t('orgs.members.contact')}</th>
                  <th scope="col">{t('orgs.members.role')}</th>
                  <th scope="col">{t('orgs.members.since')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span className="sr-only">{t('common.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.user.id} data-testid="member-row" data-user-id={m.user.id}>
                    <td>
                      {m.user.displayName}
                      {m.user.id === user?.id ? <span className="tag tag-muted">{t('orgs.members.you')}</span> : null}
                    </td>
                    <td>{m.user.phone ?? m.user.email ?? '—'}</td>
                    <td>{label(t, 'role', m.role)}</td>
                    <td>{m.since ? fmt.timestamp(m.since) : '—'}</td>
                    {canManage ? (
                      <td className="actions">
                        <button
                          type="button"
                          className="button button-danger button-small"
                          data-testid="remove-member"
                          disabled={removing !== null}
                          onClick={() => void remove(m)}
                        >
                          {t('orgs.members.remove')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {canManage ? <AddMemberForm orgId={orgId} roles={roles} onAdded={state.reload} /> : null}
    </div>
  );
}
