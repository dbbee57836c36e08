import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRaw, del, path, put } from '../api';
import { safeImageUrl } from '../shared/urls';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { moved, PictureList } from '../pictures/PictureList';
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

/** A base's or a studio's photos in the base console (the list itself is PictureList): the first is the cover. */
export function PhotoManager({ url, title, max, canEdit, onChanged }: { url: string; title: string; max: number; canEdit: boolean; onChanged?: () => void }) {
  const { t } = useTranslation();
  const state = useApi<PhotosAnswer>(url);
  const action = useAction();
  const [answer, setAnswer] = useState<PhotosAnswer | null>(null);
  const photos = (answer ?? state.data)?.photos ?? [];
  const full = photos.length >= max;

  const done = (next: PhotosAnswer | undefined) => {
    if (!next) return;
    setAnswer(next);
    onChanged?.();
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <PictureList
      items={photos}
      text={{
        title,
        count: t('bases.photos.count', { n: photos.length, max }),
        empty: t('bases.photos.empty'),
        alt: (n) => t('bases.photos.alt', { name: title, n }),
        first: t('bases.photos.cover'),
        moveBefore: (n) => t('bases.photos.moveBefore', { n }),
        moveAfter: (n) => t('bases.photos.moveAfter', { n }),
        remove: t('bases.photos.remove'),
        removeLabel: (n) => t('bases.photos.removeLabel', { n }),
        add: t('bases.photos.add'),
        uploading: t('bases.photos.uploading'),
        hint: full ? t('bases.photos.full', { max }) : t('bases.photos.hint', { max }),
      }}
      ids={{ root: 'base-photos', item: 'base-photo', before: 'base-photo-before', after: 'base-photo-after', remove: 'base-photo-remove', input: 'base-photo-input', idAttribute: 'data-photo-id' }}
      canEdit={canEdit}
      busy={action.busy}
      uploading={action.busy}
      full={full}
      accept={ACCEPT}
      error={action.error}
      onAdd={async (files) => {
        const form = new FormData();
        for (const file of files) form.append('file', file, file.name);
        // contentType '': the browser sets multipart/form-data with its boundary.
        done(await action.run(async () => (await (await apiRaw('POST', url, { data: form, contentType: '' }, { timeoutMs: 120_000 })).json()) as PhotosAnswer));
      }}
      onMove={(from, to) => void action.run(() => put<PhotosAnswer>(`${url}/order`, { photos: moved(photos.map((p) => p.url), from, to) })).then(done)}
      onRemove={(id) => {
        if (!window.confirm(t('bases.photos.confirmRemove'))) return;
        void action.run(() => del<PhotosAnswer>(`${url}/${encodeURIComponent(id)}`)).then(done);
      }}
    />
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
