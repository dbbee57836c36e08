import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../platform/db.ts';
import type { Locale } from '../platform/errors.ts';
import { originOf } from '../talent/routes.ts';
import type { Certificates } from '../training/certificates.ts';
import { injectHead, renderHead, type Preview } from './html.ts';
import { createPreviewPages } from './pages.ts';

/** A page's preview is kept this long, so a crawler storm on one link costs one query per half minute. */
export const PREVIEW_TTL_MS = 30_000;
/** At most this many previews kept (the oldest goes first); unknown ids are kept too, as "none". */
export const PREVIEW_CACHE_MAX = 2_000;

/** A Host (or trusted X-Forwarded-Host) fit for an absolute URL; anything else gets the plain page. */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * Link previews (docs/PREVIEWS.md): when the server answers index.html for a live room, a base's public
 * page or a certificate's verification page, the page's own <title>, description, Open Graph and
 * twitter:card tags go into the head, for chat apps and crawlers that do not run the web app.
 */
export function createPreviews(deps: { db: Db; certificates: Pick<Certificates, 'verify'>; distDir: string; ttlMs?: number }) {
  const pages = createPreviewPages(deps);
  const ttlMs = deps.ttlMs ?? PREVIEW_TTL_MS;
  // key → the preview (or null for none), from when it arrived; a load in flight is shared.
  const kept = new Map<string, { value: Promise<Preview | null>; at: number }>();
  let template: { file: string; mtimeMs: number; size: number; html: string } | null = null;

  function cachedPreview(key: string, load: () => Promise<Preview | null>): Promise<Preview | null> {
    const hit = kept.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const entry = { value: load(), at: Infinity };
    kept.delete(key);
    kept.set(key, entry);
    if (kept.size > PREVIEW_CACHE_MAX) kept.delete(kept.keys().next().value!);
    entry.value.then(
      () => (entry.at = Date.now()),
      // A failed read (the database away) is not kept: the next request tries again.
      () => kept.get(key) === entry && kept.delete(key),
    );
    return entry.value;
  }

  /** The preview of the page at this URL, or null when it has none. */
  function previewOf(url: string, locale: Locale): Promise<Preview | null> | null {
    const [pathname = '', query = ''] = url.split('?', 2);
    const match = /^\/(watch|bases|certificates)\/([^/]+)\/?$/.exec(pathname);
    if (!match) return null;
    let id: string;
    try {
      id = decodeURIComponent(match[2]!);
    } catch {
      return null;
    }
    if (id.length > 64) return null;
    switch (match[1]) {
      case 'watch':
        return cachedPreview(`live|${id}|${locale}`, () => pages.live(id, locale));
      case 'bases':
        return cachedPreview(`base|${id}|${locale}`, () => pages.base(id, locale));
      default: {
        const code = new URLSearchParams(query).get('code') ?? '';
        if (!code || code.length > 100) return null;
        return cachedPreview(`certificate|${id}|${code}|${locale}`, () => pages.certificate(id, code, locale));
      }
    }
  }

  /** index.html as built, read again when the file changes (a rebuilt web/dist is served without a restart). */
  async function indexHtml(): Promise<string> {
    const file = path.join(deps.distDir, 'index.html');
    const stat = await fs.stat(file);
    if (!template || template.mtimeMs !== stat.mtimeMs || template.size !== stat.size) {
      template = { file, mtimeMs: stat.mtimeMs, size: stat.size, html: await fs.readFile(file, 'utf8') };
    }
    return template.html;
  }

  return {
    /**
     * The page's HTML with its preview in the head, or null for the plain index.html (not a previewed
     * page, an unknown or private id, a bad Host, or any failure: never an error page).
     */
    async htmlFor(request: FastifyRequest): Promise<string | null> {
      try {
        if (!request.host || !HOST.test(request.host)) return null;
        const pending = previewOf(request.url, request.locale);
        const preview = pending && (await pending);
        if (!preview) return null;
        // Absolute links as the rest of the server writes them: the request's scheme and host, taken from
        // X-Forwarded-Proto and X-Forwarded-Host only with TRUST_PROXY.
        return injectHead(await indexHtml(), renderHead(preview, originOf(request), request.locale));
      } catch (error) {
        request.log.warn({ err: error, url: request.url }, 'link preview failed: the plain page is served');
        return null;
      }
    },
  };
}

export type Previews = ReturnType<typeof createPreviews>;
