import type { Logger } from 'pino';
import { AppError } from '../platform/errors.ts';
import { checkKey, type PictureStorage } from './storage.ts';

export type S3StorageConfig = {
  /** MinIO, OSS, COS, R2, s3rver…; unset: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** <endpoint>/<bucket>/<key> rather than <bucket>.<endpoint>/<key>. */
  forcePathStyle: boolean;
};

/**
 * Pictures in an S3-compatible bucket, under the same keys as on disk (`products/<picture id>/display.webp`).
 * A store that fails or does not answer becomes `PICTURE_STORE_UNAVAILABLE` (503) with the cause logged;
 * a missing object is null, as on disk.
 */
export function createS3Storage(config: S3StorageConfig, logger: Logger): PictureStorage {
  // The SDK (about 22 MB of memory once loaded) is loaded with the first call, so a server on the disk store,
  // and start-up, never pay for it.
  let connected: Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: import('@aws-sdk/client-s3').S3Client }> | null = null;
  const connect = () =>
    (connected ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        endpoint: config.endpoint,
        region: config.region,
        forcePathStyle: config.forcePathStyle,
        credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
        // The SDK's three attempts, each bounded: a store that accepts connections and never answers must not
        // hold an upload (or a picture request) for ever.
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 3000, requestTimeout: 15_000 },
      }),
    })));
  const Bucket = config.bucket;

  async function call<T>(what: string, key: string, work: (s3: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
    try {
      return await work(await connect());
    } catch (error) {
      if (error instanceof AppError) throw error;
      logger.error({ err: error, bucket: Bucket, key }, `picture store: ${what} failed`);
      throw new AppError('PICTURE_STORE_UNAVAILABLE');
    }
  }

  return {
    put(key, bytes, meta) {
      checkKey(key);
      return call('put', key, async (s3) => {
        await s3.client.send(new s3.sdk.PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: meta?.contentType, CacheControl: meta?.cacheControl }));
      });
    },

    get(key) {
      checkKey(key);
      return call('get', key, async (s3) => {
        try {
          const object = await s3.client.send(new s3.sdk.GetObjectCommand({ Bucket, Key: key }));
          return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
        } catch (error) {
          // NoSuchKey is the code; some stores answer a bare 404 to a GET.
          if ((error as Error).name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
          throw error;
        }
      });
    },

    removeFolder(prefix) {
      const Prefix = `${checkKey(prefix)}/`;
      return call('delete', Prefix, async (s3) => {
        // A page lists at most 1000 keys, which is also the most one DeleteObjects takes.
        let ContinuationToken: string | undefined;
        do {
          const page = await s3.client.send(new s3.sdk.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
          const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
          if (keys.length) {
            const result = await s3.client.send(new s3.sdk.DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
            if (result.Errors?.length) throw new Error(`could not delete ${result.Errors.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
          }
          ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (ContinuationToken);
      });
    },
  };
}
