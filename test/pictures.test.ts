import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

// Small enough that a noisy 400×400 PNG is over it, large enough for every other test picture.
const MAX_BYTES = 256 * 1024;

type Upload = { name: string; type?: string; data: Buffer };

/** A multipart/form-data body with one `file` part per upload, as a browser's FormData sends it. */
function multipart(files: Upload[]) {
  const boundary = `----zhibo${crypto.randomBytes(8).toString('hex')}`;
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const solid = (width: number, height: number, format: 'png' | 'jpeg' | 'webp' | 'gif', colour = '#c8302c') =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();

/** A PNG whose header claims 50000×50000 pixels: 74 bytes that would decode to 7.5 GB. */
function pngBomb() {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(50_000, 0);
  header.writeUInt32BE(50_000, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

/** A GIF whose screen and only frame claim 50000×50000. */
const gifBomb = () =>
  Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x50, 0xc3, 0x50, 0xc3, 0, 0, 0]), Buffer.from([0x2c, 0, 0, 0, 0, 0x50, 0xc3, 0x50, 0xc3, 0]), Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00]), Buffer.from(';')]);

async function brand(server: TestServer, login: string, name: string) {
  const client = server.client();
  await client.register(login);
  const orgId = (await client.post('/api/orgs', { kind: 'brand', name })).json().org.id as string;
  return { client, orgId };
}

async function newProduct(b: { client: TestClient; orgId: string }) {
  const response = await b.client.post(`/api/orgs/${b.orgId}/products`, { title: '鲜肉月饼', category: '食品/糕点', skus: [{ spec: { 规格: '6 只装' }, priceFen: 3980, stock: 10 }] });
  return response.json().product.id as string;
}

const upload = (b: { client: TestClient; orgId: string }, productId: string, files: Upload[], orgId = b.orgId) => {
  const { body, headers } = multipart(files);
  return b.client.post(`/api/orgs/${orgId}/products/${productId}/pictures`, body, headers);
};

describeEachDatabase(
  'product pictures',
  ({ server }) => {
    let a: { client: TestClient; orgId: string };
    let b: { client: TestClient; orgId: string };
    const setup = async () => {
      a ??= await brand(server(), 'pic-a@example.com', '图片品牌甲');
      b ??= await brand(server(), 'pic-b@example.com', '图片品牌乙');
    };
    /** What a refused upload must leave untouched: the product's list, the table and the files. */
    const snapshot = async (productId: string) => ({
      images: (await server().database.db.selectFrom('products').select('images').where('id', '=', productId).executeTakeFirstOrThrow()).images,
      rows: (await server().database.db.selectFrom('product_images').select('id').execute()).length,
      folders: fs.existsSync(path.join(server().dataDir, 'media', 'products')) ? fs.readdirSync(path.join(server().dataDir, 'media', 'products')).length : 0,
    });

    it('uploads several pictures, makes a square thumbnail and a display WebP of each, and serves them with caching headers', async () => {
      await setup();
      const productId = await newProduct(a);
      const response = await upload(a, productId, [
        { name: '正面.png', type: 'image/png', data: await solid(1200, 900, 'png') },
        { name: 'side.JPG', type: 'image/jpeg', data: await solid(300, 200, 'jpeg', '#2f6db5') },
      ]);
      expect(response.status, response.body).toBe(201);
      const { product, pictures } = response.json();
      expect(pictures).toHaveLength(2);
      expect(pictures.map((p: { width: number; height: number }) => [p.width, p.height])).toEqual([
        [800, 600],
        [300, 200],
      ]);
      // products.images is the list of display URLs, in order: the 小黄车, the square and orders read it unchanged.
      expect(product.images).toEqual(pictures.map((p: { url: string }) => p.url));
      for (const p of pictures) {
        expect(p.url).toMatch(/^\/media\/products\/[0-9a-f-]{36}\/display\.webp$/);
        expect(p.thumbUrl).toBe(p.url.replace('display.webp', 'thumb.webp'));
      }
      const list = (await a.client.get(`/api/orgs/${a.orgId}/products`)).json().products.find((p: { id: string }) => p.id === productId);
      expect(list.images).toEqual(product.images);

      const visitor = server().client();
      const display = await visitor.get(pictures[0].url);
      expect(display.status).toBe(200);
      expect(display.raw.headers['content-type']).toBe('image/webp');
      expect(display.raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const etag = display.raw.headers.etag as string;
      expect(etag).toMatch(/^".+"$/);
      const decoded = await sharp(display.raw.rawPayload).metadata();
      expect([decoded.format, decoded.width, decoded.height]).toEqual(['webp', 800, 600]);
      const thumb = await visitor.get(pictures[1].thumbUrl);
      const thumbMeta = await sharp(thumb.raw.rawPayload).metadata();
      expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', 240, 240]);
      // The small JPEG is not enlarged for display.
      const small = await sharp((await visitor.get(pictures[1].url)).raw.rawPayload).metadata();
      expect([small.format, small.width, small.height]).toEqual(['webp', 300, 200]);
      const again = await visitor.get(pictures[0].url, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.raw.rawPayload.length).toBe(0);
      // Stored under DATA_DIR/media/products/<picture id>/.
      expect(fs.readdirSync(path.join(server().dataDir, 'media', 'products', pictures[0].id)).sort()).toEqual(['display.webp', 'thumb.webp']);
      expect((await visitor.get('/media/products/not-an-id/display.webp')).status).toBe(404);
      expect((await visitor.get(`/media/products/${pictures[0].id}/original.png`)).status).toBe(404);
    });

    it('reorders and deletes pictures, and refuses an order that is not the same pictures', async () => {
      await setup();
      const productId = await newProduct(a);
      const created = (
        await upload(a, productId, [
          { name: 'a.png', data: await solid(100, 100, 'png', '#111111') },
          { name: 'b.webp', data: await solid(100, 100, 'webp', '#222222') },
          { name: 'c.gif', data: await solid(100, 100, 'gif', '#333333') },
        ])
      ).json().pictures as { id: string; url: string }[];
      const urls = created.map((p) => p.url);
      const reordered = await a.client.put(`/api/orgs/${a.orgId}/products/${productId}/pictures/order`, { images: [urls[2], urls[0], urls[1]] });
      expect(reordered.status, reordered.body).toBe(200);
      expect(reordered.json().product.images).toEqual([urls[2], urls[0], urls[1]]);
      const positions = await server().database.db.selectFrom('product_images').select(['id', 'position']).where('product_id', '=', productId).orderBy('position').execute();
      expect(positions.map((r) => r.id)).toEqual([created[2]!.id, created[0]!.id, created[1]!.id]);

      for (const images of [[urls[0], urls[1]], [urls[0], urls[0], urls[1]], [urls[0], urls[1], '/media/products/00000000-0000-7000-8000-000000000000/display.webp']]) {
        const refused = await a.client.put(`/api/orgs/${a.orgId}/products/${productId}/pictures/order`, { images });
        expect(refused.errorCode).toBe('PICTURE_ORDER_INVALID');
        expect(refused.status).toBe(400);
      }
      const removed = await a.client.delete(`/api/orgs/${a.orgId}/products/${productId}/pictures/${created[0]!.id}`);
      expect(removed.status, removed.body).toBe(200);
      expect(removed.json().product.images).toEqual([urls[2], urls[1]]);
      const gone = await server().client().get(urls[0]!);
      expect(gone.status).toBe(404);
      expect(gone.raw.headers['cache-control']).toBe('no-store');
      expect(fs.existsSync(path.join(server().dataDir, 'media', 'products', created[0]!.id))).toBe(false);
      expect((await a.client.delete(`/api/orgs/${a.orgId}/products/${productId}/pictures/${created[0]!.id}`)).errorCode).toBe('PICTURE_NOT_FOUND');
      const rows = await server().database.db.selectFrom('product_images').select(['id', 'position']).where('product_id', '=', productId).orderBy('position').execute();
      expect(rows).toEqual([
        { id: created[2]!.id, position: 0 },
        { id: created[1]!.id, position: 1 },
      ]);
    });

    it('refuses each bad upload with its own error and stores nothing', async () => {
      await setup();
      const productId = await newProduct(a);
      const good = await solid(64, 64, 'png');
      const noise = await sharp(crypto.randomBytes(400 * 400 * 3), { raw: { width: 400, height: 400, channels: 3 } }).png().toBuffer();
      expect(noise.length).toBeGreaterThan(MAX_BYTES);
      const truncated = (await solid(400, 400, 'jpeg')).subarray(0, 300);
      const cases: [string, Upload[], string, number][] = [
        ['a text file named .jpg', [{ name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('this is not a picture, only words\n'.repeat(20)) }], 'PICTURE_NOT_IMAGE', 415],
        ['an SVG', [{ name: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') }], 'PICTURE_NOT_IMAGE', 415],
        ['a truncated JPEG', [{ name: 'cut.jpg', type: 'image/jpeg', data: truncated }], 'PICTURE_NOT_IMAGE', 415],
        ['a file over the size limit', [{ name: 'noise.png', type: 'image/png', data: noise }], 'PICTURE_TOO_LARGE', 413],
        ['a PNG claiming 50000×50000', [{ name: 'bomb.png', type: 'image/png', data: pngBomb() }], 'PICTURE_TOO_MANY_PIXELS', 422],
        ['a GIF claiming 50000×50000', [{ name: 'bomb.gif', type: 'image/gif', data: gifBomb() }], 'PICTURE_TOO_MANY_PIXELS', 422],
        ['a PNG named .jpg', [{ name: 'really-a-png.jpg', type: 'image/jpeg', data: good }], 'PICTURE_TYPE_MISMATCH', 415],
        ['a PNG sent as image/jpeg', [{ name: 'picture.png', type: 'image/jpeg', data: good }], 'PICTURE_TYPE_MISMATCH', 415],
        ['a good picture beside a bad one', [{ name: 'good.png', type: 'image/png', data: good }, { name: 'bad.jpg', data: Buffer.from('nope') }], 'PICTURE_NOT_IMAGE', 415],
        ['ten files at once', Array.from({ length: 10 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good })), 'PICTURE_TOO_MANY', 409],
        ['no file', [], 'PICTURE_NO_FILE', 400],
      ];
      const before = await snapshot(productId);
      for (const [what, files, code, status] of cases) {
        const response = await upload(a, productId, files);
        expect(response.errorCode, what).toBe(code);
        expect(response.status, what).toBe(status);
        expect(await snapshot(productId), what).toEqual(before);
      }
      // A JSON body is not an upload.
      expect((await a.client.post(`/api/orgs/${a.orgId}/products/${productId}/pictures`, { url: 'https://example.com/a.png' })).errorCode).toBe('PICTURE_NO_FILE');
      // The message names the file, in the user's language.
      const english = server().client({ locale: 'en' });
      await english.register('pic-en@example.com');
      expect((await english.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await a.client.post(`/api/orgs/${a.orgId}/members`, { login: 'pic-en@example.com', role: 'admin' })).status).toBe(201);
      const { body, headers } = multipart([{ name: 'really-a-png.jpg', type: 'image/jpeg', data: good }]);
      const refused = await english.post(`/api/orgs/${a.orgId}/products/${productId}/pictures`, body, headers);
      expect(refused.json().error.message).toBe('The name or type of “really-a-png.jpg” does not match its content (it is a PNG)');
      expect((await upload(a, productId, [{ name: 'really-a-png.jpg', type: 'image/jpeg', data: good }])).json().error.message).toContain('实际为 PNG');
    });

    it('keeps at most nine pictures a product', async () => {
      await setup();
      const productId = await newProduct(a);
      const good = await solid(32, 32, 'png');
      expect((await upload(a, productId, Array.from({ length: 5 }, (_, i) => ({ name: `${i}.png`, data: good })))).status).toBe(201);
      // Five plus five is over: the whole request is refused.
      const over = await upload(a, productId, Array.from({ length: 5 }, (_, i) => ({ name: `${i}.png`, data: good })));
      expect(over.errorCode).toBe('PICTURE_TOO_MANY');
      expect(over.json().error.message).toBe('每个商品最多 9 张图片');
      expect((await upload(a, productId, Array.from({ length: 4 }, (_, i) => ({ name: `${i}.png`, data: good })))).status).toBe(201);
      const before = await snapshot(productId);
      expect(JSON.parse(before.images)).toHaveLength(9);
      expect((await upload(a, productId, [{ name: 'ten.png', data: good }])).errorCode).toBe('PICTURE_TOO_MANY');
      expect(await snapshot(productId)).toEqual(before);
    });

    it('lets two uploads at once not pass nine together, leaving no files of the refused one', async () => {
      await setup();
      const productId = await newProduct(a);
      const five = await Promise.all(Array.from({ length: 5 }, (_, i) => solid(40 + i, 40, 'png')));
      const [first, second] = await Promise.all([0, 1].map(() => upload(a, productId, five.map((data, i) => ({ name: `${i}.png`, data })))));
      expect([first!.status, second!.status].sort()).toEqual([201, 409]);
      expect([first!.errorCode, second!.errorCode]).toContain('PICTURE_TOO_MANY');
      const images = JSON.parse((await snapshot(productId)).images) as string[];
      expect(images).toHaveLength(5);
      const folders = fs.readdirSync(path.join(server().dataDir, 'media', 'products'));
      const rows = await server().database.db.selectFrom('product_images').select('id').execute();
      // Every folder on disk belongs to a recorded picture.
      expect(folders.filter((f) => !rows.some((r) => r.id === f))).toEqual([]);
    });

    it("lets only the brand's owners, admins and staff change its pictures", async () => {
      await setup();
      const productId = await newProduct(a);
      const good = await solid(32, 32, 'png');
      const picture = (await upload(a, productId, [{ name: 'a.png', data: good }])).json().pictures[0] as { id: string; url: string };
      const before = await snapshot(productId);
      // Brand B through brand A's organisation: not a member.
      expect((await upload(b, productId, [{ name: 'x.png', data: good }], a.orgId)).status).toBe(403);
      expect((await b.client.delete(`/api/orgs/${a.orgId}/products/${productId}/pictures/${picture.id}`)).status).toBe(403);
      expect((await b.client.put(`/api/orgs/${a.orgId}/products/${productId}/pictures/order`, { images: [picture.url] })).status).toBe(403);
      // Brand B through its own organisation: brand A's product does not exist for it.
      expect((await upload(b, productId, [{ name: 'x.png', data: good }])).errorCode).toBe('PRODUCT_NOT_FOUND');
      expect((await b.client.delete(`/api/orgs/${b.orgId}/products/${productId}/pictures/${picture.id}`)).errorCode).toBe('PRODUCT_NOT_FOUND');
      expect((await b.client.put(`/api/orgs/${b.orgId}/products/${productId}/pictures/order`, { images: [picture.url] })).errorCode).toBe('PRODUCT_NOT_FOUND');
      // A viewer, an operator (read-only on brands) and someone logged out.
      const viewer = server().client();
      await viewer.register('pic-viewer@example.com');
      expect((await upload({ client: viewer, orgId: a.orgId }, productId, [{ name: 'x.png', data: good }])).status).toBe(403);
      const op = await operator(server());
      expect((await upload({ client: op.client, orgId: a.orgId }, productId, [{ name: 'x.png', data: good }])).status).toBe(403);
      const anonymous = server().client();
      expect((await upload({ client: anonymous, orgId: a.orgId }, productId, [{ name: 'x.png', data: good }])).status).toBe(401);
      expect(await snapshot(productId)).toEqual(before);
      // A staff member of brand A may.
      const staff = server().client();
      await staff.register('pic-staff@example.com');
      expect((await a.client.post(`/api/orgs/${a.orgId}/members`, { login: 'pic-staff@example.com', role: 'staff' })).status).toBe(201);
      expect((await upload({ client: staff, orgId: a.orgId }, productId, [{ name: 'b.png', data: good }])).status).toBe(201);
    });
  },
  { env: { PRODUCT_IMAGE_MAX_BYTES: String(MAX_BYTES) } },
);

describeEachDatabase(
  'the demo products’ pictures',
  ({ server }) => {
    it('has pictures drawn at seed time, with renditions, in the 小黄车', async () => {
      const titles = ['德兴斋鲜肉月饼', '德兴斋蝴蝶酥礼盒', '德兴斋八宝饭', '玉兰凝肌焕亮精华液', '玉兰凝肌丝绒唇釉', '玉兰凝肌舒缓面霜'];
      const products = await server().database.db.selectFrom('products').select(['id', 'title', 'images']).where('title', 'in', titles).execute();
      expect(products.map((p) => p.title).sort()).toEqual([...titles].sort());
      for (const product of products) {
        const images = JSON.parse(product.images) as string[];
        expect(images.length, product.title).toBeGreaterThanOrEqual(1);
        const client = server().client();
        const display = await sharp((await client.get(images[0]!)).raw.rawPayload).metadata();
        expect([display.format, display.width, display.height], product.title).toEqual(['webp', 800, 800]);
        const thumb = await sharp((await client.get(images[0]!.replace('display.webp', 'thumb.webp'))).raw.rawPayload).metadata();
        expect([thumb.format, thumb.width], product.title).toEqual(['webp', 240]);
      }
      const session = await server()
        .database.db.selectFrom('session_products')
        .select('session_id')
        .where('product_id', '=', products.find((p) => p.title === '德兴斋鲜肉月饼')!.id)
        .executeTakeFirstOrThrow();
      const room = await server().client().get(`/api/rooms/${session.session_id}/products`);
      expect(room.status, room.body).toBe(200);
      for (const p of room.json().products) expect(p.images[0]).toMatch(/^\/media\/products\/[0-9a-f-]{36}\/display\.webp$/);
    });
  },
  { demo: true },
);
