import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/platform/config.ts';
import { preparePicture } from '../server/pictures/pipeline.ts';
import { pictureIdOf as webPictureIdOf, thumbnailUrl } from '../web/src/pictures/urls.ts';
import { requireService } from './helpers/env.ts';
import { startTestServer, type TestClient, type TestServer } from './helpers/server.ts';
import { freePort, spawnZhibo } from './helpers/spawn.ts';

const postgres = await requireService('postgres');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const ID = '[0-9a-f-]{36}';

/** s3rver (a small real S3-compatible server) on 127.0.0.1 with its files in a temporary folder. */
async function startStore(port = 0, directory = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-s3-'))) {
  const s3rver = new S3rver({ port, address: '127.0.0.1', silent: true, directory });
  const address = await s3rver.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    endpoint,
    port: address.port,
    directory,
    client,
    createBucket: (bucket: string) => client.send(new CreateBucketCommand({ Bucket: bucket })),
    /** Every key in the bucket, sorted. */
    async keys(bucket: string) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
    /** Stops the server; `removeFiles: false` keeps the objects for a restart on the same folder. */
    async close(removeFiles = true) {
      client.destroy();
      await s3rver.close();
      if (removeFiles) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
type Store = Awaited<ReturnType<typeof startStore>>;

const s3Env = (store: Store, bucket: string, extra: Record<string, string> = {}) => ({
  PICTURE_STORE: 's3',
  S3_ENDPOINT: store.endpoint,
  S3_REGION: 'us-east-1',
  S3_BUCKET: bucket,
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  S3_FORCE_PATH_STYLE: 'true',
  ...extra,
});

/** A multipart/form-data body with one `file` part per picture, as a browser's FormData sends it. */
function multipart(files: { name: string; data: Buffer }[]) {
  const boundary = `----zhibo${crypto.randomBytes(8).toString('hex')}`;
  const parts = files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: image/png\r\n\r\n`), f.data, Buffer.from('\r\n')]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const png = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

type Brand = { client: TestClient; orgId: string };
type Picture = { id: string; url: string; thumbUrl: string };

async function brand(server: TestServer, login: string): Promise<Brand> {
  const client = server.client();
  await client.register(login);
  const orgId = (await client.post('/api/orgs', { kind: 'brand', name: '云存储品牌' })).json().org.id as string;
  return { client, orgId };
}

async function newProduct(b: Brand) {
  const response = await b.client.post(`/api/orgs/${b.orgId}/products`, { title: '蝴蝶酥', category: '食品/糕点', skus: [{ spec: { 规格: '12 片' }, priceFen: 5800, stock: 10 }] });
  return response.json().product.id as string;
}

const upload = async (b: Brand, productId: string, files: { name: string; data: Buffer }[]) => {
  const { body, headers } = multipart(files);
  return b.client.post(`/api/orgs/${b.orgId}/products/${productId}/pictures`, body, headers);
};

/** What a refused upload must leave untouched in the database. */
const snapshot = async (server: TestServer, productId: string) => ({
  images: (await server.database.db.selectFrom('products').select('images').where('id', '=', productId).executeTakeFirstOrThrow()).images,
  rows: (await server.database.db.selectFrom('product_images').select('id').execute()).map((r) => r.id).sort(),
});

const objectsOf = (ids: string[]) => ids.flatMap((id) => [`products/${id}/display.webp`, `products/${id}/thumb.webp`]).sort();

describe('the S3 store settings', () => {
  it('refuses PICTURE_STORE=s3 without a bucket or keys, naming each', () => {
    expect(() => loadConfig({ PICTURE_STORE: 's3' }, '/nonexistent-dir-for-dotenv')).toThrow(ConfigError);
    expect(() => loadConfig({ PICTURE_STORE: 's3', S3_BUCKET: 'pictures' }, '/nonexistent-dir-for-dotenv')).toThrow(/S3_ACCESS_KEY_ID="": required with PICTURE_STORE=s3[\s\S]*S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ PICTURE_STORE: 'ftp' }, '/nonexistent-dir-for-dotenv')).toThrow(/PICTURE_STORE="ftp": expected one of "disk", "s3"/);
    expect(() => loadConfig({ S3_PUBLIC_URL: 'cdn.example.com/pictures' }, '/nonexistent-dir-for-dotenv')).toThrow(/S3_PUBLIC_URL="cdn.example.com\/pictures": expected an http\(s\):\/\/ URL/);
    const config = loadConfig({ ...s3Env({ endpoint: 'http://127.0.0.1:9000' } as Store, 'pictures'), S3_PUBLIC_URL: 'https://cdn.example.com/pictures/' }, '/nonexistent-dir-for-dotenv');
    expect(config).toMatchObject({ PICTURE_STORE: 's3', S3_BUCKET: 'pictures', S3_FORCE_PATH_STYLE: true, S3_PUBLIC_URL: 'https://cdn.example.com/pictures' });
    expect(loadConfig({}, '/nonexistent-dir-for-dotenv').PICTURE_STORE).toBe('disk');
  });

  it('stops `npm start` with the invalid-configuration message and exit code 2', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-start-'));
    try {
      const child = spawnZhibo({ DATA_DIR: dataDir, PORT: String(await freePort()), RTMP_PORT: String(await freePort()), PICTURE_STORE: 's3', S3_ACCESS_KEY_ID: 'key' }, { cwd: dataDir });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain('Zhibo cannot start. Invalid configuration');
      expect(stderr).toContain('S3_BUCKET="": required with PICTURE_STORE=s3');
      expect(stderr).toContain('S3_SECRET_ACCESS_KEY="": required with PICTURE_STORE=s3');
      expect(stderr).not.toContain('S3_ACCESS_KEY_ID');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgres.ok)(`product pictures in an S3-compatible store [${dialect}]`, { timeout: 60_000 }, () => {
    let store: Store;
    let server: TestServer;
    let a: Brand;
    const bucket = 'zhibo-pictures';
    beforeAll(async () => {
      store = await startStore();
      await store.createBucket(bucket);
      server = await startTestServer({ dialect, env: s3Env(store, bucket) });
      a = await brand(server, 's3-brand@example.com');
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it('stores both renditions in the bucket and serves them through /media with caching headers', async () => {
      const productId = await newProduct(a);
      const response = await upload(a, productId, [
        { name: 'front.png', data: await png(1200, 900, '#c8302c') },
        { name: 'side.png', data: await png(300, 200, '#2f6db5') },
      ]);
      expect(response.status, response.body).toBe(201);
      const pictures = response.json().pictures as Picture[];
      expect(response.json().product.images).toEqual(pictures.map((p) => p.url));
      for (const p of pictures) {
        expect(p.url).toMatch(new RegExp(`^/media/products/${ID}/display\\.webp$`));
        expect(p.thumbUrl).toBe(p.url.replace('display.webp', 'thumb.webp'));
      }
      // The objects are in the bucket, with the headers a CDN in front of it would send.
      expect(await store.keys(bucket)).toEqual(objectsOf(pictures.map((p) => p.id)));
      const head = await store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: `products/${pictures[0]!.id}/display.webp` }));
      expect([head.ContentType, head.CacheControl]).toEqual(['image/webp', IMMUTABLE]);
      // Nothing on local disk.
      expect(fs.existsSync(path.join(server.dataDir, 'media'))).toBe(false);

      const visitor = server.client();
      const display = await visitor.get(pictures[0]!.url);
      expect(display.status).toBe(200);
      expect(display.raw.headers['content-type']).toBe('image/webp');
      expect(display.raw.headers['cache-control']).toBe(IMMUTABLE);
      const meta = await sharp(display.raw.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 800, 600]);
      const thumb = await sharp((await visitor.get(pictures[1]!.thumbUrl)).raw.rawPayload).metadata();
      expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 240, 240]);
      const again = await visitor.get(pictures[0]!.url, { 'if-none-match': display.raw.headers.etag as string });
      expect(again.status).toBe(304);
      // A picture id the bucket does not have.
      const missing = await visitor.get('/media/products/00000000-0000-7000-8000-000000000000/display.webp');
      expect(missing.status).toBe(404);
      expect(missing.raw.headers['cache-control']).toBe('no-store');
    });

    it('reorders, and deletes a picture with its objects', async () => {
      const productId = await newProduct(a);
      const files = await Promise.all(['#111111', '#222222', '#333333'].map(async (c, i) => ({ name: `${i}.png`, data: await png(100, 100, c) })));
      const pictures = (await upload(a, productId, files)).json().pictures as Picture[];
      const urls = pictures.map((p) => p.url);
      const reordered = await a.client.put(`/api/orgs/${a.orgId}/products/${productId}/pictures/order`, { images: [urls[2], urls[0], urls[1]] });
      expect(reordered.status, reordered.body).toBe(200);
      expect(reordered.json().product.images).toEqual([urls[2], urls[0], urls[1]]);

      const keysBefore = await store.keys(bucket);
      expect(keysBefore).toEqual(expect.arrayContaining(objectsOf([pictures[0]!.id])));
      const removed = await a.client.delete(`/api/orgs/${a.orgId}/products/${productId}/pictures/${pictures[0]!.id}`);
      expect(removed.status, removed.body).toBe(200);
      expect(removed.json().product.images).toEqual([urls[2], urls[1]]);
      expect(await store.keys(bucket)).toEqual(keysBefore.filter((k) => !k.startsWith(`products/${pictures[0]!.id}/`)));
      const gone = await server.client().get(urls[0]!);
      expect(gone.status).toBe(404);
      expect(gone.raw.headers['cache-control']).toBe('no-store');
    });

    it('removes the objects it put when the database refuses the pictures', async () => {
      const productId = await newProduct(a);
      const keysBefore = await store.keys(bucket);
      // Another request fills the product while this one renders: the count inside the transaction refuses it.
      const nine = JSON.stringify(Array.from({ length: 9 }, (_, i) => `https://img.example.com/${i}.png`));
      const data = await png(64, 64, '#888888');
      const refused = server.services.pictures.upload(a.orgId, productId, [{ filename: 'late.png', mimetype: 'image/png', bytes: data }], {
        prepare: async (file) => {
          await server.database.db.updateTable('products').set({ images: nine }).where('id', '=', productId).execute();
          return preparePicture(file, { maxBytes: 1024 * 1024, maxPixels: 1_000_000 });
        },
      });
      await expect(refused).rejects.toMatchObject({ code: 'PICTURE_TOO_MANY' });
      expect(await store.keys(bucket)).toEqual(keysBefore);
      expect((await snapshot(server, productId)).images).toBe(nine);
    });
  });

  describe.skipIf(dialect === 'postgres' && !postgres.ok)(`pictures under S3_PUBLIC_URL, and a store that goes away [${dialect}]`, { timeout: 60_000 }, () => {
    let store: Store;
    let server: TestServer;
    let a: Brand;
    let productId: string;
    let first: Picture;
    const bucket = 'public-pictures';
    beforeAll(async () => {
      // A port outside the ephemeral range, so the store can come back on it (see freePort).
      store = await startStore(await freePort());
      await store.createBucket(bucket);
      // s3rver serves the bucket at <endpoint>/<bucket>/<key> to anyone: it stands in for a public bucket or CDN.
      server = await startTestServer({ dialect, env: s3Env(store, bucket, { S3_PUBLIC_URL: `${store.endpoint}/${bucket}/` }) });
      a = await brand(server, 's3-public@example.com');
      productId = await newProduct(a);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close().catch(() => undefined);
    });

    it('gives the pictures URLs under S3_PUBLIC_URL, which serve the objects themselves', async () => {
      const response = await upload(a, productId, [{ name: 'a.png', data: await png(500, 500, '#c8302c') }]);
      expect(response.status, response.body).toBe(201);
      first = (response.json().pictures as Picture[])[0]!;
      expect(first.url).toBe(`${store.endpoint}/${bucket}/products/${first.id}/display.webp`);
      expect(first.thumbUrl).toBe(`${store.endpoint}/${bucket}/products/${first.id}/thumb.webp`);
      const listed = (await a.client.get(`/api/orgs/${a.orgId}/products`)).json().products.find((p: { id: string }) => p.id === productId);
      expect(listed.images).toEqual([first.url]);
      // The web app finds the thumbnail and the picture id (for its delete button) in such a URL too.
      expect([thumbnailUrl(first.url), webPictureIdOf(first.url)]).toEqual([first.thumbUrl, first.id]);
      expect(thumbnailUrl('https://img.example.com/a.png')).toBe('https://img.example.com/a.png');
      // The browser fetches them from the bucket, not from Zhibo.
      const fetched = await fetch(first.thumbUrl);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('image/webp');
      expect(fetched.headers.get('cache-control')).toBe(IMMUTABLE);
      const meta = await sharp(Buffer.from(await fetched.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 240, 240]);
      // The page may show images from there.
      const page = await server.client().get('/api/auth/session');
      expect(page.raw.headers['content-security-policy']).toMatch(new RegExp(`img-src [^;]*${store.endpoint.replace(/[.]/g, '\\.')}`));
      // Reorder and delete recognise these URLs as the product's own pictures.
      const second = (await upload(a, productId, [{ name: 'b.png', data: await png(300, 300, '#2f6db5') }])).json().pictures[1] as Picture;
      const reordered = await a.client.put(`/api/orgs/${a.orgId}/products/${productId}/pictures/order`, { images: [second.url, first.url] });
      expect(reordered.json().product.images).toEqual([second.url, first.url]);
      const removed = await a.client.delete(`/api/orgs/${a.orgId}/products/${productId}/pictures/${second.id}`);
      expect(removed.status, removed.body).toBe(200);
      expect(removed.json().product.images).toEqual([first.url]);
      expect(await store.keys(bucket)).toEqual(objectsOf([first.id]));
    });

    it('answers PICTURE_STORE_UNAVAILABLE (503) while the store is away, changes nothing, and works again when it is back', async () => {
      const before = await snapshot(server, productId);
      const keys = await store.keys(bucket);
      await store.close(false);

      const refused = await upload(a, productId, [{ name: 'c.png', data: await png(200, 200, '#27ae60') }]);
      expect(refused.status, refused.body).toBe(503);
      expect(refused.errorCode).toBe('PICTURE_STORE_UNAVAILABLE');
      expect(refused.json().error.message).toBe('图片存储暂时无法访问，请稍后再试');
      expect(await snapshot(server, productId)).toEqual(before);
      // Zhibo still serves /media URLs (recorded before S3_PUBLIC_URL was set) from the store: not now, and not cached.
      const served = await server.client({ locale: 'en' }).get(`/media/products/${first.id}/display.webp`);
      expect(served.status).toBe(503);
      expect(served.json().error).toMatchObject({ code: 'PICTURE_STORE_UNAVAILABLE', message: 'The picture store is unavailable; please try again shortly' });
      expect(served.raw.headers['cache-control']).toBe('no-store');
      // The server is still up.
      expect((await server.client().get('/healthz')).status).toBe(200);

      store = await startStore(store.port, store.directory);
      expect(await store.keys(bucket)).toEqual(keys);
      expect((await server.client().get(`/media/products/${first.id}/display.webp`)).status).toBe(200);
      const retried = await upload(a, productId, [{ name: 'c.png', data: await png(200, 200, '#27ae60') }]);
      expect(retried.status, retried.body).toBe(201);
    });
  });

  describe.skipIf(dialect === 'postgres' && !postgres.ok)(`the demo seed with the S3 store [${dialect}]`, { timeout: 90_000 }, () => {
    let store: Store;
    let server: TestServer;
    const bucket = 'demo-pictures';
    beforeAll(async () => {
      store = await startStore();
      await store.createBucket(bucket);
      server = await startTestServer({ dialect, demo: true, env: s3Env(store, bucket) });
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it('puts the demo products’ and the demo base’s pictures in the bucket', async () => {
      const rows = await server.database.db.selectFrom('product_images').select('id').execute();
      expect(rows.length).toBeGreaterThanOrEqual(7);
      const photos = await server.database.db.selectFrom('base_photos').select('id').execute();
      expect(photos.length).toBeGreaterThanOrEqual(1);
      const basePhotos = photos.flatMap((r) => [`bases/${r.id}/display.webp`, `bases/${r.id}/thumb.webp`]);
      expect(await store.keys(bucket)).toEqual([...objectsOf(rows.map((r) => r.id)), ...basePhotos].sort());
      const product = await server.database.db.selectFrom('products').select('images').where('title', '=', '德兴斋鲜肉月饼').executeTakeFirstOrThrow();
      const images = JSON.parse(product.images) as string[];
      expect(images).toHaveLength(2);
      const meta = await sharp((await server.client().get(images[0]!)).raw.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 800, 800]);
    });
  });
}
