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

  constructor(init: { code: string; message: string; status: number; fields?: FieldError[]; requestId?: string | null }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId ?? null;
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

async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLocale(),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (MUTATING.has(method)) headers['x-csrf-token'] = await ensureCsrfToken();

  // Never wait forever: a request that takes too long fails with a clear message.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, TIMEOUT_MS);
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
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: controller.signal,
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

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = (data as { error?: Record<string, unknown>; requestId?: string } | undefined)?.error;
    if (err && typeof err.code === 'string') {
      throw new ApiError({
        code: err.code,
        status: res.status,
        message: typeof err.message === 'string' && err.message ? err.message : i18n.t('errors.http', { status: res.status }),
        fields: normalizeFields(err.fields),
        requestId: (data as { requestId?: string }).requestId ?? null,
      });
    }
    throw new ApiError({ code: `HTTP_${res.status}`, status: res.status, message: i18n.t('errors.http', { status: res.status }) });
  }
  return data as T;
}

/**
 * The one fetch wrapper. Relative URLs, same-origin cookies, JSON in and out,
 * `accept-language` = UI language, `x-csrf-token` on state-changing requests.
 * A rejected CSRF token is refreshed once and the request retried.
 */
export async function api<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  try {
    return await request<T>(method, path, body, signal);
  } catch (e) {
    if (
      MUTATING.has(method) &&
      e instanceof ApiError &&
      e.code.startsWith('CSRF') &&
      e.code !== 'CSRF_ORIGIN_MISMATCH'
    ) {
      csrfToken = null;
      return request<T>(method, path, body, signal);
    }
    throw e;
  }
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
