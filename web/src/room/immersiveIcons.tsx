// Icons of the immersive room (the shared set in shared/icons.tsx has no share, back or rotate).
const common = { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export function IconShare() {
  return (
    <svg {...common}>
      <path d="M4 12v7a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-7" />
      <polyline points="16 6 12 2 8 6" />
      <line x1="12" y1="2" x2="12" y2="15" />
    </svg>
  );
}

export function IconBack() {
  return (
    <svg {...common}>
      <polyline points="15 18 9 12 15 6" />
    </svg>
  );
}

export function IconRotate() {
  return (
    <svg {...common}>
      <rect x="2" y="7" width="20" height="10" rx="2" />
      <path d="M7 3.5A9 9 0 0 1 17 3.5" />
      <polyline points="15.5 1.5 17 3.5 15 5" />
    </svg>
  );
}

export function IconChat() {
  return (
    <svg {...common}>
      <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
    </svg>
  );
}
