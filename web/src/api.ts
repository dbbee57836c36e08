import i18n from './i18n';

/** One field-level validation message from the server. */
export type FieldError = { path: string; code: string; message: string };

/**
 * Every failed call throws this. `message` is the server's localized message
 * when the server answered, otherwise a localized client-side message.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: FieldError[];
  readonly requestId: string | null;
  /** Seconds from a `retry-after` header (429 "busy, try again"), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(init: { code: string; message: string; status: number; fields?: FieldError[]; requestId?: string | null; retryAfter?: number | null }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** True for errors produced because the caller aborted the request (unmount, navigation). */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const MUTATING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TIMEOUT_MS = 15_000;

let csrfToken: string | null = null;
let pendingToken: Promise<string> | null = null;

/** Called by the session provider whenever it reads `GET /api/auth/session`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function currentLocale(): string {
  return i18n.resolvedLanguage ?? i18n.language ?? 'zh-CN';
}

async function ensureCsrfToken(): Promise<string> {
  if (csrfToken) return csrfToken;
  pendingToken ??= request<{ csrfToken: string }>('GET', '/api/auth/session')
    .then((s) => {
      csrfToken = s.csrfToken;
      return s.csrfToken;
    })
    .finally(() => {
      pendingToken = null;
    });
  return pendingToken;
}

function normalizeFields(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((f: Record<string, unknown>) => ({
    path: Array.isArray(f.path) ? f.path.join('.') : String(f.path ?? ''),
    code: String(f.code ?? ''),
    message: String(f.message ?? ''),
  }));
}

/** A body that is not JSON: a file, an SDP offer… sent as is with its own content type. */
export type RawBody = { data: BodyInit; contentType: string };

type SendOptions = {
  json?: unknown;
  raw?: RawBody;
  accept?: string;
  signal?: AbortSignal;
  /** Let the request outlive the page (used when leaving: `pagehide`). */
  keepalive?: boolean;
  timeoutMs?: number;
  /** Extra request headers (e.g. `idempotency-key`). */
  headers?: Record<string, string>;
};

/** `retry-after` as seconds (a number of seconds or an HTTP date); null when absent. */
function retryAfterOf(res: Response): number | null {
  const raw = res.headers.get('retry-after');
  if (!raw) return null;
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : null;
}

/** The server's JSON error body (or the status) as an ApiError. */
function errorFrom(res: Response, text: string): ApiError {
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const err = (data as { error?: Record<string, unknown>; requestId?: string } | undefined)?.error;
  if (err && typeof err.code === 'string') {
    return new ApiError({
      code: err.code,
      status: res.status,
      message: typeof err.message === 'string' && err.message ? err.message : i18n.t('errors.http', { status: res.status }),
      fields: normalizeFields(err.fields),
      requestId: (data as { requestId?: string }).requestId ?? null,
      retryAfter: retryAfterOf(res),
    });
  }
  return new ApiError({ code: `HTTP_${res.status}`, status: res.status, message: i18n.t('errors.http', { status: res.status }), retryAfter: retryAfterOf(res) });
}

/** One HTTP exchange. Resolves with the (unread) response when it is 2xx, throws ApiError otherwise. */
async function send(method: Method, path: string, opts: SendOptions): Promise<Response> {
  const headers: Record<string, string> = {
    ...opts.headers,
    accept: opts.accept ?? 'application/json',
    'accept-language': currentLocale(),
  };
  let body: BodyInit | undefined;
  if (opts.raw) {
    // '' for a FormData body: the browser writes the multipart type with its boundary.
    if (opts.raw.contentType) headers['content-type'] = opts.raw.contentType;
    body = opts.raw.data;
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  if (MUTATING.has(method)) headers['x-csrf-token'] = await ensureCsrfToken();

  // Never wait forever: a request that takes too long fails with a clear message.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs ?? TIMEOUT_MS);
  const signal = opts.signal;
  const onAbort = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: controller.signal,
      keepalive: opts.keepalive,
    });
  } catch (e) {
    if (timedOut) {
      throw new ApiError({ code: 'CLIENT_TIMEOUT', status: 0, message: i18n.t('errors.timeout') });
    }
    if (signal?.aborted) throw e;
    throw new ApiError({ code: 'CLIENT_NETWORK', status: 0, message: i18n.t('errors.network') });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }

  if (!res.ok) throw errorFrom(res, await res.text().catch(() => ''));
  return res;
}

async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal, headers?: Record<string, string>): Promise<T> {
  const res = await send(method, path, { json: body, signal, headers });
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined as T;
  }
}

/** A rejected CSRF token is refreshed once and the request retried. */
async function withCsrfRetry<T>(method: Method, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (MUTATING.has(method) && e instanceof ApiError && e.code.startsWith('CSRF') && e.code !== 'CSRF_ORIGIN_MISMATCH') {
      csrfToken = null;
      return run();
    }
    throw e;
  }
}

/**
 * The one fetch wrapper. Relative URLs, same-origin cookies, JSON in and out,
 * `accept-language` = UI language, `x-csrf-token` on state-changing requests.
 * A rejected CSRF token is refreshed once and the request retried.
 */
export async function api<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return withCsrfRetry(method, () => request<T>(method, path, body, signal));
}

/**
 * The same wrapper for bodies that are not JSON (an image, an SDP offer) and
 * answers that are not JSON: resolves with the response (headers readable,
 * body unread) when it is 2xx; a JSON error body becomes an ApiError.
 */
export async function apiRaw(
  method: Method,
  path: string,
  raw?: RawBody,
  opts: { accept?: string; signal?: AbortSignal; keepalive?: boolean; timeoutMs?: number } = {},
): Promise<Response> {
  return withCsrfRetry(method, () => send(method, path, { raw, ...opts }));
}

/** PUT a file (or any blob) as the request body; the answer is JSON. */
export async function putRaw<T>(path: string, data: Blob, contentType: string): Promise<T> {
  const res = await apiRaw('PUT', path, { data, contentType });
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The same as `api`, with extra request headers (e.g. `Idempotency-Key`). */
export async function apiWithHeaders<T>(method: Method, path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<T> {
  return withCsrfRetry(method, () => request<T>(method, path, body, signal, headers));
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

/** Build a path with escaped segments: path`/api/orgs/${id}`. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((acc, s, i) => acc + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}
