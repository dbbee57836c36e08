import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, isAbort } from '../api';
import i18n from '../i18n';

export type ApiState<T> =
  | { status: 'idle'; data?: undefined; error?: undefined }
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: ApiError };

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ code: 'CLIENT_UNKNOWN', status: 0, message: i18n.t('errors.unknown') });
}

/**
 * GET `path` (null = don't fetch). Refetches when the path or the UI language
 * changes (server messages are localized) and on `reload()`. Stale data is
 * kept while reloading so the page doesn't flash.
 */
export function useApi<T>(path: string | null): ApiState<T> & { reload: () => void } {
  const { i18n: inst } = useTranslation();
  const lang = inst.language;
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<ApiState<T>>(path ? { status: 'loading' } : { status: 'idle' });

  useEffect(() => {
    if (!path) {
      setState({ status: 'idle' });
      return;
    }
    const ac = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data }));
    get<T>(path, ac.signal).then(
      (data) => setState({ status: 'ready', data }),
      (e: unknown) => {
        if (isAbort(e) || ac.signal.aborted) return;
        setState((s) => ({ status: 'error', error: toApiError(e), data: s.data }));
      },
    );
    return () => ac.abort();
  }, [path, nonce, lang]);

  // Forget stale data when a different resource is requested.
  useEffect(() => {
    setState(path ? { status: 'loading' } : { status: 'idle' });
  }, [path]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

/** Read the first array out of a response: `{ products: [...] }`, `{ items: [...] }` or a bare array. */
export function listFrom<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    const rec = data as Record<string, unknown>;
    for (const k of keys) if (Array.isArray(rec[k])) return rec[k] as T[];
    for (const v of Object.values(rec)) if (Array.isArray(v)) return v as T[];
  }
  return [];
}

/** Unwrap `{ key: value }` or return the value itself. */
export function objectFrom<T>(data: unknown, key: string): T | null {
  if (!data || typeof data !== 'object') return null;
  const rec = data as Record<string, unknown>;
  if (key in rec) return (rec[key] as T) ?? null;
  return data as T;
}

/** First non-empty string/number among `keys` of `obj` (dot paths allowed). */
export function pick(obj: unknown, ...keys: string[]): string | number | null {
  for (const k of keys) {
    let cur: unknown = obj;
    for (const part of k.split('.')) {
      if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
      else {
        cur = undefined;
        break;
      }
    }
    if (typeof cur === 'string' && cur !== '') return cur;
    if (typeof cur === 'number' && Number.isFinite(cur)) return cur;
  }
  return null;
}
