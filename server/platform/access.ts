import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthUser } from '../accounts/service.ts';
import type { ApiKeyPrincipal } from '../webhooks/apikeys.ts';
import type { ApiKeyScope } from '../webhooks/schema.ts';
import type { OrgKind, OrgRole, PlatformRole } from './db-types.ts';
import { AppError, type Locale } from './errors.ts';
import { negotiateLocale } from './i18n.ts';

/**
 * The one authorization module. Every /api route declares `config.access`; the server refuses to
 * start if one does not. The check runs before validation, so an outsider learns nothing from
 * the shape of a request.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'platform'; roles: readonly PlatformRole[] }
  /** A member of the organisation named by the `:orgId` route parameter, with one of these roles. */
  | { kind: 'org'; roles: readonly OrgRole[] | 'any'; orgKinds?: readonly OrgKind[]; operators?: boolean }
  /** An organisation's API key (`Authorization: Bearer …`) holding this scope; the key names the organisation (docs/WEBHOOKS.md). */
  | { kind: 'apiKey'; scope: ApiKeyScope };

export type Membership = { orgId: string; orgKind: OrgKind; role: OrgRole | null; viaOperator: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** false for routes authenticated some other way (signed callbacks); CSRF is checked otherwise. */
    csrf?: boolean;
    /** The error to answer when the body is over the route's limit (default BODY_TOO_LARGE). */
    tooLarge?: 'COVER_TOO_LARGE';
  }
  interface FastifyRequest {
    user: AuthUser | null;
    locale: Locale;
    membership: Membership | null;
    /** The API key a request authenticated with (access kind apiKey). */
    apiKey: ApiKeyPrincipal | null;
  }
}

export type AccessDeps = {
  resolveSession: (token: string | undefined) => Promise<AuthUser | null>;
  findMembership: (orgId: string, userId: string) => Promise<{ kind: OrgKind; role: OrgRole } | null>;
  findOrgKind: (orgId: string) => Promise<OrgKind | null>;
  resolveApiKey?: (authorization: string | undefined, scope: ApiKeyScope) => Promise<ApiKeyPrincipal>;
  /** Path prefixes whose routes come from a plugin that cannot declare access (the API docs page): public. */
  publicPrefixes?: readonly string[];
};

export const SESSION_COOKIE = 'zhibo_session';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The only writes a commission account may make: its own session, password and settings. */
const COMMISSION_MAY = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password', 'PATCH /api/me']);

export function installAccess(app: FastifyInstance, deps: AccessDeps): void {
  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('membership', null);
  app.decorateRequest('apiKey', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.access && deps.publicPrefixes?.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`))) {
      route.config = { ...route.config, access: { kind: 'public' } };
    }
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    request.locale = negotiateLocale(request.headers['accept-language']);
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/ws/')) return;
    request.user = await deps.resolveSession(request.cookies[SESSION_COOKIE]);
    // A logged-in user's language setting wins over the browser's header.
    if (request.user) request.locale = request.user.locale;
  });

  // preValidation: before Fastify validates params, query and body with the route's schemas.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config?.access;
    // The commission's role is read-only, whatever a route's own rule says (docs/TALENT.md).
    if (request.user?.platformRole === 'commission' && UNSAFE.has(request.method) && !COMMISSION_MAY.has(`${request.method} ${request.routeOptions.url}`)) {
      throw new AppError('COMMISSION_READ_ONLY');
    }
    if (!access || access.kind === 'public') return;
    if (access.kind === 'apiKey') {
      if (!deps.resolveApiKey) throw new AppError('APIKEY_INVALID');
      request.apiKey = await deps.resolveApiKey(request.headers.authorization, access.scope);
      return;
    }
    const user = request.user;
    if (!user) throw new AppError('AUTH_REQUIRED');
    if (access.kind === 'user') return;
    if (access.kind === 'platform') {
      if (!access.roles.includes(user.platformRole)) throw new AppError('FORBIDDEN');
      return;
    }
    request.membership = await checkOrgAccess(request, user, access, deps);
  });
}

async function checkOrgAccess(
  request: FastifyRequest,
  user: AuthUser,
  access: Extract<Access, { kind: 'org' }>,
  deps: AccessDeps,
): Promise<Membership> {
  const orgId = (request.params as { orgId?: string }).orgId;
  if (!orgId) throw new Error('org access rule on a route without :orgId');
  const member = await deps.findMembership(orgId, user.id);
  let membership: Membership;
  if (member && (access.roles === 'any' || access.roles.includes(member.role))) {
    membership = { orgId, orgKind: member.kind, role: member.role, viaOperator: false };
  } else if (user.platformRole === 'operator' && access.operators !== false) {
    const kind = await deps.findOrgKind(orgId);
    if (!kind) throw new AppError('ORG_NOT_FOUND');
    membership = { orgId, orgKind: kind, role: member?.role ?? null, viaOperator: true };
  } else {
    throw new AppError('FORBIDDEN');
  }
  if (access.orgKinds && !access.orgKinds.includes(membership.orgKind)) throw new AppError('ORG_WRONG_KIND');
  return membership;
}
