import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRaw, del, path, put } from '../api';
import { FormError } from '../shared/Field';
import { safeImageUrl } from '../shared/urls';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import '../pictures/pictures.css';

/** One photo as the server answers it (docs/BASES.md, "Photos"); a typed-in URL has no id and no size. */
export type BasePhoto = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null };
type PhotosAnswer = { photos: BasePhoto[] };

/** The limits the server enforces (server/bases/photos.ts). */
export const MAX_BASE_PHOTOS = 20;
export const MAX_STUDIO_PHOTOS = 9;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';

// An uploaded photo's display URL (under /media or the picture store's public address); the thumbnail sits beside it.
const DISPLAY = /^((?:\/media|https?:\/\/[^?#]+)\/bases\/[0-9a-f-]{36}\/)display\.webp$/;
export const photoThumbUrl = (url: string) => {
  const match = DISPLAY.exec(url);
  return match ? `${match[1]}thumb.webp` : url;
};

/** Photos in a row, read-only: a base's profile or a studio, for bookers and streamers. */
export function PhotoStrip({ urls, alt, testId }: { urls: string[]; alt: string; testId?: string }) {
  const { t } = useTranslation();
  if (!urls.length) return null;
  return (
    <ol className="pictures-list base-photo-strip" data-testid={testId} aria-label={alt}>
      {urls.map((url, i) => {
        const src = safeImageUrl(photoThumbUrl(url));
        return src ? (
          <li key={url} className="pictures-item">
            <a href={safeImageUrl(url) ?? undefined} target="_blank" rel="noreferrer noopener">
              <img src={src} alt={t('bases.photos.alt', { name: alt, n: i + 1 })} width={96} height={96} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
            </a>
          </li>
        ) : null;
      })}
    </ol>
  );
}

/**
 * A base's or a studio's photos in the base console: thumbnails in order (the first is the cover), and for
 * owners and admins: upload (one or more files), move earlier or later, delete. Errors are the server's.
 */
export function PhotoManager({ url, title, max, canEdit, onChanged }: { url: string; title: string; max: number; canEdit: boolean; onChanged?: () => void }) {
  const { t } = useTranslation();
  const state = useApi<PhotosAnswer>(url);
  const action = useAction();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [answer, setAnswer] = useState<PhotosAnswer | null>(null);
  const photos = (answer ?? state.data)?.photos ?? [];
  const full = photos.length >= max;

  const done = (next: PhotosAnswer | undefined) => {
    if (!next) return;
    setAnswer(next);
    onChanged?.();
  };
  const add = async (files: File[]) => {
    if (!files.length) return;
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    // contentType '': the browser sets multipart/form-data with its boundary.
    done(await action.run(async () => (await (await apiRaw('POST', url, { data: form, contentType: '' }, { timeoutMs: 120_000 })).json()) as PhotosAnswer));
    if (input.current) input.current.value = '';
  };
  const move = (from: number, to: number) => {
    const order = photos.map((p) => p.url);
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    void action.run(() => put<PhotosAnswer>(`${url}/order`, { photos: order })).then(done);
  };
  const remove = (id: string) => {
    if (!window.confirm(t('bases.photos.confirmRemove'))) return;
    void action.run(() => del<PhotosAnswer>(`${url}/${encodeURIComponent(id)}`)).then(done);
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <section className="pictures" data-testid="base-photos" aria-label={title}>
      <p className="pictures-head">
        <span>{title}</span> <span className="muted">{t('bases.photos.count', { n: photos.length, max })}</span>
      </p>
      {!photos.length ? <p className="muted pictures-empty">{t('bases.photos.empty')}</p> : null}
      <ol className="pictures-list">
        {photos.map((p, i) => {
          const src = safeImageUrl(p.thumbUrl);
          return (
            <li key={p.url} className="pictures-item" data-testid="base-photo" data-photo-id={p.id ?? undefined} data-url={p.url}>
              {src ? <img src={src} alt={t('bases.photos.alt', { name: title, n: i + 1 })} width={96} height={96} loading="lazy" decoding="async" referrerPolicy="no-referrer" /> : <span className="room-product-img-empty" aria-hidden="true" />}
              {i === 0 ? <span className="pictures-main">{t('bases.photos.cover')}</span> : null}
              {canEdit ? (
                <span className="pictures-actions">
                  <button type="button" className="link-button" data-testid="base-photo-before" disabled={i === 0 || action.busy} aria-label={t('bases.photos.moveBefore', { n: i + 1 })} onClick={() => move(i, i - 1)}>
                    ←
                  </button>
                  <button type="button" className="link-button" data-testid="base-photo-after" disabled={i === photos.length - 1 || action.busy} aria-label={t('bases.photos.moveAfter', { n: i + 1 })} onClick={() => move(i, i + 1)}>
                    →
                  </button>
                  {p.id ? (
                    <button type="button" className="link-button link-danger" data-testid="base-photo-remove" disabled={action.busy} aria-label={t('bases.photos.removeLabel', { n: i + 1 })} onClick={() => remove(p.id!)}>
                      {t('bases.photos.remove')}
                    </button>
                  ) : null}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {canEdit ? (
        <div className="pictures-add">
          <label htmlFor={inputId} className={`button button-ghost button-small${full || action.busy ? ' is-disabled' : ''}`}>
            {action.busy ? t('bases.photos.uploading') : `+ ${t('bases.photos.add')}`}
          </label>
          <input ref={input} id={inputId} className="sr-only" data-testid="base-photo-input" type="file" accept={ACCEPT} multiple disabled={full || action.busy} onChange={(e) => void add(Array.from(e.target.files ?? []))} />
          <p className="field-hint">{full ? t('bases.photos.full', { max }) : t('bases.photos.hint', { max })}</p>
        </div>
      ) : null}
      <FormError error={action.error} />
    </section>
  );
}

/** The base console's photos (直播间 tab): the base's profile photos, and one studio's at a time. */
export function BasePhotosPanel({ orgId, studios, canEdit }: { orgId: string; studios: { id: string; name: string }[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [picked, setPicked] = useState('');
  const studio = studios.find((s) => s.id === picked) ?? studios[0];
  return (
    <section className="base-photos-panel" data-testid="base-photos-panel">
      <h3>{t('bases.photos.title')}</h3>
      <PhotoManager url={path`/api/orgs/${orgId}/base/photos`} title={t('bases.photos.profile')} max={MAX_BASE_PHOTOS} canEdit={canEdit} />
      {studio ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-studio`}>{t('bases.photos.studio')}</label>
            <select id={`${id}-studio`} data-testid="base-photos-studio" value={studio.id} onChange={(e) => setPicked(e.target.value)}>
              {studios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <PhotoManager key={studio.id} url={path`/api/orgs/${orgId}/studios/${studio.id}/photos`} title={studio.name} max={MAX_STUDIO_PHOTOS} canEdit={canEdit} />
        </>
      ) : null}
      <p className="field-hint">{t('bases.photos.note')}</p>
    </section>
  );
}
