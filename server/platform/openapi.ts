import fs from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchemaCompiler, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Access } from './access.ts';

/**
 * The OpenAPI 3 document (docs/API.md#openapi): routes declare the zod schemas their handlers parse
 * (`schema: { params, querystring, body }`) and validate with through parseInput, and @fastify/swagger turns the same schemas into JSON Schema with zod's own
 * z.toJSONSchema when the document is first asked for.
 */

const PARTS = { body: 'body', params: 'params', querystring: 'query' } as const;

function isZod(schema: unknown): schema is z.ZodType {
  return schema instanceof z.ZodType;
}

/**
 * Checks at start-up that each declared request part is a zod schema of a part parseInput handles,
 * and validates nothing per request: every handler parses its params, query and body with these same
 * schema constants through parseInput (test/openapi.test.ts fails if one declares a schema its
 * handler does not parse), so a second parse here only cost time on every request.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, method, url, httpPart }) => {
  if (!isZod(schema)) throw new Error(`${method} ${url}: schema.${httpPart} is not a zod schema`);
  if (!httpPart || !(httpPart in PARTS)) throw new Error(`${method} ${url}: schema.${httpPart} is not validated here (body, params, querystring)`);
  return () => true;
};

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: unknown): unknown {
  if (!isZod(schema)) return schema;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function describeAccess(access: Access | undefined): string {
  if (!access || access.kind === 'public') return 'anyone';
  if (access.kind === 'user') return 'a logged-in user';
  if (access.kind === 'platform') return `a user with platform role ${access.roles.join(' or ')}`;
  if (access.kind === 'apiKey') return `an API key with scope ${access.scope}`;
  const roles = access.roles === 'any' ? 'any role' : `role ${access.roles.join(' or ')}`;
  const kinds = access.orgKinds ? ` (${access.orgKinds.join(' or ')} organisations)` : '';
  const operators = access.operators === false ? '' : '; platform operators too';
  return `a member of organisation {orgId} with ${roles}${kinds}${operators}`;
}

/** The session cookie for logged-in routes, the CSRF header on state-changing ones (public ones too, as server/app.ts checks), an API key on /api/open/v1. */
function securityOf(route: RouteOptions): Array<Record<string, string[]>> {
  const access = route.config?.access;
  if (access?.kind === 'apiKey') return [{ apiKey: [] }];
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const csrf = route.config?.csrf !== false && methods.some((m) => UNSAFE.has(m));
  const session = Boolean(access && access.kind !== 'public');
  if (!session && !csrf) return [];
  return [{ ...(session && { session: [] }), ...(csrf && { csrf: [] }) }];
}

/** Marks an operation whose body may be left out; @fastify/swagger copies x- keys onto the operation and says every body is required. */
const BODY_OPTIONAL = 'x-zhibo-body-optional';

function markOptionalBodies({ openapiObject }: { openapiObject: { paths?: Record<string, Record<string, unknown> | undefined> } }) {
  for (const item of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(item ?? {}) as Array<Record<string, unknown>>) {
      if (!operation || typeof operation !== 'object' || !(BODY_OPTIONAL in operation)) continue;
      delete operation[BODY_OPTIONAL];
      if (operation.requestBody) (operation.requestBody as { required?: boolean }).required = false;
    }
  }
  return openapiObject;
}

/** Turns a route's zod schemas into JSON Schema (request side) and adds who may call it; routes outside /api are left out. */
function transform({ schema, url, route }: { schema: Record<string, unknown> | undefined; url: string; route: RouteOptions }) {
  if (!url.startsWith('/api/') || (schema as { hide?: boolean } | undefined)?.hide) return { schema: { ...schema, hide: true }, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of ['params', 'querystring', 'body', 'headers'] as const) {
    if (schema?.[part] !== undefined) out[part] = toJsonSchema(schema[part]);
  }
  if (isZod(schema?.body) && schema.body.safeParse(undefined).success) out[BODY_OPTIONAL] = true;
  const access = route.config?.access;
  out.security = securityOf(route);
  const websocket = (route as { websocket?: boolean }).websocket ? 'A WebSocket: open it with a GET upgrade request.' : undefined;
  out.description = [websocket, schema?.description, `Who may call it: ${describeAccess(access)}.`].filter(Boolean).join('\n\n');
  return { schema: out, url };
}

/** Registers the document at GET /api/openapi.json and the browsable page at /api/docs, which reads the same document at /api/docs/json (call before the routes). */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zhibo API',
        version,
        description:
          'Generated at start-up from the zod schemas the routes validate with (docs/API.md). Errors answer `{ error: { code, message, fields? }, requestId }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'zhibo_session', description: 'The session cookie set by POST /api/auth/login.' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: 'State-changing requests with the session cookie carry the token from GET /api/auth/session (with its _csrf cookie).',
          },
          apiKey: { type: 'http', scheme: 'bearer', description: "An organisation's API key (docs/WEBHOOKS.md)." },
        },
      },
    },
    transform: transform as never,
    transformObject: markOptionalBodies as never,
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: { kind: 'public' } } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', theme: { title: 'Zhibo API' }, uiConfig: { docExpansion: 'list', deepLinking: true } });
}
