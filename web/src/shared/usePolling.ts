import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, get, isAbort } from '../api';
import { toApiError } from './useApi';

export type PollState<T> = {
  /** The latest good answer (kept when a later poll fails). */
  data: T | undefined;
  /** The latest failure; cleared by the next success. */
  error: ApiError | null;
  /** True until the first answer (success or failure). */
  loading: boolean;
  /** Poll now (e.g. after an action, or when the player suspects a change). */
  refresh: () => void;
  /** Replace the data with an action's answer (it is fresher than the last poll). */
  setData: (data: T) => void;
};

/** How long to wait before the next poll, given the latest answer; null = stop polling. */
export type PollInterval<T> = number | null | ((data: T | undefined) => number | null);

/**
 * GET `path` now and then again `interval` after each answer, so a slow
 * server is never asked twice at once. A hidden tab is not polled; it catches
 * up as soon as it is visible again. `refresh()` polls at once.
 */
export function usePolling<T>(path: string | null, interval: PollInterval<T>): PollState<T> {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const kick = useRef<() => void>(() => undefined);
  const reschedule = useRef<() => void>(() => undefined);
  const intervalRef = useRef(interval);
  intervalRef.current = interval;
  const dataRef = useRef<T | undefined>(undefined);

  // A different resource: forget the previous one.
  useEffect(() => {
    dataRef.current = undefined;
    setDataState(undefined);
    setError(null);
    setLoading(true);
  }, [path]);

  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | null = null;

    const schedule = () => {
      clearTimeout(timer);
      const every = typeof intervalRef.current === 'function' ? intervalRef.current(dataRef.current) : intervalRef.current;
      if (stopped || every === null) return;
      timer = setTimeout(() => void run(), every);
    };

    const run = async () => {
      if (stopped || inFlight) return;
      clearTimeout(timer);
      if (document.hidden && dataRef.current !== undefined) return; // resumed by visibilitychange
      const ac = new AbortController();
      inFlight = ac;
      try {
        const answer = await get<T>(path, ac.signal);
        if (stopped) return;
        dataRef.current = answer;
        setDataState(answer);
        setError(null);
      } catch (e) {
        if (stopped || isAbort(e)) return;
        setError(toApiError(e));
      } finally {
        if (inFlight === ac) inFlight = null;
        if (!stopped) {
          setLoading(false);
          schedule();
        }
      }
    };

    kick.current = () => void run();
    reschedule.current = () => {
      if (!inFlight) schedule();
    };
    const onVisible = () => {
      if (!document.hidden) void run();
    };
    document.addEventListener('visibilitychange', onVisible);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [path, lang]);

  const refresh = useCallback(() => kick.current(), []);
  const setData = useCallback((d: T) => {
    dataRef.current = d;
    setDataState(d);
    setError(null);
    reschedule.current();
  }, []);
  return { data, error, loading, refresh, setData };
}

/** The current time, re-rendered every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** True once `ms` have passed while `active` (for "this is taking longer than expected" messages). */
export function useTookTooLong(active: boolean, ms: number): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    setLate(false);
    if (!active) return;
    const id = setTimeout(() => setLate(true), ms);
    return () => clearTimeout(id);
  }, [active, ms]);
  return late;
}
