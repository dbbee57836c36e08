import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, path, put } from '../api';
import { useAction } from '../shop/parts';
import { ACCEPT, MAX_PICTURES, uploadPictures, type PicturesAnswer } from './upload';
import { moved, PictureList } from './PictureList';
import { pictureIdOf, THUMB_SIZE, thumbnailUrl } from './urls';
import './pictures.css';

/** A product's pictures in the brand console (the list itself is PictureList): the first is the main picture. */
export function ProductPictures({ orgId, productId, title, images, canEdit, onChanged }: { orgId: string; productId: string; title: string; images: string[]; canEdit: boolean; onChanged: (answer: PicturesAnswer) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [uploading, setUploading] = useState(false);
  const full = images.length >= MAX_PICTURES;

  const done = (answer: PicturesAnswer | undefined) => {
    if (answer) onChanged(answer);
  };

  if (!canEdit && images.length === 0) return null;
  return (
    <PictureList
      items={images.map((url) => ({ url, thumbUrl: thumbnailUrl(url), id: pictureIdOf(url) }))}
      text={{
        title: t('pictures.title'),
        count: t('pictures.count', { n: images.length, max: MAX_PICTURES }),
        empty: t('pictures.empty'),
        alt: (n) => t('pictures.pictureAlt', { title, n }),
        first: t('pictures.main'),
        moveBefore: (n) => t('pictures.moveBeforeLabel', { n }),
        moveAfter: (n) => t('pictures.moveAfterLabel', { n }),
        remove: t('pictures.remove'),
        removeLabel: (n) => t('pictures.removeLabel', { n }),
        add: t('pictures.add'),
        uploading: t('pictures.uploading'),
        hint: full ? t('pictures.full') : t('pictures.hint'),
      }}
      ids={{ root: 'pictures', item: 'picture', before: 'picture-move-before', after: 'picture-move-after', remove: 'picture-remove', input: 'picture-input', idAttribute: 'data-picture-id' }}
      canEdit={canEdit}
      busy={action.busy}
      uploading={uploading}
      full={full}
      accept={ACCEPT}
      error={action.error}
      onAdd={async (files) => {
        setUploading(true);
        done(await action.run(() => uploadPictures(orgId, productId, files)));
        setUploading(false);
      }}
      onMove={(from, to) => void action.run(() => put<PicturesAnswer>(path`/api/orgs/${orgId}/products/${productId}/pictures/order`, { images: moved(images, from, to) })).then(done)}
      onRemove={(id) => {
        if (!window.confirm(t('pictures.confirmRemove'))) return;
        void action.run(() => del<PicturesAnswer>(path`/api/orgs/${orgId}/products/${productId}/pictures/${id}`)).then(done);
      }}
    />
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
