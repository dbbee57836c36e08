// Small form pieces of the cockpit's cards.
import { useId } from 'react';

export function NumberInput({ label: text, value, onChange, testId, min = 1, step, inputMode = 'numeric' }: { label: string; value: string; onChange: (v: string) => void; testId: string; min?: number; step?: string; inputMode?: 'numeric' | 'decimal' }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <input id={id} data-testid={testId} type="number" inputMode={inputMode} min={min} step={step} value={value} onChange={(e) => onChange(e.target.value)} required />
    </div>
  );
}

export function positiveInt(v: string): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}
