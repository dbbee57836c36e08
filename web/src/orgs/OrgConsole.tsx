import { Link, useParams } from 'react-router';
import { VerticalLinks } from './VerticalLinks';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useSession } from '../session';
import type { Org, OrgKind } from '../types';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { Tabs, useTab, type TabDef } from '../shared/Tabs';
import { objectFrom, useApi } from '../shared/useApi';
import { AfterSalesPanel } from './AfterSalesPanel';
import { BrandOrdersPanel } from './BrandOrdersPanel';
import { CouponsPanel } from './CouponsPanel';
import { MembersPanel } from './MembersPanel';
import { ShippingPanel } from './ShippingPanel';
import { ProductsPanel } from './ProductsPanel';
import { SignedStreamersPanel } from './SignedStreamersPanel';
import { TenancyRequests } from '../bases/TenancyRequests';
import { lazyPage } from '../shared/lazyPage';
import './brand-shop.css';

const OrgMoney = lazyPage(() => import('../ledger/AccountMoney').then((m) => m.OrgMoney));
const OrgCooperation = lazyPage(() => import('../cooperation/OrgCooperation').then((m) => m.OrgCooperation));
const McnConsoleTab = lazyPage(() => import('../mcn/McnConsole').then((m) => m.McnConsoleTab));
const OpenPlatform = lazyPage(() => import('../webhooks/OpenPlatform').then((m) => m.OpenPlatform));
const OrgAnalytics = lazyPage(() => import('../analytics/SessionsPage').then((m) => m.OrgAnalytics));
const BaseConsoleTab = lazyPage(() => import('../bases/BaseConsole').then((m) => m.BaseConsoleTab));
const BookStudios = lazyPage(() => import('../bases/BookStudios').then((m) => m.BookStudios));
const TalentPanel = lazyPage(() => import('../talent/TalentPanel').then((m) => m.TalentPanel));

type CoopTab = 'offers' | 'applications' | 'samples' | 'slotFees' | 'square';
const COOP_TABS: readonly string[] = ['offers', 'applications', 'samples', 'slotFees', 'square'];
type McnTab = 'roster' | 'contracts';
type OrgTab = 'products' | CoopTab | McnTab | 'orders' | 'afterSales' | 'coupons' | 'shipping' | 'streamers' | BasesTab | 'ledger' | 'openPlatform' | 'analytics' | 'talent' | 'members';
/** Live-streaming bases (web/src/bases): the base's own tabs, and booking a studio for brands and MCNs. */
type BasesTab = 'baseCalendar' | 'studios' | 'tenants' | 'baseReport' | 'bookStudios';
const BASES_TABS: readonly string[] = ['baseCalendar', 'studios', 'tenants', 'baseReport', 'bookStudios'];
type ShopTab = 'orders' | 'afterSales' | 'coupons' | 'shipping';
const SHOP_TABS: readonly string[] = ['orders', 'afterSales', 'coupons', 'shipping'];
const EDITOR_ROLES: readonly string[] = ['owner', 'admin', 'staff'];
/** Who sees an organisation's money (its owners and admins; operators read it too). */
const FINANCE_ROLES: readonly string[] = ['owner', 'admin'];

/** What each kind of organisation manages here, besides its members. */
const TABS_BY_KIND: Record<OrgKind, OrgTab[]> = {
  brand: ['products', 'offers', 'applications', 'samples', 'slotFees', 'orders', 'afterSales', 'coupons', 'shipping', 'analytics', 'bookStudios', 'ledger', 'openPlatform', 'members'],
  mcn: ['roster', 'contracts', 'square', 'applications', 'samples', 'slotFees', 'streamers', 'talent', 'bookStudios', 'analytics', 'ledger', 'members'],
  base: ['baseCalendar', 'studios', 'tenants', 'baseReport', 'members'],
  training: ['members', 'talent'],
};

function OrgBody({ org, myRole }: { org: Org; myRole: string | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const seesMoney = (!!myRole && FINANCE_ROLES.includes(myRole)) || user?.platformRole === 'operator';
  const isStaff = !!myRole && EDITOR_ROLES.includes(myRole);
  // Who sees what: money, roster and contracts for owners and admins (operators read); the square for the MCN's own
  // staff (they act for its streamers); the cooperation lists for staff and operators — never a signed streamer.
  const shown = (id: OrgTab) => {
    if (id === 'ledger' || id === 'roster' || id === 'contracts') return seesMoney;
    if (id === 'square') return isStaff;
    // API keys and webhook secrets are the organisation's own: its owners and admins only.
    if (id === 'openPlatform') return !!myRole && FINANCE_ROLES.includes(myRole);
    // Orders and after-sales show buyers' names, phones and addresses: not to members who only stream or serve in a store.
    if (COOP_TABS.includes(id) || id === 'streamers' || id === 'bookStudios' || id === 'talent' || id === 'orders' || id === 'afterSales') return isStaff || user?.platformRole === 'operator';
    return true;
  };
  const tabs: TabDef<OrgTab>[] = (TABS_BY_KIND[org.kind] ?? ['members']).filter(shown).map((id) => ({
    id,
    label: id === 'talent' ? t('talent.tab') : id === 'openPlatform' ? t('webhooks.tab') : id === 'analytics' ? t('analytics.tab') : BASES_TABS.includes(id) ? t(`bases.tabs.${id as BasesTab}`) : SHOP_TABS.includes(id) ? t(`shop.orgTabs.${id as ShopTab}`) : t(`orgs.tabs.${id as Exclude<OrgTab, ShopTab | 'openPlatform' | 'analytics' | 'talent' | BasesTab>}`),
  }));
  const canEdit = !!myRole && EDITOR_ROLES.includes(myRole);
  const [active, setActive] = useTab(tabs);

  return (
    <>
      <header className="page-header org-header" data-testid="org-header" data-org-kind={org.kind}>
        <p className="eyebrow">{label(t, 'orgKind', org.kind)}</p>
        <h1>
          {org.name} <StatusBadge status={org.status}>{label(t, 'status', org.status)}</StatusBadge>
        </h1>
        {org.description ? <p className="muted">{org.description}</p> : null}
        <dl className="facts facts-inline">
          {org.licenceName ? (
            <>
              <dt>{t('orgs.licenceName')}</dt>
              <dd>{org.licenceName}</dd>
            </>
          ) : null}
          {org.licenceNo ? (
            <>
              <dt>{t('orgs.licenceNo')}</dt>
              <dd className="mono">{org.licenceNo}</dd>
            </>
          ) : null}
          {myRole ? (
            <>
              <dt>{t('orgs.myRole')}</dt>
              <dd data-testid="my-role">{label(t, 'role', myRole)}</dd>
            </>
          ) : null}
          <dt>{t('orgs.createdAt')}</dt>
          <dd>{fmt.timestamp(org.createdAt)}</dd>
        </dl>
        {org.kind === 'brand' && org.status === 'approved' && myRole && ['owner', 'admin', 'staff'].includes(myRole) ? <VerticalLinks orgId={org.id} /> : null}
        {org.kind === 'training' ? (
          <p>
            <Link className="button" to={`/orgs/${encodeURIComponent(org.id)}/training`} data-testid="training-centre-link">
              {t('training.centre.link')}
            </Link>
          </p>
        ) : null}
        {org.status !== 'approved' ? (
          <p className={`notice notice-${org.status}`}>
            {t(`orgs.statusText.${org.status}`)}
            {org.status === 'rejected' && org.reviewReason ? ` ${t('streamer.reviewReason')}: ${org.reviewReason}` : ''}
            {/* A brand not approved sells nothing (BRAND_NOT_APPROVED, docs/COMMERCE.md "Unapproved brands"). */}
            {org.kind === 'brand' ? <span data-testid="brand-not-selling"> {t('orgs.brandNotSelling')}</span> : null}
          </p>
        ) : null}
      </header>
      {/* Bases that list this organisation as their tenant, to confirm or decline (its owners and admins; docs/BASES.md). */}
      {myRole && FINANCE_ROLES.includes(myRole) ? <TenancyRequests orgId={org.id} /> : null}
      {tabs.length > 1 ? <Tabs tabs={tabs} active={active} onChange={setActive} label={t('orgs.sections')} /> : null}
      <section className="card tab-panel" role={tabs.length > 1 ? 'tabpanel' : undefined} aria-labelledby={tabs.length > 1 ? `tab-${active}` : undefined}>
        {tabs.length <= 1 ? <h2>{t('orgs.tabs.members')}</h2> : null}
        {active === 'products' ? <ProductsPanel orgId={org.id} canEdit={canEdit} /> : null}
        {active === 'orders' ? <BrandOrdersPanel orgId={org.id} canEdit={canEdit} /> : null}
        {active === 'afterSales' ? <AfterSalesPanel orgId={org.id} canEdit={canEdit} /> : null}
        {active === 'coupons' ? <CouponsPanel orgId={org.id} canEdit={canEdit} /> : null}
        {active === 'shipping' ? <ShippingPanel orgId={org.id} canEdit={canEdit} /> : null}
        {COOP_TABS.includes(active) && (org.kind === 'brand' || org.kind === 'mcn') ? <OrgCooperation tab={active as CoopTab} orgId={org.id} orgKind={org.kind} canEdit={canEdit} /> : null}
        {active === 'roster' || active === 'contracts' ? <McnConsoleTab tab={active} orgId={org.id} canEdit={!!myRole && FINANCE_ROLES.includes(myRole)} /> : null}
        {active === 'streamers' ? <SignedStreamersPanel orgId={org.id} /> : null}
        {active === 'talent' ? <TalentPanel orgId={org.id} canEdit={canEdit} /> : null}
        {BASES_TABS.includes(active) && org.kind === 'base' ? <BaseConsoleTab tab={active as Exclude<BasesTab, 'bookStudios'>} orgId={org.id} canEdit={!!myRole && FINANCE_ROLES.includes(myRole)} approved={org.status === 'approved'} /> : null}
        {active === 'bookStudios' && (org.kind === 'brand' || org.kind === 'mcn') ? <BookStudios orgId={org.id} orgKind={org.kind} canEdit={canEdit} /> : null}
        {active === 'ledger' ? <OrgMoney orgId={org.id} orgKind={org.kind === 'brand' ? 'brand' : 'mcn'} canWithdraw={!!myRole && FINANCE_ROLES.includes(myRole)} /> : null}
        {active === 'openPlatform' ? <OpenPlatform orgId={org.id} /> : null}
        {active === 'analytics' ? <OrgAnalytics orgId={org.id} /> : null}
        {active === 'members' ? <MembersPanel orgId={org.id} myRole={myRole} /> : null}
      </section>
    </>
  );
}

export function OrgConsole() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const { memberships } = useSession();
  const state = useApi<unknown>(orgId ? path`/api/orgs/${orgId}` : null);
  const org = state.data === undefined ? undefined : objectFrom<Org>(state.data, 'org');
  const fromResponse = state.data && typeof state.data === 'object' ? (state.data as { myRole?: string | null }).myRole : undefined;
  const myRole = fromResponse ?? memberships.find((m) => m.org.id === orgId)?.role ?? null;

  return (
    <div className="page" data-testid="org-console">
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : !org ? (
        <Empty testId="org-missing">{t('orgs.missing')}</Empty>
      ) : (
        <OrgBody key={org.id} org={org} myRole={myRole} />
      )}
    </div>
  );
}
