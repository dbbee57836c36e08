// /staff/redeem: the store staff's phone page. Scan the buyer's QR code (BarcodeDetector, where the
// browser has it) or type the code; the server redeems it once (核销) and says why when it refuses.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { chinaDate } from './parts';
import type { Redemption, StaffStore, VoucherCode } from './types';
import './vouchers.css';

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
const BarcodeDetectorCtor = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;

export function StaffRedeemPage() {
  const { t } = useTranslation();
  const stores = useApi<{ stores: StaffStore[] }>('/api/staff/stores');
  const [storeId, setStoreId] = useState<string | null>(null);
  const list = stores.data?.stores ?? [];
  const current = list.find((s) => s.id === storeId) ?? list[0];
  const recent = useApi<{ redemptions: VoucherCode[] }>(current ? path`/api/staff/stores/${current.id}/redemptions` : null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Redemption | null>(null);

  async function redeem(value: string) {
    if (!current || !value.trim()) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { redemption } = await post<{ redemption: Redemption }>('/api/staff/redeem', { storeId: current.id, code: value });
      setDone(redemption);
      setCode('');
      stores.reload();
      recent.reload();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    void redeem(code);
  }

  if (stores.status === 'error') return <div className="page staff-page"><ErrorNotice error={stores.error} onRetry={stores.reload} /></div>;
  if (!stores.data) return <Loading />;
  return (
    <div className="page staff-page" data-testid="staff-redeem">
      <h1>{t('vouchers.staff.title')}</h1>
      {!current ? <p className="muted" data-testid="staff-no-stores">{t('vouchers.staff.noStores')}</p> : (
        <>
          <label className="field">
            <span>{t('vouchers.staff.store')}</span>
            <select value={current.id} onChange={(e) => setStoreId(e.target.value)} data-testid="staff-store">
              {list.map((s) => <option key={s.id} value={s.id}>{s.brandName} · {s.name}</option>)}
            </select>
          </label>
          <p className="muted" data-testid="staff-today">{t('vouchers.staff.today', { count: current.redeemedToday })}</p>
          <form className="staff-form" onSubmit={submit}>
            <label className="field">
              <span>{t('vouchers.staff.code')}</span>
              <input inputMode="numeric" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} data-testid="staff-code" />
            </label>
            <button type="submit" className="button staff-redeem-button" disabled={busy || !code.trim()} data-testid="staff-submit">{t('vouchers.staff.redeem')}</button>
          </form>
          <Scanner onCode={(value) => void redeem(value)} />
          {done ? <p className="notice notice-success" role="status" data-testid="staff-done">{t('vouchers.staff.done', { title: done.title, code: done.codeText })}</p> : null}
          {error ? <div data-testid="staff-error" data-code={error.code}><ErrorNotice error={error} /></div> : null}
          <h2>{t('vouchers.staff.recent')}</h2>
          <ul className="staff-recent" data-testid="staff-recent">
            {recent.data?.redemptions.map((r) => <li key={r.id}>{r.title} · {r.codeText} · {r.redeemedAt ? chinaDate(r.redeemedAt) : ''}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}

/** The camera, where the browser can decode QR codes itself; otherwise a note that typing works. */
function Scanner({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!on || !BarcodeDetectorCtor) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    const detector = new BarcodeDetectorCtor({ formats: ['qr_code'] });
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current || stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stopped) {
          const found = await detector.detect(video.current).catch(() => []);
          if (found[0]?.rawValue) {
            onCode(found[0].rawValue);
            setOn(false);
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch {
        setOn(false);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [on, onCode]);
  if (!BarcodeDetectorCtor) return <p className="muted" data-testid="staff-no-camera">{t('vouchers.staff.noCamera')}</p>;
  return (
    <div className="staff-scanner">
      <button type="button" className="button button-secondary" onClick={() => setOn(!on)} data-testid="staff-scan">{on ? t('vouchers.staff.stopScan') : t('vouchers.staff.scan')}</button>
      {on ? <video ref={video} className="staff-video" muted playsInline /> : null}
    </div>
  );
}
