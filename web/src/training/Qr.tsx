// A QR code drawn as one SVG path (the `qrcode` encoder is loaded when it is first shown), as the room's share sheet does.
import { useEffect, useState } from 'react';

type Modules = { size: number; dark: (row: number, col: number) => boolean };

export function Qr({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [modules, setModules] = useState<Modules | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((m) => {
      if (!live) return;
      const qr = (m.default ?? m).create(text, { errorCorrectionLevel: 'M' });
      setModules({ size: qr.modules.size, dark: (r, c) => qr.modules.get(r, c) === 1 });
    });
    return () => {
      live = false;
    };
  }, [text]);
  if (!modules) return <div className="training-qr training-qr-loading" aria-busy="true" />;
  let d = '';
  for (let r = 0; r < modules.size; r++) for (let c = 0; c < modules.size; c++) if (modules.dark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  const side = modules.size + 8;
  return (
    <svg className="training-qr" viewBox={`0 0 ${side} ${side}`} role="img" aria-label={label} data-testid={testId} data-qr-text={text} data-qr-size={modules.size} shapeRendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
