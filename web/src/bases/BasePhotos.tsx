import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRaw, del, path, put } from '../api';
import { safeImageUrl } from '../shared/urls';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { moved, PictureList } from '../pictures/PictureList';
import '../pictures/pictures.css';
import './bases.css';

/** One photo as the server answers it (docs/BASES.md, "Photos"); a typed-in URL has no id, no size and no caption. */
export type BasePhoto = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null; caption: string | null };
type PhotosAnswer = { photos: BasePhoto[] };

/** The limits the server enforces (server/bases/photos.ts). */
export const MAX_BASE_PHOTOS = 20;
export const MAX_STUDIO_PHOTOS = 9;
/** A caption's limit in characters (Unicode code points, as the server counts them after trimming). */
export const MAX_PHOTO_CAPTION = 40;
const captionLength = (text: string) => [...text.trim()].length;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';

// An uploaded photo's display URL (under /media or the picture store's public address); the thumbnail sits beside it.
const DISPLAY = /^((?:\/media|https?:\/\/[^?#]+)\/bases\/[0-9a-f-]{36}\/)display\.webp$/;
export const photoThumbUrl = (url: string) => {
  const match = DISPLAY.exec(url);
  return match ? `${match[1]}thumb.webp` : url;
};

/** A photo as the read-only strip takes it: its display URL and its caption, if any. */
export type StripPhoto = { url: string; caption?: string | null };

/** The photos of a list of URLs with the captions beside them (`photoCaptions` of /api/bases and the calendars, same order). */
export const withCaptions = (urls: string[], captions: (string | null)[] | undefined): StripPhoto[] => urls.map((url, i) => ({ url, caption: captions?.[i] ?? null }));

/** Photos in a row, read-only: a base's profile or a studio, for bookers, streamers and the public page. A caption is shown under its photo (as text) and is its alt text. */
export function PhotoStrip({ photos, alt, testId }: { photos: StripPhoto[]; alt: string; testId?: string }) {
  const { t } = useTranslation();
  if (!photos.length) return null;
  return (
    <ol className="pictures-list base-photo-strip" data-testid={testId} aria-label={alt}>
      {photos.map(({ url, caption }, i) => {
        const src = safeImageUrl(photoThumbUrl(url));
        return src ? (
          <li key={url} className="pictures-item" data-testid="base-photo-strip-item">
            <a href={safeImageUrl(url) ?? undefined} target="_blank" rel="noreferrer noopener">
              <img src={src} alt={caption || t('bases.photos.alt', { name: alt, n: i + 1 })} width={96} height={96} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
            </a>
            {caption ? (
              <span className="base-photo-caption" title={caption} data-testid="base-photo-strip-caption">
                {caption}
              </span>
            ) : null}
          </li>
        ) : null;
      })}
    </ol>
  );
}

/**
 * One uploaded photo's caption in the console, for its owners and admins: saved on Enter or on leaving the box
 * (when changed), Esc puts back the stored one; a refusal keeps the text, marks the box and shows the server's
 * message under the list. The count is in characters, as the server counts them.
 */
function CaptionEditor({ photo, index, onSave }: { photo: BasePhoto & { id: string }; index: number; onSave: (id: string, caption: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const stored = photo.caption ?? '';
  const [value, setValue] = useState(stored);
  const [shown, setShown] = useState(stored);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const saving = useRef(false);
  // The server's answer (this save, or another photo's) brings the caption as stored.
  if (shown !== stored) {
    setShown(stored);
    setValue(stored);
  }
  const save = async () => {
    if (saving.current) return;
    if (value.trim() === stored) {
      if (value !== stored) setValue(stored);
      return;
    }
    saving.current = true;
    setStatus('saving');
    const ok = await onSave(photo.id, value);
    saving.current = false;
    setStatus(ok ? 'saved' : 'failed');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      setValue(stored);
      setStatus('idle');
    }
  };
  const length = captionLength(value);
  return (
    <span className="base-photo-caption-edit">
      <input
        type="text"
        className={status === 'failed' || length > MAX_PHOTO_CAPTION ? 'is-invalid' : undefined}
        data-testid="base-photo-caption"
        aria-label={t('bases.photos.captionLabel', { n: index + 1 })}
        aria-invalid={status === 'failed' || length > MAX_PHOTO_CAPTION}
        placeholder={t('bases.photos.captionPlaceholder')}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setStatus('idle');
        }}
        onKeyDown={onKeyDown}
        onBlur={() => void save()}
      />
      <span className="base-photo-caption-meta muted" aria-live="polite">
        {status === 'saving' ? (
          t('bases.photos.captionSaving')
        ) : status === 'saved' ? (
          <span data-testid="base-photo-caption-saved">{t('bases.photos.captionSaved')}</span>
        ) : (
          <span className={length > MAX_PHOTO_CAPTION ? 'is-over' : undefined}>{t('bases.photos.captionCount', { n: length, max: MAX_PHOTO_CAPTION })}</span>
        )}
      </span>
    </span>
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

  const saveCaption = async (id: string, caption: string) => {
    const next = await action.run(() => put<PhotosAnswer>(`${url}/${encodeURIComponent(id)}/caption`, { caption }));
    done(next);
    return next !== undefined;
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
        alt: (n) => photos[n - 1]?.caption || t('bases.photos.alt', { name: title, n }),
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
      renderCaption={(photo, i) =>
        canEdit && photo.id ? (
          <CaptionEditor photo={{ ...photo, id: photo.id }} index={i} onSave={saveCaption} />
        ) : photo.caption ? (
          <span className="base-photo-caption" title={photo.caption} data-testid="base-photo-caption-text">
            {photo.caption}
          </span>
        ) : null
      }
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
      {canEdit ? <p className="field-hint">{t('bases.photos.captionNote', { max: MAX_PHOTO_CAPTION })}</p> : null}
      <p className="field-hint">{t('bases.photos.note')}</p>
    </section>
  );
}
