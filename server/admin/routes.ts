import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../compliance/audit.ts';

export function adminRoutes(app: FastifyInstance, deps: { audit: AuditLog }) {
  app.get('/api/admin/audit-log', { schema: { tags: ['admin'], summary: 'Get audit log (operator)' }, config: { access: { kind: 'platform', roles: ['operator'] } } }, async () => ({
    entries: await deps.audit.latest(),
  }));
}
