import { Link, Navigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useSession } from '../session';
import type { Membership } from '../types';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { safeImageUrl } from '../shared/urls';
import { useApi } from '../shared/useApi';
import { PhotoStrip } from './BasePhotos';
import { beijingTime, dayLabel } from './time';
import type { PublicBase, PublicStudio, Tenant } from './types';
import './bases.css';
import './public.css';

/** Where 预约直播间 leads: this base's booking chooser, through the login page for a visitor who is not logged in. */
export function bookPathOf(baseId: string) {
  return path`/bases/${baseId}/book`;
}

/**
 * /bases/:baseId — a base's public page (docs/BASES.md, "The public page"), for MCNs, brands and streamers who
 * are not its customers yet: no login needed. Its photos, profile and cancellation rule, public studios with
 * their prices and equipment, resident firms, coming events and two figures; 预约直播间 leads to the booking
 * pages (through the login page with a return path for a visitor). Phone first; two columns on a desktop.
 */
export function PublicBasePage() {
  const { baseId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const state = useApi<{ base: PublicBase }>(path`/api/public/bases/${baseId}`);
  if (state.status === 'error' && !state.data) {
    return (
      <div className="page base-public">
        <ErrorNotice error={state.error} onRetry={state.error.status >= 500 || state.error.status === 0 ? state.reload : undefined} />
        <p>
          <Link to="/bases">{t('bases.public.all')}</Link>
        </p>
      </div>
    );
  }
  if (!state.data) return <Loading />;
  const base = state.data.base;
  const cover = base.photos[0] ? safeImageUrl(base.photos[0].url) : null;
  const bookPath = bookPathOf(base.id);
  const bookHref = user ? bookPath : `/login?next=${encodeURIComponent(bookPath)}`;
  const cheapest = base.studios.length ? Math.min(...base.studios.map((s) => s.hourlyRateFen)) : null;

  return (
    <div className="page base-public" data-testid="public-base-page">
      <header className="card base-public-hero">
        {cover ? <img className="base-public-cover" src={cover} alt={base.name} referrerPolicy="no-referrer" decoding="async" data-testid="public-base-cover" /> : null}
        <div className="base-public-head">
          <p className="eyebrow">{t('bases.public.eyebrow')}</p>
          <h1 data-testid="public-base-name">{base.name}</h1>
          {base.theme ? <p className="base-public-theme">{base.theme}</p> : null}
          {base.description ? <p className="muted">{base.description}</p> : null}
          <dl className="base-public-figures" aria-label={t('bases.public.figures')} data-testid="public-base-figures">
            <div>
              <dt>{t('bases.public.figureStudios')}</dt>
              <dd data-testid="public-base-figure-studios">{fmt.number(base.figures.studios)}</dd>
            </div>
            <div>
              <dt>{t('bases.public.figureLives')}</dt>
              <dd data-testid="public-base-figure-lives">{fmt.number(base.figures.livesLast30Days)}</dd>
            </div>
            {base.areaSqm > 0 ? (
              <div>
                <dt>{t('bases.public.area')}</dt>
                <dd>{t('bases.studios.areaValue', { area: fmt.number(base.areaSqm) })}</dd>
              </div>
            ) : null}
          </dl>
          <div className="base-public-book-row">
            <Link className="button base-public-book-hero" to={bookHref} data-testid="public-base-book-hero">
              {t('bases.public.book')}
            </Link>
            {cheapest !== null ? <span className="base-public-from">{t('bases.public.from', { price: fmt.fen(cheapest) })}</span> : null}
          </div>
          {user ? null : <p className="field-hint">{t('bases.public.bookHint')}</p>}
        </div>
      </header>

      <div className="base-public-columns">
        <div className="base-public-main">
          {base.photos.length ? (
            <section className="card" aria-labelledby="public-photos">
              <h2 id="public-photos" className="section-title">{t('bases.public.photos')}</h2>
              <PhotoStrip photos={base.photos} alt={base.name} testId="public-base-photos" />
            </section>
          ) : null}

          <section className="base-public-studios" aria-labelledby="public-studios" data-testid="public-base-studios">
            <h2 id="public-studios" className="section-title">
              {t('bases.public.studios')}
              <span className="count">{base.studios.length}</span>
            </h2>
            {base.studios.length ? (
              <ul className="base-public-studio-list">
                {base.studios.map((studio) => (
                  <StudioCard key={studio.id} studio={studio} />
                ))}
              </ul>
            ) : (
              <Empty testId="public-base-studios-empty">{t('bases.public.studiosEmpty')}</Empty>
            )}
          </section>
        </div>

        <aside className="base-public-side">
          <section className="card" aria-labelledby="public-info">
            <h2 id="public-info" className="section-title">{t('bases.public.info')}</h2>
            <dl className="facts base-public-facts" data-testid="public-base-info">
              {base.address ? (
                <>
                  <dt>{t('bases.public.address')}</dt>
                  <dd>{base.address}</dd>
                </>
              ) : null}
              <dt>{t('bases.public.hours')}</dt>
              <dd>{t('bases.public.hoursValue', { opens: base.opensAt, closes: base.closesAt })}</dd>
              <dt>{t('bases.public.rule')}</dt>
              <dd data-testid="public-base-rule">{t('bases.public.ruleValue', { hours: base.freeCancelHours, pct: base.cancelFeeBps / 100 })}</dd>
            </dl>
          </section>

          <section className="card" aria-labelledby="public-events" data-testid="public-base-events">
            <h2 id="public-events" className="section-title">{t('bases.public.events')}</h2>
            {base.events.length ? (
              <ul className="base-public-events">
                {base.events.map((event) => (
                  <li key={event.id} data-testid="public-base-event">
                    <span className="base-public-event-title">{event.title}</span>
                    <span className="muted">{t('bases.public.eventTime', { day: dayLabel(Date.parse(event.heldAt), fmt.locale), time: beijingTime(event.heldAt) })}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty testId="public-base-events-empty">{t('bases.public.eventsEmpty')}</Empty>
            )}
          </section>

          <section className="card" aria-labelledby="public-tenants" data-testid="public-base-tenants">
            <h2 id="public-tenants" className="section-title">
              {t('bases.public.tenants')}
              <span className="count">{base.tenants.length}</span>
            </h2>
            {base.tenants.length ? <Tenants tenants={base.tenants} /> : <Empty testId="public-base-tenants-empty">{t('bases.public.tenantsEmpty')}</Empty>}
          </section>
        </aside>
      </div>

      <p className="base-public-more">
        <Link to="/bases">{t('bases.public.all')}</Link>
      </p>

      {/* On a phone the call to action stays at the foot of the screen while the page scrolls; a desktop has it in the header. */}
      <div className="base-public-cta" data-testid="public-base-cta">
        <div className="base-public-cta-text">
          <strong>{base.name}</strong>
          {cheapest !== null ? <span className="muted">{t('bases.public.from', { price: fmt.fen(cheapest) })}</span> : null}
        </div>
        <Link className="button" to={bookHref} data-testid="public-base-book">
          {t('bases.public.book')}
        </Link>
      </div>
    </div>
  );
}

function StudioCard({ studio }: { studio: PublicStudio }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <li className="card base-public-studio" data-testid="public-base-studio" data-studio-id={studio.id}>
      <div className="base-public-studio-head">
        <h3>{studio.name}</h3>
        <span className="base-public-price" data-testid="public-base-studio-price">
          {t('bases.studios.perHour', { price: fmt.fen(studio.hourlyRateFen) })}
        </span>
      </div>
      <p className="muted base-public-studio-size">
        {t('bases.studios.areaValue', { area: fmt.number(studio.areaSqm) })}
        {studio.capacity !== null ? ` · ${t('bases.public.capacity', { count: studio.capacity })}` : ''}
      </p>
      {studio.photos.length ? <PhotoStrip photos={studio.photos} alt={studio.name} testId="public-base-studio-photos" /> : null}
      {studio.scenes.length ? (
        <p className="base-public-tags">
          <span className="sr-only">{t('bases.public.scenes')}</span>
          {studio.scenes.map((scene) => (
            <span key={scene} className="tag">
              {scene}
            </span>
          ))}
        </p>
      ) : null}
      {studio.equipment.length ? (
        <div className="base-public-equipment">
          <h4>{t('bases.public.equipment')}</h4>
          <ul data-testid="public-base-studio-equipment">
            {studio.equipment.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

const TENANT_KINDS: Tenant['kind'][] = ['platform', 'mcn', 'service'];

/** The resident firms by kind, each marked 已确认 (its organisation confirmed) or 基地自填 (the base's word only). */
function Tenants({ tenants }: { tenants: PublicBase['tenants'] }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="muted base-public-tenants-legend">{t('bases.public.tenantsLegend')}</p>
      <dl className="base-public-tenants">
        {TENANT_KINDS.filter((kind) => tenants.some((x) => x.kind === kind)).map((kind) => (
          <div key={kind}>
            <dt>{t(`bases.tenants.kinds.${kind}`)}</dt>
            <dd>
              <ul>
                {tenants
                  .filter((x) => x.kind === kind)
                  .map((x, i) => (
                    <li key={`${x.name}-${i}`} data-testid="public-base-tenant" data-confirmation={x.confirmation}>
                      <span data-testid="public-base-tenant-name">{x.name}</span>
                      <span className={`base-public-tenant-mark base-public-tenant-${x.confirmation}`}>{x.confirmation === 'confirmed' ? t('bases.public.tenantConfirmed') : t('bases.public.tenantSelfDeclared')}</span>
                    </li>
                  ))}
              </ul>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

type BookOption = { to: string; label: string; testId: string };

/**
 * /bases/:baseId/book (logged in; a visitor comes here from the login page) — sends the user to the booking page
 * with this base picked: a brand's or an MCN's 预订直播间 tab, or a streamer's 我的直播间预约. With several ways
 * to book they choose; with none, the page says who may book.
 */
export function PublicBaseBook() {
  const { baseId = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useSession();
  // Read here, not from the session's copy: right after logging in that copy may still be the previous user's.
  const orgs = useApi<{ memberships: Membership[] }>('/api/me/orgs');
  const base = useApi<{ base: PublicBase }>(path`/api/public/bases/${baseId}`);
  if (orgs.status === 'error' && !orgs.data) return <ErrorNotice error={orgs.error} onRetry={orgs.reload} />;
  if (!orgs.data || !user) return <Loading />;

  const query = `base=${encodeURIComponent(baseId)}`;
  const options: BookOption[] = (orgs.data.memberships ?? [])
    .filter((m) => (m.org.kind === 'brand' || m.org.kind === 'mcn') && m.org.status === 'approved' && ['owner', 'admin', 'staff'].includes(m.role))
    .map((m) => ({ to: `${path`/orgs/${m.org.id}`}?tab=bookStudios&${query}`, label: t('bases.public.asOrg', { kind: label(t, 'orgKind', m.org.kind), name: m.org.name }), testId: 'book-as-org' }));
  if (user.platformRole === 'streamer') options.push({ to: `/streamer?tab=studioBookings&${query}`, label: t('bases.public.asSelf'), testId: 'book-as-self' });
  if (options.length === 1) return <Navigate to={options[0]!.to} replace />;

  const name = base.data?.base.name;
  return (
    <div className="page page-narrow base-public-book" data-testid="public-base-book-page">
      <section className="card">
        {options.length ? (
          <>
            <h1>{name ? t('bases.public.chooseTitle', { name }) : t('bases.public.chooseTitlePlain')}</h1>
            <ul className="base-public-options">
              {options.map((o) => (
                <li key={o.to}>
                  <Link className="button button-secondary" to={o.to} data-testid={o.testId}>
                    {o.label}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <h1>{t('bases.public.cannotTitle')}</h1>
            <p data-testid="public-base-cannot-book">{t('bases.public.cannotBody')}</p>
            <p>
              <Link className="button button-secondary" to="/streamer">
                {t('bases.public.verify')}
              </Link>
            </p>
          </>
        )}
        <p>
          <Link to={path`/bases/${baseId}`}>{t('bases.public.back')}</Link>
        </p>
      </section>
    </div>
  );
}
