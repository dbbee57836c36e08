import { useCallback, useState } from 'react';
import type { ApiError } from '../api';
import { toApiError } from './useApi';

/**
 * A button's request: `run(work)` marks it busy, clears the last error, runs `work`, then calls `after`
 * (typically the page's reload); a failure is kept as `error` for an ErrorNotice.
 */
export function useAction(after?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
        after?.();
      } catch (e) {
        setError(toApiError(e));
      } finally {
        setBusy(false);
      }
    },
    [after],
  );
  return { busy, error, run };
}
