import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, path, put } from '../api';
import { FormError } from '../shared/Field';
import { safeImageUrl } from '../shared/urls';
import { useAction } from '../shop/parts';
import { ACCEPT, MAX_PICTURES, uploadPictures, type PicturesAnswer } from './upload';
import { pictureIdOf, THUMB_SIZE, thumbnailUrl } from './urls';
import './pictures.css';

/**
 * A product's pictures in the brand console: thumbnails in order (the first is the main picture),
 * and for editors: add (one or more files), move earlier or later, delete. Errors are the server's.
 */
export function ProductPictures({ orgId, productId, title, images, canEdit, onChanged }: { orgId: string; productId: string; title: string; images: string[]; canEdit: boolean; onChanged: (answer: PicturesAnswer) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const full = images.length >= MAX_PICTURES;

  const done = (answer: PicturesAnswer | undefined) => {
    if (answer) onChanged(answer);
  };

  const add = async (files: File[]) => {
    if (files.length === 0) return;
    setUploading(true);
    done(await action.run(() => uploadPictures(orgId, productId, files)));
    setUploading(false);
    if (input.current) input.current.value = '';
  };

  const move = (from: number, to: number) => {
    const order = [...images];
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    void action.run(() => put<PicturesAnswer>(path`/api/orgs/${orgId}/products/${productId}/pictures/order`, { images: order })).then(done);
  };

  const remove = (id: string) => {
    if (!window.confirm(t('pictures.confirmRemove'))) return;
    void action.run(() => del<PicturesAnswer>(path`/api/orgs/${orgId}/products/${productId}/pictures/${id}`)).then(done);
  };

  if (!canEdit && images.length === 0) return null;
  return (
    <section className="pictures" data-testid="pictures" aria-label={t('pictures.title')}>
      <p className="pictures-head">
        <span>{t('pictures.title')}</span> <span className="muted">{t('pictures.count', { n: images.length, max: MAX_PICTURES })}</span>
      </p>
      {images.length === 0 ? <p className="muted pictures-empty">{t('pictures.empty')}</p> : null}
      <ol className="pictures-list">
        {images.map((url, i) => {
          const id = pictureIdOf(url);
          const src = safeImageUrl(thumbnailUrl(url));
          return (
            <li key={url} className="pictures-item" data-testid="picture" data-picture-id={id ?? undefined} data-url={url}>
              {src ? <img src={src} alt={t('pictures.pictureAlt', { title, n: i + 1 })} width={THUMB_SIZE} height={THUMB_SIZE} loading="lazy" decoding="async" referrerPolicy="no-referrer" /> : <span className="room-product-img-empty" aria-hidden="true" />}
              {i === 0 ? <span className="pictures-main">{t('pictures.main')}</span> : null}
              {canEdit ? (
                <span className="pictures-actions">
                  <button type="button" className="link-button" data-testid="picture-move-before" disabled={i === 0 || action.busy} aria-label={t('pictures.moveBeforeLabel', { n: i + 1 })} onClick={() => move(i, i - 1)}>
                    ←
                  </button>
                  <button type="button" className="link-button" data-testid="picture-move-after" disabled={i === images.length - 1 || action.busy} aria-label={t('pictures.moveAfterLabel', { n: i + 1 })} onClick={() => move(i, i + 1)}>
                    →
                  </button>
                  {id ? (
                    <button type="button" className="link-button link-danger" data-testid="picture-remove" disabled={action.busy} aria-label={t('pictures.removeLabel', { n: i + 1 })} onClick={() => remove(id)}>
                      {t('pictures.remove')}
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
            {uploading ? t('pictures.uploading') : `+ ${t('pictures.add')}`}
          </label>
          <input
            ref={input}
            id={inputId}
            className="sr-only"
            data-testid="picture-input"
            type="file"
            accept={ACCEPT}
            multiple
            disabled={full || action.busy}
            onChange={(e) => void add(Array.from(e.target.files ?? []))}
          />
          <p className="field-hint">{full ? t('pictures.full') : t('pictures.hint')}</p>
        </div>
      ) : null}
      <FormError error={action.error} />
    </section>
  );
}

/** Files chosen in the new-product form, uploaded once the product exists. */
export function QueuedPictures({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [previews] = useState(() => new WeakMap<File, string>());
  const previewOf = (file: File) => {
    let url = previews.get(file);
    if (!url) {
      url = URL.createObjectURL(file);
      previews.set(file, url);
    }
    return url;
  };
  const [tooMany, setTooMany] = useState(false);
  return (
    <section className="pictures" data-testid="picture-queue" aria-label={t('pictures.title')}>
      <p className="pictures-head">
        <span>{t('pictures.title')}</span> {files.length ? <span className="muted">{t('pictures.queued', { n: files.length })}</span> : null}
      </p>
      {files.length ? (
        <ol className="pictures-list">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`} className="pictures-item" data-testid="picture-queued">
              <img src={previewOf(file)} alt={file.name} width={THUMB_SIZE} height={THUMB_SIZE} />
              {i === 0 ? <span className="pictures-main">{t('pictures.main')}</span> : null}
              <span className="pictures-actions">
                <button type="button" className="link-button link-danger" onClick={() => onChange(files.filter((_, j) => j !== i))}>
                  {t('pictures.queuedRemove')}
                </button>
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      <div className="pictures-add">
        <label htmlFor={inputId} className={`button button-ghost button-small${files.length >= MAX_PICTURES ? ' is-disabled' : ''}`}>
          + {t('pictures.add')}
        </label>
        <input
          id={inputId}
          className="sr-only"
          data-testid="picture-queue-input"
          type="file"
          accept={ACCEPT}
          multiple
          disabled={files.length >= MAX_PICTURES}
          onChange={(e) => {
            const chosen = [...files, ...Array.from(e.target.files ?? [])];
            setTooMany(chosen.length > MAX_PICTURES);
            onChange(chosen.slice(0, MAX_PICTURES));
            e.target.value = '';
          }}
        />
        <p className="field-hint">{tooMany ? t('pictures.tooMany', { max: MAX_PICTURES }) : t('pictures.hint')}</p>
      </div>
    </section>
  );
}
