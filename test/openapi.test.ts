// The OpenAPI document (docs/API.md#openapi): generated at start-up from the zod schemas the routes
// validate with; it validates as OpenAPI 3.1, names each route's request schemas and who may call it,
// and the validation it drives answers exactly as parseInput does, after the access check.
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../server/platform/errors.ts';
import { parseInput } from '../server/platform/validate.ts';
import { RegisterBody } from '../server/accounts/schema.ts';
import { ListQuery } from '../server/live/schema.ts';
import { CreateApiKeyBody } from '../server/webhooks/schema.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestServer } from './helpers/server.ts';

type Operation = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> };
};
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

describeEachDatabase('OpenAPI document', ({ server: current }) => {
  let server: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    server = current();
    const res = await server.client().get('/api/openapi.json');
    expect(res.status, res.body).toBe(200);
    doc = res.json();
  });

  it('validates as OpenAPI 3.1 and says what it is', async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(doc.info).toMatchObject({ title: 'Zhibo API', version: pkg.version });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'csrf', 'session']);
  });

  it('gives every operation a summary, a tag and its path parameters, and leaves out what is not /api', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(150);
    expect(paths.every((p) => p.startsWith('/api/'))).toBe(true);
    expect(paths).not.toContain('/api/openapi.json');
    expect(paths.some((p) => p.startsWith('/api/docs'))).toBe(false);
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.summary, `${method} ${p}`).toBeTruthy();
        expect(op.tags?.length, `${method} ${p}`).toBe(1);
        // Every {param} of the path is declared.
        for (const name of p.match(/\{([^}]+)\}/g) ?? []) {
          expect(op.parameters?.some((q) => q.in === 'path' && `{${q.name}}` === name), `${method} ${p} ${name}`).toBe(true);
        }
      }
    }
  });

  it("carries a route's zod schemas: path parameters, request body, query", () => {
    const create = doc.paths['/api/orgs/{orgId}/api-keys']!.post!;
    expect(create.tags).toEqual(['webhooks']);
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'orgId', in: 'path', required: true })]);
    const body = create.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties!).sort()).toEqual(Object.keys(CreateApiKeyBody.shape).sort());
    expect(create.security).toEqual([{ session: [], csrf: [] }]);

    const orders = doc.paths['/api/open/v1/orders']!.get!;
    expect(orders.security).toEqual([{ apiKey: [] }]);
    expect(orders.parameters?.filter((q) => q.in === 'query').length).toBeGreaterThan(0);

    expect(doc.paths['/api/auth/session']!.get!.security).toEqual([]);
    // Public, yet CSRF-checked like every state-changing cookie request.
    expect(doc.paths['/api/auth/login']!.post!.security).toEqual([{ csrf: [] }]);
    expect(doc.paths['/api/orgs/{orgId}']!.get!.security).toEqual([{ session: [] }]);
    // A signed callback is not CSRF-checked.
    expect(doc.paths['/api/media/hooks/on_publish']!.post!.security).toEqual([]);
    // A body the route accepts absent is not required.
    expect(doc.paths['/api/admin/ledger/settlement-runs']!.post!.requestBody?.required).toBe(false);
  });

  /** What parseInput answers for this input: the answer the route must give. */
  function refusal(schema: Parameters<typeof parseInput>[0], input: unknown, locale: 'zh-CN' | 'en') {
    try {
      parseInput(schema, input, locale);
    } catch (error) {
      if (error instanceof AppError) return error.fields;
    }
    throw new Error('parseInput accepted it');
  }

  it('answers a malformed request exactly as parseInput does, in the caller language', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const bad = { login: 'nobody', password: 'short', displayName: '', extra: 1 };
      const res = await server.client({ locale }).post('/api/auth/register', bad);
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields).toEqual(refusal(RegisterBody, bad, locale));
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['login', 'password', 'extra']));
    }
    // Params and an absent body.
    const owner = server.client();
    await owner.register(`openapi-owner-${Date.now()}@example.com`);
    const org = (await owner.post('/api/orgs', { kind: 'brand', name: 'OpenAPI 品牌' })).json().org as { id: string };
    const bad = { name: '', scopes: ['orders:read', 'nope'], extra: 1 };
    const res = await owner.post(`/api/orgs/${org.id}/api-keys`, bad);
    expect(res.status, res.body).toBe(400);
    expect(res.json().error.fields).toEqual(refusal(CreateApiKeyBody, bad, 'zh-CN'));
    const empty = await owner.post(`/api/orgs/${org.id}/api-keys`);
    expect(empty.status, empty.body).toBe(400);
    expect(empty.json().error.fields).toEqual(refusal(CreateApiKeyBody, undefined, 'zh-CN'));
    const created = await owner.post(`/api/orgs/${org.id}/api-keys`, { name: '对账', scopes: ['orders:read'] });
    expect(created.status, created.body).toBe(201);
  });

  it('leaves query strings for the handler to coerce and transform', async () => {
    const client = server.client({ locale: 'en' });
    // ListQuery turns "live,scheduled" into a list and the limit into a number.
    const ok = await client.get('/api/live-sessions?status=live,ended&limit=5');
    expect(ok.status, ok.body).toBe(200);
    const bad = await client.get('/api/live-sessions?limit=many&nope=1');
    expect(bad.status).toBe(400);
    expect(bad.json().error.fields).toEqual(refusal(ListQuery, { limit: 'many', nope: '1' }, 'en'));
  });

  it('checks who asks before the shape of the request', async () => {
    const anonymous = server.client();
    const bad = { nonsense: true };
    expect((await anonymous.post('/api/orgs', bad)).errorCode).toBe('AUTH_REQUIRED');
    expect((await anonymous.post('/api/orgs/no-such-org/api-keys', bad)).errorCode).toBe('AUTH_REQUIRED');
    const outsider = server.client();
    await outsider.register(`openapi-outsider-${Date.now()}@example.com`);
    const owner = server.client();
    await owner.register(`openapi-owner2-${Date.now()}@example.com`);
    const org = (await owner.post('/api/orgs', { kind: 'brand', name: 'OpenAPI 品牌二' })).json().org as { id: string };
    expect((await outsider.post(`/api/orgs/${org.id}/api-keys`, bad)).errorCode).toBe('FORBIDDEN');
    expect((await outsider.get(`/api/admin/orgs?status=nonsense`)).errorCode).toBe('FORBIDDEN');
    // An API key route: the key first.
    expect((await anonymous.get('/api/open/v1/orders?limit=nonsense')).errorCode).toBe('APIKEY_INVALID');
    // The media origin's callback: its token first (a route-level preValidation hook).
    expect((await anonymous.post('/api/media/hooks/on_publish?token=wrong', bad)).errorCode).toBe('MEDIA_HOOK_FORBIDDEN');
  });

  it('serves the browsable page from local assets', async () => {
    const page = await server.client().get('/api/docs/');
    expect(page.status, page.body).toBe(200);
    expect(page.raw.headers['content-type']).toContain('text/html');
    expect(page.raw.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)/);
    const bundle = await server.client().get('/api/docs/static/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    // The page reads the same document.
    expect((await server.client().get('/api/docs/json')).json()).toEqual((await server.client().get('/api/openapi.json')).json());
  });
});

/** Route files: every `parseInput(Schema, request.params|query|body …)` in a handler names the same schema in the route's `schema`. */
describe('routes declare the schemas they parse', () => {
  const PART: Record<string, string> = { params: 'params', query: 'querystring', body: 'body' };
  function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(p);
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
    });
  }
  /** `request.body`, or `request.body ?? {}`: the part read, or null. */
  function partOf(node: ts.Node | undefined): string | null {
    if (node && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) node = node.left;
    if (node && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'request') return PART[node.name.text] ?? null;
    return null;
  }

  it('finds no route whose document could drift from its validation', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of sourceFiles('server')) {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes('parseInput(')) continue;
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const inRoutes = new Set<ts.Node>();
      const visit = (node: ts.Node, route: { where: string; schema: string } | null) => {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(get|post|put|patch|delete|route)$/.test(node.expression.name.text)) {
          const [url, options] = node.arguments;
          if (url && (ts.isStringLiteral(url) || ts.isNoSubstitutionTemplateLiteral(url) || ts.isTemplateExpression(url)) && url.getText().includes('/api/')) {
            const schema = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText() === 'schema') : undefined;
            const where = `${file}: ${node.expression.name.text.toUpperCase()} ${url.getText()}`;
            for (const arg of node.arguments) visit(arg, { where, schema: schema?.getText() ?? '' });
            return;
          }
        }
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'parseInput') {
          const part = partOf(node.arguments[1]);
          if (part) {
            inRoutes.add(node);
            const name = node.arguments[0]!.getText();
            if (!route) problems.push(`${file}: ${node.getText()} outside a route (parse it in the handler, or declare its schema)`);
            else if (!new RegExp(`\\b${part}: ${name.replace(/[.$]/g, '\\$&')}\\b`).test(route.schema)) problems.push(`${route.where}: parses request.${part === 'querystring' ? 'query' : part} with ${name} but its schema does not declare ${part}: ${name}`);
            else checked++;
          }
        }
        ts.forEachChild(node, (child) => visit(child, route));
      };
      visit(sf, null);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});
