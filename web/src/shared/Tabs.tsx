import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

export type TabDef<K extends string> = { id: K; label: string };

/** Tabs kept in `?tab=` so a console view can be linked and survives reloads. */
export function useTab<K extends string>(tabs: readonly TabDef<K>[]): [K, (k: K) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const active = (tabs.find((t) => t.id === raw)?.id ?? tabs[0]?.id) as K;
  const set = (k: K) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };
  return [active, set];
}

export function Tabs<K extends string>({ tabs, active, onChange, label }: { tabs: readonly TabDef<K>[]; active: K; onChange: (k: K) => void; label: string }) {
  const list = useRef<HTMLDivElement>(null);
  // On a phone the tab bar scrolls sideways: keep the active tab in view (e.g. a linked ?tab= at the far end).
  useEffect(() => {
    const bar = list.current;
    const tab = bar?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!bar || !tab) return;
    const b = bar.getBoundingClientRect();
    const r = tab.getBoundingClientRect();
    if (r.left < b.left || r.right > b.right) bar.scrollLeft += r.left - b.left - 16;
  }, [active]);
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={list}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === active}
          className={tab.id === active ? 'tab tab-active' : 'tab'}
          data-testid={`tab-${tab.id}`}
          onClick={() => onChange(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
