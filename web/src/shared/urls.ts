/** Only a same-site path or an http(s) address; anything else is null. */
export function safeHttpUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Only http(s) or same-site images are shown; anything else falls back to the placeholder. */
export function safeImageUrl(url: string | null): string | null {
  return safeHttpUrl(url);
}
