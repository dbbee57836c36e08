import type { TFunction } from 'i18next';

/**
 * Translate a value that comes from the server (a status, a role, a kind):
 * `label(t, 'status', 'pending')` → t('status.pending'), or the raw value when
 * the catalogue has no entry for it (a newer server may send new values).
 */
export function label(t: TFunction, group: 'status' | 'role' | 'orgKind' | 'platformRole' | 'audit' | 'auditTarget', value: string | null | undefined): string {
  if (!value) return '';
  const key = `${group}.${value}`;
  const lookup = t as unknown as (k: string, o: { defaultValue: string }) => string;
  return lookup(key, { defaultValue: value });
}
