import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from './Status';
import { useTookTooLong } from './usePolling';

function ChunkFailed() {
  const { t } = useTranslation();
  return (
    <div className="state state-error card" role="alert" data-testid="error">
      <p>{t('errors.network')}</p>
      <button type="button" className="button button-secondary" onClick={() => window.location.reload()}>
        {t('common.retry')}
      </button>
    </div>
  );
}

function PageLoading() {
  const { t } = useTranslation();
  const slow = useTookTooLong(true, 10_000);
  return <Loading label={slow ? t('watch.slow') : undefined} />;
}

/**
 * A page whose code is downloaded when first shown (consoles most visitors never open).
 * A failed download (offline, or a new version was deployed) shows a retry instead of a blank page.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component }), () => ({ default: ChunkFailed as ComponentType<P> })));
  return function LazyPage(props: P) {
    return (
      <Suspense fallback={<PageLoading />}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
