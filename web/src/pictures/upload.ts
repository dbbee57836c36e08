import { apiRaw, path } from '../api';

export type PictureView = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null };
/** What every picture call answers: the whole product (as the products list has it) and its pictures. */
export type PicturesAnswer = { product: { id: string; images: string[] }; pictures: PictureView[] };

/** The formats the server takes (it checks the bytes, not this list). */
export const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';
export const MAX_PICTURES = 9;

/** POST the files as multipart/form-data (one `file` part each); the answer is JSON. */
export async function uploadPictures(orgId: string, productId: string, files: File[]): Promise<PicturesAnswer> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  // contentType '': the browser sets multipart/form-data with its boundary. Big files on a slow line take a while.
  const res = await apiRaw('POST', path`/api/orgs/${orgId}/products/${productId}/pictures`, { data: form, contentType: '' }, { timeoutMs: 120_000 });
  return (await res.json()) as PicturesAnswer;
}
