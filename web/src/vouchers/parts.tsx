// Pieces shared by the vouchers pages: the days-and-slots line, a date in China time.
import { useTranslation } from 'react-i18next';
import type { Slot } from './types';

export function chinaDate(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function HoursLine({ days, slots }: { days: number[]; slots: Slot[] }) {
  const { t } = useTranslation();
  const dayText = days.length === 7 ? '' : days.map((d) => t(`vouchers.days.${d as 1 | 2 | 3 | 4 | 5 | 6 | 7}`)).join(' ');
  return <span>{t('vouchers.hours', { days: dayText, slots: slots.map((s) => `${s.from}–${s.to}`).join(', ') })}</span>;
}
