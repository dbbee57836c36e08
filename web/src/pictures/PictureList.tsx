import { useId, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api';
import { FormError } from '../shared/Field';
import { safeImageUrl } from '../shared/urls';
import './pictures.css';

/** One picture in an ordered list: its full URL, its thumbnail, and its id when it was uploaded (a typed-in URL has none and cannot be deleted here). */
export type PictureItem = { url: string; thumbUrl: string; id: string | null };

/** The words of one list, in the caller's domain (product pictures, a base's or a studio's photos). */
export type PictureListText = {
  title: string;
  count: string;
  empty: string;
  alt: (n: number) => string;
  first: string;
  moveBefore: (n: number) => string;
  moveAfter: (n: number) => string;
  remove: string;
  removeLabel: (n: number) => string;
  add: string;
  uploading: string;
  hint: string;
};

/** The test ids and the id attribute each caller's browser tests look for. */
export type PictureListIds = { root: string; item: string; before: string; after: string; remove: string; input: string; idAttribute: `data-${string}` };

/**
 * An ordered list of pictures with, for editors, upload (one or more files), move earlier or later and
 * delete: the product pictures of the brand console and the photos of a base and its studios. The first
 * picture is the cover. What each action does (which API, which limits) is the caller's; the errors
 * shown are the server's. `renderCaption`, when given, draws something of the caller's under each
 * thumbnail (a base's photos: their captions); product pictures do not pass it and are drawn as before.
 */
export function PictureList<T extends PictureItem>(props: {
  items: T[];
  text: PictureListText;
  ids: PictureListIds;
  canEdit: boolean;
  busy: boolean;
  uploading: boolean;
  full: boolean;
  accept: string;
  error: ApiError | null;
  onAdd: (files: File[]) => Promise<void>;
  onMove: (from: number, to: number) => void;
  onRemove: (id: string) => void;
  /** Under each thumbnail and its actions, in a wider item (`pictures-item-captioned`). */
  renderCaption?: (item: T, index: number) => ReactNode;
  children?: ReactNode;
}) {
  const { items, text, ids, canEdit, busy, uploading, full, renderCaption } = props;
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const add = async (files: File[]) => {
    if (!files.length) return;
    await props.onAdd(files);
    if (input.current) input.current.value = '';
  };
  return (
    <section className="pictures" data-testid={ids.root} aria-label={text.title}>
      <p className="pictures-head">
        <span>{text.title}</span> <span className="muted">{text.count}</span>
      </p>
      {!items.length ? <p className="muted pictures-empty">{text.empty}</p> : null}
      <ol className="pictures-list">
        {items.map((p, i) => {
          const src = safeImageUrl(p.thumbUrl);
          return (
            <li key={p.url} className={renderCaption ? 'pictures-item pictures-item-captioned' : 'pictures-item'} data-testid={ids.item} {...{ [ids.idAttribute]: p.id ?? undefined }} data-url={p.url}>
              {src ? <img src={src} alt={text.alt(i + 1)} width={96} height={96} loading="lazy" decoding="async" referrerPolicy="no-referrer" /> : <span className="room-product-img-empty" aria-hidden="true" />}
              {i === 0 ? <span className="pictures-main">{text.first}</span> : null}
              {canEdit ? (
                <span className="pictures-actions">
                  <button type="button" className="link-button" data-testid={ids.before} disabled={i === 0 || busy} aria-label={text.moveBefore(i + 1)} onClick={() => props.onMove(i, i - 1)}>
                    ←
                  </button>
                  <button type="button" className="link-button" data-testid={ids.after} disabled={i === items.length - 1 || busy} aria-label={text.moveAfter(i + 1)} onClick={() => props.onMove(i, i + 1)}>
                    →
                  </button>
                  {p.id ? (
                    <button type="button" className="link-button link-danger" data-testid={ids.remove} disabled={busy} aria-label={text.removeLabel(i + 1)} onClick={() => props.onRemove(p.id!)}>
                      {text.remove}
                    </button>
                  ) : null}
                </span>
              ) : null}
              {renderCaption ? renderCaption(p, i) : null}
            </li>
          );
        })}
      </ol>
      {canEdit ? (
        <div className="pictures-add">
          <label htmlFor={inputId} className={`button button-ghost button-small${full || busy ? ' is-disabled' : ''}`}>
            {uploading ? text.uploading : `+ ${text.add}`}
          </label>
          <input ref={input} id={inputId} className="sr-only" data-testid={ids.input} type="file" accept={props.accept} multiple disabled={full || busy} onChange={(e) => void add(Array.from(e.target.files ?? []))} />
          <p className="field-hint">{text.hint}</p>
        </div>
      ) : null}
      {props.children}
      <FormError error={props.error} />
    </section>
  );
}

/** Moves one entry of an order (the list of URLs the order endpoints take). */
export function moved<T>(order: T[], from: number, to: number): T[] {
  const next = [...order];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
