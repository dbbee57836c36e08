import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Talent } from '../talent/index.ts';
import { originOf } from '../talent/routes.ts';
import { FormatQuery, RegistryParams, StatusQuery } from '../talent/schema.ts';
import type { CampaignStatistics } from '../campaigns/statistics.ts';
import { applicationsCsv, campaignsCsv, nominationsCsv, registryCsv } from './csv.ts';

const tags = ['commission'];
/** The commission reads; operators see the same pages. Writes by the commission are refused centrally (server/platform/access.ts). */
const reader = { access: { kind: 'platform', roles: ['commission', 'operator'] } } as const;

/** The commission's portal (docs/TALENT.md): read-only views and CSV exports. */
export function commissionRoutes(app: FastifyInstance, talent: Talent, campaignStatistics: () => Promise<CampaignStatistics[]>) {
  const { service, registries } = talent;

  app.get('/api/commission/base-applications', { schema: { tags, summary: "Bases' programme applications with their evidence (JSON or CSV)", querystring: StatusQuery }, config: reader }, async (request, reply) => {
    const { status, format } = parseInput(StatusQuery, request.query, request.locale);
    const list = await service.applications({ status });
    if (format === 'json') return { applications: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-base-applications.csv"');
    return applicationsCsv(list, request.locale);
  });
  app.get('/api/commission/registries/:kind', { schema: { tags, summary: 'A registry: mcn, base, brand, training or talent (certified) (JSON or CSV)', params: RegistryParams, querystring: FormatQuery }, config: reader }, async (request, reply) => {
    const { kind } = parseInput(RegistryParams, request.params, request.locale);
    const { format } = parseInput(FormatQuery, request.query, request.locale);
    if (format === 'json') return { kind, rows: await registries[kind]() };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="zhibo-registry-${kind}.csv"`);
    return registryCsv(kind, registries, request.locale, originOf(request));
  });
  app.get('/api/commission/talent', { schema: { tags, summary: 'Talent-catalogue nominations (every status) with their evidence (JSON or CSV)', querystring: StatusQuery }, config: reader }, async (request, reply) => {
    const { status, format } = parseInput(StatusQuery, request.query, request.locale);
    const list = await service.nominations({ status });
    if (format === 'json') return { criteria: await service.criteria(), nominations: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-talent-nominations.csv"');
    return nominationsCsv(list, request.locale, originOf(request));
  });
  app.get('/api/commission/campaigns', { schema: { tags, summary: 'Every campaign with its brands, lives, launches, pre-sales, auctions, GMV, orders and platform subsidy (JSON or CSV)', querystring: FormatQuery }, config: reader }, async (request, reply) => {
    const { format } = parseInput(FormatQuery, request.query, request.locale);
    const campaigns = await campaignStatistics();
    if (format === 'json') return { campaigns };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-campaigns.csv"');
    return campaignsCsv(campaigns, request.locale);
  });
}
