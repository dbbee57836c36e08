/**
 * An English count with its noun: "1 minute", "5 minutes", "0 lives". For the English half of texts the
 * server builds itself (notifications, refusal details); the web app's strings use i18next's _one/_other.
 */
export function countEn(count: number, one: string, other = `${one}s`): string {
  return `${count} ${count === 1 ? one : other}`;
}
