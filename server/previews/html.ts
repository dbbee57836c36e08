import type { Locale } from '../platform/errors.ts';

/**
 * What a shared link's preview shows (docs/PREVIEWS.md): the page's own title and description, its
 * picture (a path on this site or an absolute URL; null: the site's icon) and its path.
 */
export type Preview = {
  title: string;
  description: string;
  image: string | null;
  /** The page's path (and query, when the page needs it), e.g. /watch/<id>. */
  path: string;
  type: 'website' | 'video.other';
};

/** The picture a page without one of its own shows: the app's icon (web/public/icons). */
export const FALLBACK_IMAGE = '/icons/icon-512.png';

export const SITE_NAME: Record<Locale, string> = { 'zh-CN': '直播', en: 'Zhibo' };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML text and (quoted) attribute values: & < > " ' (OWASP's rule for both). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A picture's absolute URL: a path on this site (/media/…, /icons/…) on `origin`, an http(s) URL as it is, anything else none. */
export function absoluteUrl(url: string, origin: string): string | null {
  if (/^https?:\/\/[^\s]+$/i.test(url)) return url;
  if (url.startsWith('/') && !url.startsWith('//') && !/\s/.test(url)) return `${origin}${url}`;
  return null;
}

/** Text on one line, at most `max` characters (a cut ends with …). */
export function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** The tags that replace index.html's <title>: every value escaped, every URL absolute on `origin`. */
export function renderHead(preview: Preview, origin: string, locale: Locale): string {
  const site = SITE_NAME[locale];
  const own = preview.image ? absoluteUrl(preview.image, origin) : null;
  const image = own ?? `${origin}${FALLBACK_IMAGE}`;
  const meta = (attr: 'name' | 'property', key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}" />`;
  return [
    `<title>${escapeHtml(`${preview.title} - ${site}`)}</title>`,
    meta('name', 'description', preview.description),
    meta('property', 'og:site_name', site),
    meta('property', 'og:type', preview.type),
    meta('property', 'og:title', preview.title),
    meta('property', 'og:description', preview.description),
    meta('property', 'og:url', `${origin}${preview.path}`),
    meta('property', 'og:image', image),
    meta('property', 'og:locale', locale === 'en' ? 'en_US' : 'zh_CN'),
    meta('name', 'twitter:card', own ? 'summary_large_image' : 'summary'),
  ].join('\n    ');
}

/**
 * index.html with `head` in place of its <title> (before </head> if it has none); null when the file
 * has neither. Sliced, not String.replace: a `$&` or `$'` in a title must stay text.
 */
export function injectHead(indexHtml: string, head: string): string | null {
  const start = indexHtml.indexOf('<title>');
  const end = start < 0 ? -1 : indexHtml.indexOf('</title>', start);
  if (start >= 0 && end >= 0) return indexHtml.slice(0, start) + head + indexHtml.slice(end + '</title>'.length);
  const headEnd = indexHtml.indexOf('</head>');
  return headEnd < 0 ? null : `${indexHtml.slice(0, headEnd)}${head}\n  ${indexHtml.slice(headEnd)}`;
}
