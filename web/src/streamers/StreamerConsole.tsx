import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AssistingCard } from '../cockpit/AssistingCard';
import { path } from '../api';
import { useSession } from '../session';
import type { LiveSessionSummary, StreamerProfile } from '../types';
import { FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { lazyPage } from '../shared/lazyPage';
import { Tabs, useTab, type TabDef } from '../shared/Tabs';
import { listFrom, objectFrom, useApi } from '../shared/useApi';
import { NewSessionForm } from './NewSessionForm';
import { VerificationForm } from './VerificationForm';

const MyEarnings = lazyPage(() => import('../ledger/AccountMoney').then((m) => m.MyEarnings));
const StreamerCooperation = lazyPage(() => import('../cooperation/StreamerCooperation').then((m) => m.StreamerCooperation));
const BookStudios = lazyPage(() => import('../bases/BookStudios').then((m) => m.BookStudios));

function ProfileSummary({ profile }: { profile: StreamerProfile }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="profile-summary" data-testid="streamer-profile" data-status={profile.status}>
      <p className="status-line">
        <span>{t('streamer.status')}</span>
        <StatusBadge status={profile.status}>{label(t, 'status', profile.status)}</StatusBadge>
      </p>
      <p className={`notice notice-${profile.status}`}>{t(`streamer.statusText.${profile.status}`)}</p>
      {profile.status === 'rejected' && profile.reviewReason ? (
        <p className="notice notice-error" data-testid="review-reason">
          {t('streamer.reviewReason')}: {profile.reviewReason}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t('streamer.realName')}</dt>
        <dd>{profile.realName}</dd>
        <dt>{t('streamer.idNumber')}</dt>
        <dd className="mono">{profile.idNumberMasked}</dd>
        {profile.guardian ? (
          <>
            <dt>{t('streamer.guardian')}</dt>
            <dd>
              {profile.guardian.name} · {profile.guardian.relation} · {profile.guardian.phone}
            </dd>
          </>
        ) : null}
        <dt>{t('streamer.submittedAt')}</dt>
        <dd>{fmt.timestamp(profile.submittedAt)}</dd>
        {profile.reviewedAt ? (
          <>
            <dt>{t('streamer.reviewedAt')}</dt>
            <dd>{fmt.timestamp(profile.reviewedAt)}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

function OwnSessions({ canCreate }: { canCreate: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [creating, setCreating] = useState(false);
  const state = useApi<{ sessions: LiveSessionSummary[] }>('/api/streamer/live-sessions');
  const sessions = listFrom<LiveSessionSummary>(state.data, 'sessions');
  return (
    <section className="card" aria-labelledby="own-sessions-heading" data-testid="own-sessions">
      <div className="card-head">
        <h2 id="own-sessions-heading">{t('streamer.sessions')}</h2>
        {canCreate && !creating ? (
          <button type="button" className="button button-small" data-testid="new-session" onClick={() => setCreating(true)}>
            + {t('newLive.open')}
          </button>
        ) : null}
      </div>
      {creating ? <NewSessionForm onCancel={() => setCreating(false)} /> : null}
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : sessions.length === 0 ? (
        <Empty>{t('streamer.noSessions')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('streamer.sessionTitle')}</th>
                <th scope="col">{t('streamer.sessionStatus')}</th>
                <th scope="col">{t('streamer.sessionScheduled')}</th>
                <th scope="col">{t('streamer.sessionStarted')}</th>
                <th scope="col">{t('home.brand')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="own-session-row" data-session-id={s.id} data-status={s.status}>
                  <td>
                    <Link to={path`/streamer/sessions/${s.id}`} data-testid="own-session-link">
                      {s.title}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={s.status}>{label(t, 'status', s.status)}</StatusBadge>
                  </td>
                  <td>
                    <time dateTime={s.scheduledAt}>{fmt.dateTime(s.scheduledAt)}</time>
                  </td>
                  <td>{s.startedAt ? <time dateTime={s.startedAt}>{fmt.dateTime(s.startedAt)}</time> : '—'}</td>
                  <td>{s.brand?.name ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** 主播资料: real-name verification and the streamer's own lives. */
function StreamerOverview() {
  const { t } = useTranslation();
  const { user, refresh } = useSession();
  const state = useApi<unknown>('/api/streamer/profile');
  const [justSubmitted, setJustSubmitted] = useState(false);
  const [editing, setEditing] = useState(false);
  const profile = state.data === undefined ? undefined : objectFrom<StreamerProfile>(state.data, 'profile');
  // No profile or rejected: submit. Pending: may be corrected and resubmitted. Approved: final.
  const canSubmit = profile === null || profile?.status === 'rejected' || (profile?.status === 'pending' && editing);

  return (
    <>
      <AssistingCard />
      <section className="card" aria-labelledby="verification-heading">
        <h2 id="verification-heading">{t('streamer.verification')}</h2>
        {state.status === 'error' && state.data === undefined ? (
          <ErrorNotice error={state.error} onRetry={state.reload} />
        ) : profile === undefined ? (
          <Loading />
        ) : (
          <>
            {justSubmitted ? <FormSuccess>{t('streamer.submitted')}</FormSuccess> : null}
            {profile ? <ProfileSummary profile={profile} /> : <p className="muted" data-testid="streamer-no-profile">{t('streamer.intro')}</p>}
            {profile?.status === 'pending' && !editing ? (
              <button type="button" className="button button-secondary" data-testid="edit-profile" onClick={() => setEditing(true)}>
                {t('streamer.edit')}
              </button>
            ) : null}
            {canSubmit ? (
              <>
                {profile ? <h3>{t('streamer.resubmit')}</h3> : null}
                <VerificationForm
                  onSubmitted={() => {
                    setJustSubmitted(true);
                    setEditing(false);
                    state.reload();
                    void refresh().catch(() => undefined);
                  }}
                />
              </>
            ) : null}
          </>
        )}
      </section>
      {user?.platformRole === 'streamer' ? <OwnSessions canCreate={user.streamerStatus === 'approved' || profile?.status === 'approved'} /> : null}
    </>
  );
}

type CoopTab = 'square' | 'applications' | 'samples' | 'slotFees' | 'contracts';
const COOP_TABS: readonly CoopTab[] = ['square', 'applications', 'samples', 'slotFees', 'contracts'];
type StreamerTab = 'overview' | CoopTab | 'studioBookings' | 'earnings';

/** The streamer's console: one tab per area (a streamer's money only once they are a streamer). */
export function StreamerConsole() {
  const { t } = useTranslation();
  const { user } = useSession();
  const tabs: TabDef<StreamerTab>[] = [{ id: 'overview', label: t('streamer.tabs.overview') }];
  if (user?.platformRole === 'streamer') {
    for (const id of COOP_TABS) tabs.push({ id, label: t(`streamer.tabs.${id}`) });
    // 我的直播间预约 (docs/BASES.md): the bases' strings live with the bases.
    tabs.push({ id: 'studioBookings', label: t('bases.mine.tab') });
    tabs.push({ id: 'earnings', label: t('streamer.tabs.earnings') });
  }
  const [active, setActive] = useTab(tabs);

  return (
    <div className="page" data-testid="streamer-console">
      <h1>{t('streamer.title')}</h1>
      {tabs.length > 1 ? <Tabs tabs={tabs} active={active} onChange={setActive} label={t('streamer.title')} /> : null}
      {active === 'overview' ? (
        <div role={tabs.length > 1 ? 'tabpanel' : undefined} aria-labelledby={tabs.length > 1 ? 'tab-overview' : undefined} className="streamer-tab">
          <StreamerOverview />
        </div>
      ) : null}
      {(COOP_TABS as readonly string[]).includes(active) ? (
        <section className="card tab-panel" role="tabpanel" aria-labelledby={`tab-${active}`}>
          <StreamerCooperation tab={active as CoopTab} />
        </section>
      ) : null}
      {active === 'studioBookings' ? (
        <section className="card tab-panel" role="tabpanel" aria-labelledby="tab-studioBookings">
          <BookStudios orgKind="self" canEdit={user?.streamerStatus === 'approved'} />
        </section>
      ) : null}
      {active === 'earnings' ? (
        <section className="card tab-panel" role="tabpanel" aria-labelledby="tab-earnings">
          <MyEarnings />
        </section>
      ) : null}
    </div>
  );
}
