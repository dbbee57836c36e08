import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

const PAGES = ['launches', 'auctions', 'presales', 'vouchers', 'crossborder', 'b2b', 'origin', 'exhibitions'] as const;

/** A brand's consoles for the selling formats and 直播+ verticals, each on its own page (docs/LAUNCHES.md, AUCTIONS.md, PRESALE.md, VOUCHERS.md, CROSSBORDER.md, B2B.md, ORIGIN.md, EXHIBITIONS.md). */
export function VerticalLinks({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  return (
    <nav className="org-vertical-links" aria-label={t('orgs.verticals.label')} data-testid="org-vertical-links">
      {PAGES.map((page) => (
        <Link key={page} className="button button-secondary button-small" to={`/orgs/${encodeURIComponent(orgId)}/${page}`} data-testid={`org-link-${page}`}>
          {t(`orgs.verticals.${page}`)}
        </Link>
      ))}
    </nav>
  );
}
