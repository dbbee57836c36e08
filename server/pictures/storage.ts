import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where picture bytes live. Keys are relative paths such as `products/<picture id>/display.webp`.
 * Local disk under DATA_DIR/media, or an S3-compatible bucket (s3-storage.ts) with the same keys.
 */
export interface PictureStorage {
  /** `meta` is kept with the object where the store can (S3), so a CDN serving it sends the same headers. */
  put(key: string, bytes: Buffer, meta?: { contentType: string; cacheControl: string }): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Removes every object under `prefix/` (a picture's folder); nothing there is not an error. */
  removeFolder(prefix: string): Promise<void>;
}

const KEY = /^[a-z0-9-]+(\/[a-z0-9.-]+)*$/;

export function checkKey(key: string): string {
  // Keys are built by the server from ids it made, but a path must never leave the media folder.
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) throw new Error(`bad storage key ${key}`);
  return key;
}

/** Files under `root` (DATA_DIR/media); each write goes to a temporary name and is renamed into place. */
export function createDiskStorage(root: string): PictureStorage {
  const full = (key: string) => path.join(root, ...checkKey(key).split('/'));
  return {
    async put(key, bytes) {
      const file = full(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, file);
    },
    async get(key) {
      try {
        return await fs.readFile(full(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async removeFolder(prefix) {
      await fs.rm(full(prefix), { recursive: true, force: true });
    },
  };
}
