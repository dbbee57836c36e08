import sharp from 'sharp';
import type { Db } from '../platform/db.ts';
import { preparePicture, type PreparedPicture } from '../pictures/pipeline.ts';
import type { BasePhotos } from './photos.ts';

// The demo base's photos, drawn here (shapes and colour only, no text: a server may have no CJK fonts),
// rendered to PNG with sharp and put through the same upload path as a base's own photos.

const W = 960;
const H = 640;
const frame = (sky: [string, string], body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 960 640">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs>
  <rect width="960" height="640" fill="url(#bg)"/>
  ${body}
</svg>`;

/** A ring light on its stand, at x. */
const ringLight = (x: number, y: number) => `<circle cx="${x}" cy="${y}" r="62" fill="none" stroke="#fff7e0" stroke-width="18"/><rect x="${x - 5}" y="${y + 60}" width="10" height="${560 - y - 60}" fill="#3a3a44"/><path d="M${x - 50} 600 L${x} 560 L${x + 50} 600" stroke="#3a3a44" stroke-width="8" fill="none"/>`;
/** A camera on a tripod, at x. */
const camera = (x: number) => `<rect x="${x - 55}" y="300" width="110" height="70" rx="10" fill="#24242c"/><circle cx="${x + 62}" cy="335" r="26" fill="#24242c"/><circle cx="${x + 62}" cy="335" r="14" fill="#5b7fb8"/><path d="M${x} 370 L${x - 60} 600 M${x} 370 L${x + 60} 600 M${x} 370 L${x} 600" stroke="#3a3a44" stroke-width="8"/>`;

const ART = {
  /** The park's entrance: glass buildings and a lawn. */
  campus: () =>
    frame(['#cfe6fb', '#f4f9ff'], `
      <rect x="80" y="180" width="260" height="360" fill="#8fb3d9"/><rect x="360" y="110" width="300" height="430" fill="#6f98c6"/><rect x="680" y="220" width="200" height="320" fill="#9cbfe0"/>
      ${Array.from({ length: 8 }, (_, r) => Array.from({ length: 6 }, (_, c) => `<rect x="${380 + c * 46}" y="${130 + r * 50}" width="34" height="34" fill="#d9ebfa" opacity="0.8"/>`).join('')).join('')}
      ${Array.from({ length: 6 }, (_, r) => Array.from({ length: 4 }, (_, c) => `<rect x="${100 + c * 60}" y="${200 + r * 55}" width="44" height="36" fill="#e4f0fb" opacity="0.75"/>`).join('')).join('')}
      <rect x="0" y="540" width="960" height="100" fill="#7fb069"/><rect x="430" y="470" width="160" height="70" fill="#c8302c"/>`),
  /** A beauty studio: a desk, a ring light, a camera and shelves of bottles. */
  beauty: () =>
    frame(['#fde7ee', '#f7c9d6'], `
      <rect x="120" y="80" width="720" height="200" rx="12" fill="#fff4f7"/>
      ${Array.from({ length: 12 }, (_, i) => `<rect x="${150 + i * 56}" y="${120 + (i % 3) * 8}" width="30" height="${70 - (i % 3) * 8}" rx="8" fill="${['#c8302c', '#e88ea8', '#8f5fa8', '#f2b880'][i % 4]}"/>`).join('')}
      <rect x="240" y="420" width="480" height="40" rx="8" fill="#b98b6e"/><rect x="270" y="460" width="24" height="140" fill="#8a6249"/><rect x="666" y="460" width="24" height="140" fill="#8a6249"/>
      ${ringLight(160, 330)}${camera(800)}`),
  /** A kitchen studio: a counter, a hob with a pot and steam. */
  kitchen: () =>
    frame(['#fff4e2', '#f6dcb0'], `
      <rect x="0" y="420" width="960" height="220" fill="#d8b58a"/><rect x="0" y="400" width="960" height="30" fill="#efe3cf"/>
      <rect x="330" y="300" width="300" height="100" rx="14" fill="#5c5c66"/><ellipse cx="480" cy="300" rx="120" ry="26" fill="#3f3f48"/>
      ${[0, 1, 2].map((i) => `<path d="M${440 + i * 40} 270 q -20 -40 0 -80 q 20 -40 0 -80" stroke="#ffffff" stroke-width="10" fill="none" opacity="0.7"/>`).join('')}
      ${ringLight(140, 260)}${camera(820)}`),
  /** A green-screen studio. */
  greenScreen: () =>
    frame(['#e9efe9', '#d3dcd3'], `
      <rect x="180" y="60" width="600" height="480" fill="#2fa84f"/><path d="M180 540 Q480 600 780 540 L780 600 L180 600 Z" fill="#2a9a48"/>
      ${ringLight(100, 280)}${camera(860)}<rect x="420" y="330" width="120" height="20" rx="6" fill="#24242c"/>`),
} as const;
type Art = keyof typeof ART;

const prepared = new Map<Art, Promise<PreparedPicture>>();
function prepareArt(art: Art) {
  let picture = prepared.get(art);
  if (!picture) {
    picture = sharp(Buffer.from(ART[art]()))
      .png({ compressionLevel: 1 })
      .toBuffer()
      .then((png) => preparePicture({ filename: `${art}.png`, mimetype: 'image/png', bytes: png }, { maxBytes: 50 * 1024 * 1024, maxPixels: W * H }));
    picture.catch(() => prepared.delete(art));
    prepared.set(art, picture);
  }
  return picture;
}

/**
 * 虹桥直播电商基地's photos (docs/BASES.md, "Photos"): three on its profile, one each of A1, B2 and C3, all but the
 * profile's kitchen with a caption (a caption is optional).
 */
export async function seedBasePhotosDemo(photos: Pick<BasePhotos, 'upload' | 'setCaption'>, db: Db, baseOrgId: string) {
  const studios = await db.selectFrom('studios').select(['id', 'name']).where('base_org_id', '=', baseOrgId).execute();
  const studio = (prefix: string) => studios.find((s) => s.name.startsWith(prefix))?.id;
  const plan: [string | null | undefined, [Art, string][]][] = [
    [null, [['campus', '虹桥直播产业园 · 主入口'], ['beauty', '美妆直播区 · 三机位'], ['kitchen', '']]],
    [studio('A1'), [['beauty', '主播区 · 三机位']]],
    [studio('B2'), [['kitchen', '厨房直播台 · 明火灶']]],
    [studio('C3'), [['greenScreen', '绿幕间']]],
  ];
  await Promise.all((Object.keys(ART) as Art[]).map(prepareArt));
  for (const [studioId, arts] of plan) {
    if (studioId === undefined) continue;
    const target = { baseId: baseOrgId, studioId };
    const { photos: list } = await photos.upload(
      target,
      arts.map(([a]) => ({ filename: `${a}.png`, mimetype: 'image/png', bytes: Buffer.alloc(0) })),
      { prepare: (file) => prepareArt(file.filename.replace(/\.png$/, '') as Art) },
    );
    // The new photos are the last ones of the list, in the order given.
    const added = list.slice(list.length - arts.length);
    for (const [i, [, caption]] of arts.entries()) if (caption) await photos.setCaption(target, added[i]!.id!, caption);
  }
}
