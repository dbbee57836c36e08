// Photos of a base and of its studios (docs/BASES.md, "Photos"): uploaded through the product pictures'
// pipeline, reordered, captioned and deleted by the base's owners and admins; typed-in URLs kept; each bad input
// refused with its own code and nothing stored; captions read back on every list; the demo base's photos (with
// their captions) and a demo streamer's bookings.
// On SQLite and PostgreSQL.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { baseWithStudio, type BaseFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';

const MAX_BYTES = 256 * 1024;
type Upload = { name: string; type?: string; data: Buffer };
type Photo = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null; caption: string | null };

function multipart(files: Upload[]) {
  const boundary = `----zhibo${crypto.randomBytes(8).toString('hex')}`;
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const solid = (width: number, height: number, format: 'png' | 'jpeg', colour = '#c8302c') => sharp({ create: { width, height, channels: 3, background: colour } }).toFormat(format).toBuffer();

function refused(res: TestResponse, status: number, code: string) {
  expect(res.errorCode, res.body).toBe(code);
  expect(res.status).toBe(status);
}

describeEachDatabase(
  'base photos',
  ({ server }) => {
    let a: BaseFixture;
    let b: BaseFixture;
    let staff: TestClient;
    const setup = async () => {
      if (a) return;
      a = await baseWithStudio(server());
      b = await baseWithStudio(server());
      // A staff member of base A (not an admin).
      staff = server().client();
      const user = await staff.register(`staff-${tag()}@example.com`);
      await server().database.db.insertInto('org_members').values({ org_id: a.orgId, user_id: user.id, role: 'staff', created_at: server().clock.now().toISOString() }).execute();
    };
    const upload = (who: TestClient, url: string, files: Upload[]) => {
      const { body, headers } = multipart(files);
      return who.post(url, body, headers);
    };
    const profileUrl = (f: BaseFixture) => `/api/orgs/${f.orgId}/base/photos`;
    const studioUrl = (f: BaseFixture, studioId = f.studioId) => `/api/orgs/${f.orgId}/studios/${studioId}/photos`;
    const profileBody = (photos?: string[]) => ({ areaSqm: 12000, theme: '食品美妆', address: '上海市闵行区申长路 1 号', opensAt: '09:00', closesAt: '23:00', freeCancelHours: 24, cancelFeeBps: 5000, ...(photos ? { photos } : {}) });
    /** What a refused request must leave untouched: both lists, the rows and the files. */
    const snapshot = async () => {
      const { db } = server().database;
      const dir = path.join(server().dataDir, 'media', 'bases');
      return {
        profiles: await db.selectFrom('base_profiles').select(['org_id', 'photos']).orderBy('org_id').execute(),
        studios: await db.selectFrom('studios').select(['id', 'photos']).orderBy('id').execute(),
        rows: await db.selectFrom('base_photos').select(['id', 'position', 'caption']).orderBy('id').execute(),
        folders: fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [],
      };
    };

    it('uploads photos after the typed-in URLs, makes a thumbnail and a display WebP of each, and shows them on the profile, the list of bases and the studio', async () => {
      await setup();
      expect((await a.owner.put(`/api/orgs/${a.orgId}/base/profile`, profileBody(['https://example.com/old-photo.jpg']))).status).toBe(200);
      const res = await upload(a.owner, profileUrl(a), [
        { name: '大厅.png', type: 'image/png', data: await solid(1200, 900, 'png') },
        { name: 'studio.JPG', type: 'image/jpeg', data: await solid(300, 200, 'jpeg', '#2f6db5') },
      ]);
      expect(res.status, res.body).toBe(201);
      const photos: Photo[] = res.json().photos;
      expect(photos.map((p) => [p.id === null, p.width, p.height])).toEqual([
        [true, null, null],
        [false, 800, 600],
        [false, 300, 200],
      ]);
      // The typed-in URL is kept, first, as it was.
      expect(photos[0]).toEqual({ id: null, url: 'https://example.com/old-photo.jpg', thumbUrl: 'https://example.com/old-photo.jpg', width: null, height: null, caption: null });
      for (const p of photos.slice(1)) {
        expect(p.url).toBe(`/media/bases/${p.id}/display.webp`);
        expect(p.thumbUrl).toBe(`/media/bases/${p.id}/thumb.webp`);
      }
      const visitor = server().client();
      const thumb = await visitor.get(photos[1]!.thumbUrl);
      expect(thumb.status).toBe(200);
      expect(thumb.raw.headers['content-type']).toBe('image/webp');
      expect(thumb.raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(await sharp(thumb.raw.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 240, height: 240 });
      expect((await visitor.get(photos[1]!.thumbUrl, { 'if-none-match': thumb.raw.headers.etag as string })).status).toBe(304);

      const urls = photos.map((p) => p.url);
      expect((await a.owner.get(`/api/orgs/${a.orgId}/base/profile`)).json().profile.photos).toEqual(urls);
      expect((await staff.get(profileUrl(a))).json().photos).toEqual(photos);
      const bases = (await b.owner.get('/api/bases')).json().bases;
      expect(bases.find((x: { id: string }) => x.id === a.orgId).profile.photos).toEqual(urls);

      // A studio's photos: on the studios list and on the calendar anyone logged in reads.
      const s = await upload(a.owner, studioUrl(a), [{ name: 'a1.png', type: 'image/png', data: await solid(640, 480, 'png', '#e88ea8') }]);
      expect(s.status, s.body).toBe(201);
      const studioPhoto: Photo = s.json().photos[0];
      expect((await a.owner.get(`/api/orgs/${a.orgId}/studios`)).json().studios[0].photos).toEqual([studioPhoto.url]);
      expect((await b.owner.get(`/api/bases/${a.orgId}/calendar?days=1`)).json().studios[0].photos).toEqual([studioPhoto.url]);
      expect((await visitor.get(studioPhoto.url)).status).toBe(200);
    });

    it('reorders and deletes photos, and a profile save keeps the uploads', async () => {
      await setup();
      const current: Photo[] = (await a.owner.get(profileUrl(a))).json().photos;
      const urls = current.map((p) => p.url);
      const reordered = await a.owner.put(`${profileUrl(a)}/order`, { photos: [urls[2], urls[0], urls[1]] });
      expect(reordered.status, reordered.body).toBe(200);
      expect(reordered.json().photos.map((p: Photo) => p.url)).toEqual([urls[2], urls[0], urls[1]]);
      const rows = await server().database.db.selectFrom('base_photos').select(['id', 'position']).where('base_org_id', '=', a.orgId).where('studio_id', 'is', null).orderBy('position').execute();
      expect(rows).toEqual([
        { id: current[2]!.id, position: 0 },
        { id: current[1]!.id, position: 2 },
      ]);

      // A profile saved without photos keeps them; with a list, typed-in URLs may change, uploads must stay.
      const before = await snapshot();
      expect((await a.owner.put(`/api/orgs/${a.orgId}/base/profile`, profileBody())).json().profile.photos).toEqual([urls[2], urls[0], urls[1]]);
      refused(await a.owner.put(`/api/orgs/${a.orgId}/base/profile`, profileBody([urls[0]!, urls[1]!])), 400, 'BASE_PHOTO_LIST_INVALID');
      refused(await a.owner.put(`/api/orgs/${a.orgId}/base/profile`, profileBody([urls[1]!, urls[1]!, urls[2]!])), 400, 'BASE_PHOTO_LIST_INVALID');
      expect(await snapshot()).toEqual(before);
      const saved = await a.owner.put(`/api/orgs/${a.orgId}/base/profile`, profileBody([urls[1]!, 'https://example.com/new.jpg', urls[2]!]));
      expect(saved.json().profile.photos).toEqual([urls[1], 'https://example.com/new.jpg', urls[2]]);

      // Delete: the row, the list entry and the files go.
      const removed = await a.owner.delete(`${profileUrl(a)}/${current[1]!.id}`);
      expect(removed.status, removed.body).toBe(200);
      expect(removed.json().photos.map((p: Photo) => p.url)).toEqual(['https://example.com/new.jpg', urls[2]]);
      const gone = await server().client().get(urls[1]!);
      expect(gone.status).toBe(404);
      expect(gone.raw.headers['cache-control']).toBe('no-store');
      expect(fs.existsSync(path.join(server().dataDir, 'media', 'bases', current[1]!.id!))).toBe(false);
      refused(await a.owner.delete(`${profileUrl(a)}/${current[1]!.id}`), 404, 'BASE_PHOTO_NOT_FOUND');
    });

    it('refuses bad uploads, too many photos, another base’s photos and non-admins, storing nothing', async () => {
      await setup();
      const good = await solid(64, 64, 'png');
      const noise = await sharp(crypto.randomBytes(400 * 400 * 3), { raw: { width: 400, height: 400, channels: 3 } }).png().toBuffer();
      expect(noise.length).toBeGreaterThan(MAX_BYTES);
      // A second studio of A to fill to the limit.
      const second = (await a.owner.post(`/api/orgs/${a.orgId}/studios`, { name: 'B2 食品厨房直播间', areaSqm: 60, hourlyRateFen: 40000 })).json().studio.id as string;
      const nine = Array.from({ length: 9 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good }));
      const filled = await upload(a.owner, studioUrl(a, second), nine);
      expect(filled.status, filled.body).toBe(201);
      expect(filled.json().photos).toHaveLength(9);
      const aPhotos: Photo[] = (await a.owner.get(profileUrl(a))).json().photos;
      const aUploaded = aPhotos.find((p) => p.id)!;
      const bPhoto: Photo = (await upload(b.owner, profileUrl(b), [{ name: 'b.png', type: 'image/png', data: good }])).json().photos[0];

      const before = await snapshot();
      const cases: [string, () => Promise<TestResponse>, number, string][] = [
        ['a text file named .jpg', () => upload(a.owner, profileUrl(a), [{ name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('not a picture at all\n'.repeat(20)) }]), 415, 'PICTURE_NOT_IMAGE'],
        ['an SVG', () => upload(a.owner, studioUrl(a), [{ name: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') }]), 415, 'PICTURE_NOT_IMAGE'],
        ['a PNG named .jpg', () => upload(a.owner, profileUrl(a), [{ name: 'really-a-png.jpg', type: 'image/jpeg', data: good }]), 415, 'PICTURE_TYPE_MISMATCH'],
        ['a PNG sent as image/jpeg', () => upload(a.owner, studioUrl(a), [{ name: 'photo.png', type: 'image/jpeg', data: good }]), 415, 'PICTURE_TYPE_MISMATCH'],
        ['a good photo beside a bad one', () => upload(a.owner, profileUrl(a), [{ name: 'good.png', type: 'image/png', data: good }, { name: 'bad.jpg', data: Buffer.from('nope') }]), 415, 'PICTURE_NOT_IMAGE'],
        ['a file over the size limit', () => upload(a.owner, profileUrl(a), [{ name: 'noise.png', type: 'image/png', data: noise }]), 413, 'PICTURE_TOO_LARGE'],
        ['a tenth photo of a studio', () => upload(a.owner, studioUrl(a, second), [{ name: 'ten.png', type: 'image/png', data: good }]), 409, 'BASE_PHOTOS_TOO_MANY'],
        ['ten photos at once for a studio', () => upload(a.owner, studioUrl(a), Array.from({ length: 10 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good }))), 409, 'BASE_PHOTOS_TOO_MANY'],
        ['21 photos at once for a profile', () => upload(a.owner, profileUrl(a), Array.from({ length: 21 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good }))), 409, 'BASE_PHOTOS_TOO_MANY'],
        ['no file', () => upload(a.owner, profileUrl(a), []), 400, 'PICTURE_NO_FILE'],
        ['a JSON body', () => a.owner.post(profileUrl(a), { url: 'https://example.com/a.png' }), 400, 'PICTURE_NO_FILE'],
        // Another base's photos and studios, through one's own base or through theirs.
        ['deleting another base’s photo through one’s own', () => b.owner.delete(`${profileUrl(b)}/${aUploaded.id}`), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['deleting another base’s photo through theirs', () => b.owner.delete(`${profileUrl(a)}/${aUploaded.id}`), 403, 'FORBIDDEN'],
        ['deleting a profile photo as a studio’s', () => a.owner.delete(`${studioUrl(a)}/${aUploaded.id}`), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['uploading to another base’s studio', () => upload(b.owner, studioUrl(b, a.studioId), [{ name: 'x.png', type: 'image/png', data: good }]), 404, 'STUDIO_NOT_FOUND'],
        ['listing another base’s photo in one’s order', () => b.owner.put(`${profileUrl(b)}/order`, { photos: [bPhoto.url, aUploaded.url] }), 400, 'BASE_PHOTO_ORDER_INVALID'],
        ['an order missing a photo', () => a.owner.put(`${profileUrl(a)}/order`, { photos: aPhotos.slice(1).map((p) => p.url) }), 400, 'BASE_PHOTO_ORDER_INVALID'],
        ['another base’s upload in one’s profile', () => b.owner.put(`/api/orgs/${b.orgId}/base/profile`, profileBody([bPhoto.url, aUploaded.url])), 400, 'BASE_PHOTO_LIST_INVALID'],
        // Not an owner or admin of the base.
        ['a staff member uploading', () => upload(staff, profileUrl(a), [{ name: 's.png', type: 'image/png', data: good }]), 403, 'FORBIDDEN'],
        ['a staff member deleting', () => staff.delete(`${profileUrl(a)}/${aUploaded.id}`), 403, 'FORBIDDEN'],
        ['a staff member reordering', () => staff.put(`${profileUrl(a)}/order`, { photos: [...aPhotos].reverse().map((p) => p.url) }), 403, 'FORBIDDEN'],
        ['another base’s owner uploading', () => upload(b.owner, profileUrl(a), [{ name: 's.png', type: 'image/png', data: good }]), 403, 'FORBIDDEN'],
      ];
      for (const [what, send, status, code] of cases) {
        const res = await send();
        expect(res.errorCode, `${what}: ${res.body}`).toBe(code);
        expect(res.status, what).toBe(status);
        expect(await snapshot(), what).toEqual(before);
      }
      // The message is the user's language and names the file.
      const zh = await upload(a.owner, profileUrl(a), [{ name: 'really-a-png.jpg', type: 'image/jpeg', data: good }]);
      expect(zh.json().error.message).toBe('「really-a-png.jpg」的扩展名或类型与内容不符（实际为 PNG）');
      const tooMany = await upload(a.owner, studioUrl(a, second), [{ name: 'ten.png', type: 'image/png', data: good }]);
      expect(tooMany.json().error.message).toBe('最多 9 张照片（现有 9 张）');
      // More files than any list holds (the upload reader stops at 20): still the target's own limit and count.
      const flood = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good }));
      expect((await upload(a.owner, studioUrl(a, second), flood(21))).json().error.message).toBe('最多 9 张照片（现有 9 张）');
      expect((await upload(a.owner, profileUrl(a), flood(21))).json().error.message).toBe(`最多 20 张照片（现有 ${aPhotos.length} 张）`);
    });

    it('two uploads at once never pass the limit together', async () => {
      await setup();
      const studio = (await a.owner.post(`/api/orgs/${a.orgId}/studios`, { name: `R${tag()}`, areaSqm: 20, hourlyRateFen: 10000 })).json().studio.id as string;
      const good = await solid(32, 32, 'png');
      const five = Array.from({ length: 5 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: good }));
      const answers = await Promise.all([upload(a.owner, studioUrl(a, studio), five), upload(a.owner, studioUrl(a, studio), five)]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      const rows = await server().database.db.selectFrom('base_photos').select('id').where('studio_id', '=', studio).execute();
      expect(rows).toHaveLength(5);
      const stored = await server().database.db.selectFrom('studios').select('photos').where('id', '=', studio).executeTakeFirstOrThrow();
      expect(JSON.parse(stored.photos)).toHaveLength(5);
      // The refused request's files were removed again.
      const folders = fs.readdirSync(path.join(server().dataDir, 'media', 'bases'));
      const listed = new Set((await server().database.db.selectFrom('base_photos').select('id').execute()).map((r) => r.id));
      expect(folders.filter((f) => !listed.has(f))).toEqual([]);
    });

    it('captions: an admin sets, trims and clears one; every list reads it back; each bad caption or request is refused, storing nothing', async () => {
      // Bases of their own, so the captions seen are this test's alone.
      const c = await baseWithStudio(server());
      const d = await baseWithStudio(server());
      const member = async (role: 'admin' | 'staff') => {
        const client = server().client();
        const user = await client.register(`${role}-${tag()}@example.com`);
        await server().database.db.insertInto('org_members').values({ org_id: c.orgId, user_id: user.id, role, created_at: server().clock.now().toISOString() }).execute();
        return client;
      };
      const admin = await member('admin');
      const cStaff = await member('staff');
      const good = await solid(64, 48, 'png');
      const cProfile: Photo[] = (await upload(c.owner, profileUrl(c), [{ name: 'hall.png', type: 'image/png', data: good }, { name: 'green.png', type: 'image/png', data: good }])).json().photos;
      // A typed-in URL after the uploads: it has no id and never a caption.
      const typed = 'https://example.com/typed-in.jpg';
      expect((await c.owner.put(`/api/orgs/${c.orgId}/base/profile`, profileBody([...cProfile.map((p) => p.url), typed]))).status).toBe(200);
      const cStudio: Photo = (await upload(c.owner, studioUrl(c), [{ name: 'a1.png', type: 'image/png', data: good }])).json().photos[0];
      const dPhoto: Photo = (await upload(d.owner, profileUrl(d), [{ name: 'd.png', type: 'image/png', data: good }])).json().photos[0];
      const [hall, green] = cProfile as [Photo, Photo];
      const captionUrl = (photo: Photo, f: BaseFixture = c) => `${profileUrl(f)}/${photo.id}/caption`;
      const studioCaptionUrl = (photo: Photo, f: BaseFixture = c, studioId = f.studioId) => `${studioUrl(f, studioId)}/${photo.id}/caption`;

      // Set (an admin may, as the owner may): trimmed, the answer is the list with it.
      const set = await admin.put(captionUrl(hall), { caption: '  主播区 · 三机位 ' });
      expect(set.status, set.body).toBe(200);
      expect(set.json().photos.map((p: Photo) => p.caption)).toEqual(['主播区 · 三机位', null, null]);
      expect(set.json().photos[2]).toMatchObject({ id: null, url: typed, caption: null });
      // 40 characters, counted as characters (the emoji are two UTF-16 units and four bytes each): accepted.
      const forty = `${'绿'.repeat(38)}🎥🎬`;
      expect([...forty].length).toBe(40);
      const long = await c.owner.put(captionUrl(green), { caption: forty });
      expect(long.status, long.body).toBe(200);
      expect(long.json().photos[1].caption).toBe(forty);
      // A trailing line break (pasted) is trimmed like any white space at the ends.
      expect((await c.owner.put(captionUrl(green), { caption: '绿幕间\n' })).json().photos[1].caption).toBe('绿幕间');
      const studioSet = await c.owner.put(studioCaptionUrl(cStudio), { caption: '美妆台 <b>近景</b>' });
      expect(studioSet.status, studioSet.body).toBe(200);
      expect(studioSet.json().photos).toEqual([{ ...cStudio, caption: '美妆台 <b>近景</b>' }]);

      // Read back on every list: the console's (any member), the booking views (any logged-in user; photos stay
      // URLs there, `photoCaptions` beside them in the same order), and the public page (anyone).
      const console_ = (await cStaff.get(profileUrl(c))).json().photos as Photo[];
      expect(console_.map((p) => [p.url, p.caption])).toEqual([
        [hall.url, '主播区 · 三机位'],
        [green.url, '绿幕间'],
        [typed, null],
      ]);
      expect((await cStaff.get(studioUrl(c))).json().photos[0].caption).toBe('美妆台 <b>近景</b>');
      const booker = d.owner;
      const listed = ((await booker.get('/api/bases')).json().bases as { id: string; profile: { photos: string[]; photoCaptions: (string | null)[] } }[]).find((x) => x.id === c.orgId)!;
      expect(listed.profile.photos).toEqual([hall.url, green.url, typed]);
      expect(listed.profile.photoCaptions).toEqual(['主播区 · 三机位', '绿幕间', null]);
      for (const url of [`/api/bases/${c.orgId}/calendar?days=1`, `/api/orgs/${c.orgId}/base/calendar?days=1`]) {
        const cal = (await (url.startsWith('/api/orgs') ? c.owner : booker).get(url)).json();
        expect(cal.base.profile.photoCaptions, url).toEqual(['主播区 · 三机位', '绿幕间', null]);
        expect(cal.studios.find((s: { id: string }) => s.id === c.studioId), url).toMatchObject({ photos: [cStudio.url], photoCaptions: ['美妆台 <b>近景</b>'] });
      }
      const visitor = server().client();
      const page = (await visitor.get(`/api/public/bases/${c.orgId}`)).json().base;
      expect(page.photos.map((p: Photo) => p.caption)).toEqual(['主播区 · 三机位', '绿幕间', null]);
      expect(page.studios.find((s: { id: string }) => s.id === c.studioId).photos[0].caption).toBe('美妆台 <b>近景</b>');
      const cover = ((await visitor.get('/api/public/bases')).json().bases as { id: string; cover: Photo }[]).find((x) => x.id === c.orgId)!.cover;
      expect(cover).toMatchObject({ id: hall.id, caption: '主播区 · 三机位' });
      // Another base's photos keep theirs (none).
      expect((await d.owner.get(profileUrl(d))).json().photos[0].caption).toBeNull();

      // Clear: empty, or only white space.
      const cleared = await c.owner.put(captionUrl(green), { caption: '' });
      expect(cleared.status, cleared.body).toBe(200);
      expect(cleared.json().photos.map((p: Photo) => p.caption)).toEqual(['主播区 · 三机位', null, null]);
      expect((await c.owner.put(studioCaptionUrl(cStudio), { caption: ' \u3000 ' })).json().photos[0].caption).toBeNull();
      expect((await visitor.get(`/api/public/bases/${c.orgId}`)).json().base.photos[1].caption).toBeNull();
      const row = await server().database.db.selectFrom('base_photos').select('caption').where('id', '=', green.id!).executeTakeFirstOrThrow();
      expect(row.caption).toBeNull();

      // Bad input: each refused with its code, nothing stored changed.
      const before = await snapshot();
      const missing = '00000000-0000-4000-8000-000000000000';
      const cases: [string, () => Promise<TestResponse>, number, string][] = [
        ['41 characters', () => c.owner.put(captionUrl(green), { caption: `${forty}。` }), 400, 'BASE_PHOTO_CAPTION_TOO_LONG'],
        ['41 characters on a studio’s photo', () => c.owner.put(studioCaptionUrl(cStudio), { caption: 'x'.repeat(41) }), 400, 'BASE_PHOTO_CAPTION_TOO_LONG'],
        ['a line break inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\n三机位' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a CR LF inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\r\n三机位' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a Unicode line separator inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\u2028三机位' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a right-to-left override inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\u202Egpj.exe' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a bidirectional isolate inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\u2067三机位\u2069' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a tab inside', () => c.owner.put(captionUrl(hall), { caption: '主播区\t三机位' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a control character', () => c.owner.put(studioCaptionUrl(cStudio), { caption: '绿幕\u0007间' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['a NUL', () => c.owner.put(captionUrl(hall), { caption: '绿幕\u0000间' }), 400, 'BASE_PHOTO_CAPTION_INVALID'],
        ['no caption', () => c.owner.put(captionUrl(hall), {}), 400, 'VALIDATION_FAILED'],
        ['a caption that is not a string', () => c.owner.put(captionUrl(hall), { caption: null }), 400, 'VALIDATION_FAILED'],
        ['an unknown field', () => c.owner.put(captionUrl(hall), { caption: '绿幕间', alt: 'x' }), 400, 'VALIDATION_FAILED'],
        // Another base's photo looks like none, as for deleting; through their base it is forbidden.
        ['another base’s photo through one’s own', () => d.owner.put(captionUrl(hall, d), { caption: '偷改' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['one’s photo through another base', () => d.owner.put(captionUrl(dPhoto, c), { caption: '偷改' }), 403, 'FORBIDDEN'],
        ['another base’s photo through theirs', () => d.owner.put(captionUrl(hall), { caption: '偷改' }), 403, 'FORBIDDEN'],
        ['another base’s studio', () => d.owner.put(studioCaptionUrl(cStudio, d, c.studioId), { caption: '偷改' }), 404, 'STUDIO_NOT_FOUND'],
        ['a profile photo as a studio’s', () => c.owner.put(studioCaptionUrl(hall), { caption: '绿幕间' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['a studio’s photo as the profile’s', () => c.owner.put(captionUrl(cStudio), { caption: '绿幕间' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['a photo id that does not exist', () => c.owner.put(`${profileUrl(c)}/${missing}/caption`, { caption: '绿幕间' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['a studio photo id that does not exist', () => c.owner.put(`${studioUrl(c)}/${missing}/caption`, { caption: '绿幕间' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        ['a photo id that is not one', () => c.owner.put(`${profileUrl(c)}/not-a-photo/caption`, { caption: '绿幕间' }), 404, 'BASE_PHOTO_NOT_FOUND'],
        // Who: the base's staff, a visitor, a request without its CSRF token.
        ['a staff member', () => cStaff.put(captionUrl(hall), { caption: '员工改' }), 403, 'FORBIDDEN'],
        ['a staff member, a studio’s photo', () => cStaff.put(studioCaptionUrl(cStudio), { caption: '员工改' }), 403, 'FORBIDDEN'],
        ['logged out', () => server().client().put(captionUrl(hall), { caption: '匿名' }), 401, 'AUTH_REQUIRED'],
        ['without a CSRF token', () => c.owner.put(captionUrl(hall), { caption: '绿幕间' }, { 'x-csrf-token': '' }), 403, 'CSRF_TOKEN_INVALID'],
      ];
      for (const [what, send, status, code] of cases) {
        const res = await send();
        expect(res.errorCode, `${what}: ${res.body}`).toBe(code);
        expect(res.status, what).toBe(status);
        expect(await snapshot(), what).toEqual(before);
      }
      // The messages, in the user's language (the admin switches to English).
      expect((await c.owner.put(captionUrl(green), { caption: `${forty}。` })).json().error.message).toBe('照片说明最多 40 个字（现有 41 个）');
      expect((await c.owner.put(captionUrl(hall), { caption: 'a\nb' })).json().error.message).toBe('照片说明须为一行文字，不能含换行或控制字符');
      expect((await admin.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await admin.put(captionUrl(green), { caption: `${forty}。` })).json().error.message).toBe('A photo caption takes at most 40 characters (this one has 41)');
      expect((await admin.put(captionUrl(hall), { caption: 'a\nb' })).json().error.message).toBe('A photo caption must be one line of text, without line breaks or control characters');
      expect(await snapshot()).toEqual(before);
    });
  },
  { env: { PRODUCT_IMAGE_MAX_BYTES: String(MAX_BYTES) } },
);

async function demoLogin(server: TestServer, login: string) {
  const client = server.client();
  await client.login(login, DEMO_PASSWORD);
  return client;
}

describeEachDatabase(
  'base photos: the demo',
  ({ server }) => {
    it('the demo base has uploaded photos on its profile and three studios, served as WebP', async () => {
      const base = await demoLogin(server(), DEMO_ACCOUNTS.base.login);
      const orgId = (await base.get('/api/me/orgs')).json().memberships.find((m: { org: { kind: string } }) => m.org.kind === 'base').org.id as string;
      const photos: Photo[] = (await base.get(`/api/orgs/${orgId}/base/photos`)).json().photos;
      expect(photos).toHaveLength(3);
      expect(photos.every((p) => p.id && p.width === 800 && p.height === 533)).toBe(true);
      // Captions on two of them (a caption is optional) and on each studio's.
      expect(photos.map((p) => p.caption)).toEqual(['虹桥直播产业园 · 主入口', '美妆直播区 · 三机位', null]);
      const studios = (await base.get(`/api/orgs/${orgId}/studios`)).json().studios as { name: string; photos: string[] }[];
      expect(studios.filter((s) => s.photos.length === 1).map((s) => s.name.slice(0, 2)).sort()).toEqual(['A1', 'B2', 'C3']);
      const c3 = studios.find((s) => s.name.startsWith('C3')) as unknown as { id: string };
      expect((await base.get(`/api/orgs/${orgId}/studios/${c3.id}/photos`)).json().photos[0].caption).toBe('绿幕间');
      const thumb = await server().client().get(photos[0]!.thumbUrl);
      expect(await sharp(thumb.raw.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 240, height: 240 });
    });

    it('a demo streamer has bookings to see: their own, which they may cancel, and their MCN’s for them', async () => {
      const amay = server().client();
      const me = (await amay.login(DEMO_ACCOUNTS.streamerBeauty.login, DEMO_PASSWORD)).id;
      const bookings = (await amay.get('/api/me/studio-bookings')).json().bookings as { bookedBy: string; streamerId: string; bookerOrgId: string | null; status: string; startsAt: string; studioName: string; baseName: string; priceFen: number }[];
      const now = server().clock.now().toISOString();
      expect(bookings.some((b) => b.bookerOrgId === null && b.bookedBy === me && b.status === 'booked' && b.startsAt > now)).toBe(true);
      expect(bookings.some((b) => b.bookerOrgId !== null && b.streamerId === me)).toBe(true);
      expect(bookings.every((b) => b.studioName && b.baseName === '虹桥直播电商基地' && b.priceFen > 0)).toBe(true);
    });
  },
  { demo: true },
);
