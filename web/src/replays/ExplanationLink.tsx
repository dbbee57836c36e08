// 看讲解: where a product is shown outside its live (the buy sheet, product cards), a link to its latest
// explanation clip in a replay, when there is one (GET /api/products/:id/explanation answers null when not).
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, path } from '../api';
import { clockText, explanationHref, type Explanation } from './types';
import './replays.css';

/** The link itself, for a product whose explanation is already known (product cards carry it). */
export function ExplanationAnchor({ productId, title, sessionId, startS }: { productId: string; title: string; sessionId: string; startS: number }) {
  const { t } = useTranslation();
  return (
    <Link
      className="explanation-link"
      to={explanationHref(sessionId, productId)}
      aria-label={t('replays.productLinkLabel', { title, time: clockText(startS) })}
      data-testid="explanation-link"
      data-session-id={sessionId}
      data-start={startS}
    >
      ▶ {t('replays.productLink')}
    </Link>
  );
}

/** Asks for the product's explanation; nothing is shown without one, or when it is in `exceptSessionId` (the replay being watched). */
export function ExplanationLink({ productId, title, exceptSessionId }: { productId: string; title: string; exceptSessionId?: string }) {
  const [found, setFound] = useState<Explanation | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    setFound(null);
    get<{ explanation: Explanation | null }>(path`/api/products/${productId}/explanation`, ac.signal).then(
      (res) => setFound(res?.explanation && typeof res.explanation.startS === 'number' ? res.explanation : null),
      () => undefined,
    );
    return () => ac.abort();
  }, [productId]);
  if (!found || found.sessionId === exceptSessionId) return null;
  return <ExplanationAnchor productId={productId} title={title} sessionId={found.sessionId} startS={found.startS} />;
}
