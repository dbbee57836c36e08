// Share a live room: its link (copy, or the system's share sheet where there is one) and a QR code to
// scan with another phone. The QR encoder (`qrcode`) is downloaded only when the sheet opens.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconClose } from '../shared/icons';
import { useSheetKeys } from '../shop/CartSheet';

type Modules = { size: number; dark: (row: number, col: number) => boolean };

/** The QR code's modules for `text`, once the encoder has loaded; 'failed' if it cannot. */
function useQrModules(text: string): Modules | 'failed' | null {
  const [modules, setModules] = useState<Modules | 'failed' | null>(null);
  useEffect(() => {
    let live = true;
    setModules(null);
    import('qrcode').then(
      (m) => {
        if (!live) return;
        try {
          const qr = (m.default ?? m).create(text, { errorCorrectionLevel: 'M' });
          setModules({ size: qr.modules.size, dark: (r, c) => qr.modules.get(r, c) === 1 });
        } catch {
          setModules('failed');
        }
      },
      () => live && setModules('failed'),
    );
    return () => {
      live = false;
    };
  }, [text]);
  return modules;
}

/** One SVG path of the dark modules, with the four-module quiet zone around it. */
function qrPath(m: Modules): string {
  let d = '';
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) if (m.dark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  }
  return d;
}

export function QrCode({ text }: { text: string }) {
  const { t } = useTranslation();
  const modules = useQrModules(text);
  if (modules === 'failed') {
    return (
      <p className="imm-qr imm-qr-failed" role="alert" data-testid="share-qr-failed">
        {t('immersive.qrFailed')}
      </p>
    );
  }
  if (!modules) return <span className="imm-qr imm-qr-loading spinner" aria-hidden="true" />;
  const side = modules.size + 8;
  return (
    <svg className="imm-qr" data-testid="share-qr" data-modules={modules.size} viewBox={`0 0 ${side} ${side}`} role="img" aria-label={t('immersive.qrLabel')} shapeRendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={qrPath(modules)} fill="#000" />
    </svg>
  );
}

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http, old browsers): select the text and ask the browser to copy it.
    if (!input) return false;
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

export function ShareSheet({ sessionId, title, onClose }: { sessionId: string; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const closeRef = useSheetKeys(onClose);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  const link = new URL(`/watch/${encodeURIComponent(sessionId)}`, window.location.origin).toString();
  const canShare = typeof navigator.share === 'function';

  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet imm-share" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="share-sheet" onClick={(e) => e.stopPropagation()}>
        <div className="sheet-head">
          <h2 id={titleId}>{t('immersive.shareTitle')}</h2>
          <button type="button" className="icon-close" ref={closeRef} data-testid="share-close" aria-label={t('room.close')} onClick={onClose}>
            <IconClose />
          </button>
        </div>
        <div className="imm-share-body">
          <QrCode text={link} />
          <p className="muted imm-share-hint">{t('immersive.qrHint')}</p>
          <label className="imm-share-label" htmlFor={`${titleId}-link`}>
            {t('immersive.shareLink')}
          </label>
          <div className="imm-share-row">
            <input id={`${titleId}-link`} ref={setInput} className="imm-share-link" data-testid="share-link" value={link} readOnly onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="button button-small"
              data-testid="share-copy"
              onClick={() => void copyText(link, input).then((ok) => setCopied(ok ? 'copied' : 'failed'))}
            >
              {copied === 'copied' ? t('immersive.copied') : t('immersive.copy')}
            </button>
          </div>
          {copied === 'failed' ? (
            <p className="popup-error" role="alert" data-testid="share-copy-failed">
              {t('immersive.copyFailed')}
            </p>
          ) : null}
          {copied === 'copied' ? (
            <p className="sr-only" role="status" data-testid="share-copied">
              {t('immersive.copied')}
            </p>
          ) : null}
          {canShare ? (
            <button type="button" className="button button-ghost button-block" data-testid="share-system" onClick={() => void navigator.share({ title, url: link }).catch(() => undefined)}>
              {t('immersive.systemShare')}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
