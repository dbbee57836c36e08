import sharp from 'sharp';
import { preparePicture, type PreparedPicture } from './pipeline.ts';
import type { Pictures } from './service.ts';

// The demo's product pictures, drawn here rather than downloaded: shapes and colour only (no text,
// since a server may have no CJK fonts). Each is rendered to PNG with sharp and goes through the same
// pipeline as an upload, so the demo has thumbnails and WebP renditions like any brand's pictures.

const SIZE = 800;

const frame = (background: [string, string], body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 800 800">
  <defs>
    <radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="${background[0]}"/><stop offset="1" stop-color="${background[1]}"/></radialGradient>
    <radialGradient id="shade" cx="50%" cy="50%" r="50%"><stop offset="0" stop-color="#000" stop-opacity="0.22"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>
  </defs>
  <rect width="800" height="800" fill="url(#bg)"/>
  ${body}
</svg>`;

/** Points around a circle, for petals, dots and flaky pastry edges. */
const around = (count: number, radius: number, draw: (x: number, y: number, angle: number, i: number) => string, cx = 400, cy = 400) =>
  Array.from({ length: count }, (_, i) => {
    const angle = (i / count) * Math.PI * 2;
    return draw(cx + Math.cos(angle) * radius, cy + Math.sin(angle) * radius, (angle * 180) / Math.PI, i);
  }).join('');

/** A Suzhou-style fresh-meat mooncake on a plate: flaky rings round a red stamp. */
function mooncakeArt(cx: number, cy: number, r: number) {
  return `
    <ellipse cx="${cx}" cy="${cy + r * 0.12}" rx="${r * 1.05}" ry="${r * 0.98}" fill="url(#shade)"/>
    <circle cx="${cx}" cy="${cy}" r="${r}" fill="#d9913a"/>
    ${around(28, r * 0.93, (x, y) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(r * 0.1).toFixed(1)}" fill="#e9a94c"/>`, cx, cy)}
    <circle cx="${cx}" cy="${cy}" r="${r * 0.84}" fill="#efb95b"/>
    <circle cx="${cx}" cy="${cy}" r="${r * 0.66}" fill="none" stroke="#f7d58d" stroke-width="${r * 0.05}"/>
    <circle cx="${cx}" cy="${cy}" r="${r * 0.48}" fill="none" stroke="#f7d58d" stroke-width="${r * 0.035}"/>
    <circle cx="${cx - r * 0.2}" cy="${cy - r * 0.25}" r="${r * 0.3}" fill="#fff3cf" opacity="0.35"/>
    <circle cx="${cx}" cy="${cy}" r="${r * 0.17}" fill="#c8302c"/>
    <circle cx="${cx}" cy="${cy}" r="${r * 0.1}" fill="none" stroke="#f4b9a8" stroke-width="${r * 0.02}"/>`;
}

const ART = {
  mooncake: () =>
    frame(['#fff6e3', '#f3d9a8'], `
      <ellipse cx="400" cy="430" rx="330" ry="300" fill="url(#shade)"/>
      <circle cx="400" cy="410" r="310" fill="#fbfbf7"/>
      <circle cx="400" cy="410" r="280" fill="none" stroke="#2f6db5" stroke-width="10"/>
      ${around(24, 296, (x, y) => `<circle cx="${x.toFixed(1)}" cy="${(y + 10).toFixed(1)}" r="7" fill="#2f6db5"/>`, 400, 400)}
      ${mooncakeArt(400, 400, 210)}`),
  mooncakeBox: () =>
    frame(['#fde9e4', '#e9b3a6'], `
      <rect x="110" y="170" width="600" height="440" rx="28" fill="#7a1f1c" transform="translate(10 20)" opacity="0.35"/>
      <rect x="100" y="160" width="600" height="440" rx="28" fill="#b3261e"/>
      <rect x="125" y="185" width="550" height="390" rx="18" fill="#f8e6c4"/>
      ${[0, 1, 2].flatMap((col) => [0, 1].map((row) => mooncakeArt(220 + col * 180, 285 + row * 190, 78))).join('')}
      <rect x="100" y="360" width="600" height="22" fill="#d4a437" opacity="0.9"/>`),
  giftBox: () =>
    frame(['#eef3ff', '#bccbe8'], `
      <ellipse cx="400" cy="650" rx="300" ry="50" fill="url(#shade)"/>
      <rect x="150" y="330" width="500" height="320" rx="14" fill="#1f4e8c"/>
      <rect x="130" y="270" width="540" height="90" rx="14" fill="#2a63ad"/>
      <rect x="370" y="270" width="60" height="380" fill="#e4b33d"/>
      <path d="M400 270 C 300 150, 200 210, 290 265 Z" fill="#f2c94c"/>
      <path d="M400 270 C 500 150, 600 210, 510 265 Z" fill="#f2c94c"/>
      <circle cx="400" cy="268" r="26" fill="#d99b1f"/>
      <g transform="translate(255 520)"><path d="M0 0 C -60 -70, -110 10, -40 40 C -90 60, -40 110, 0 50 C 40 110, 90 60, 40 40 C 110 10, 60 -70, 0 0 Z" fill="#f0c27a" stroke="#c98a2e" stroke-width="5"/></g>
      <g transform="translate(545 520)"><path d="M0 0 C -60 -70, -110 10, -40 40 C -90 60, -40 110, 0 50 C 40 110, 90 60, 40 40 C 110 10, 60 -70, 0 0 Z" fill="#f0c27a" stroke="#c98a2e" stroke-width="5"/></g>`),
  eightTreasure: () =>
    frame(['#fff4ec', '#f0cdb5'], `
      <ellipse cx="400" cy="600" rx="300" ry="60" fill="url(#shade)"/>
      <path d="M160 420 Q 400 120 640 420 Z" fill="#f7f1e3"/>
      <path d="M160 420 Q 400 120 640 420 Z" fill="#8c3b2e" opacity="0.15"/>
      ${around(8, 120, (x, y, _a, i) => `<circle cx="${x.toFixed(1)}" cy="${(y * 0.55 + 150).toFixed(1)}" r="20" fill="${['#c0392b', '#27ae60', '#e67e22', '#8e44ad'][i % 4]}"/>`, 400, 300)}
      <circle cx="400" cy="258" r="26" fill="#c0392b"/>
      <path d="M120 420 H 680 Q 660 610 400 620 Q 140 610 120 420 Z" fill="#ffffff"/>
      <path d="M120 420 H 680" stroke="#2f6db5" stroke-width="14"/>
      <path d="M170 480 Q 400 520 630 480" fill="none" stroke="#2f6db5" stroke-width="8" opacity="0.6"/>`),
  serum: () =>
    frame(['#f4f1fb', '#d6cdea'], `
      ${around(10, 250, (x, y, angle) => `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="70" ry="30" fill="#ffffff" opacity="0.55" transform="rotate(${angle.toFixed(0)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`)}
      <ellipse cx="400" cy="680" rx="170" ry="30" fill="url(#shade)"/>
      <rect x="290" y="330" width="220" height="350" rx="40" fill="#e9dff7"/>
      <rect x="290" y="330" width="220" height="350" rx="40" fill="#b69ad8" opacity="0.55"/>
      <rect x="310" y="450" width="180" height="210" rx="24" fill="#f7f2fd" opacity="0.85"/>
      <rect x="318" y="350" width="26" height="300" rx="13" fill="#ffffff" opacity="0.45"/>
      <rect x="345" y="270" width="110" height="70" rx="10" fill="#c9a24a"/>
      <rect x="370" y="140" width="60" height="140" rx="30" fill="#3d2d55"/>
      <circle cx="400" cy="520" r="36" fill="#f1e4ff"/>
      ${around(5, 30, (x, y, angle) => `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="20" ry="10" fill="#b69ad8" transform="rotate(${angle.toFixed(0)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`, 400, 520)}`),
  lipstick: () =>
    frame(['#fff0f3', '#f2c4cf'], `
      <ellipse cx="400" cy="690" rx="280" ry="36" fill="url(#shade)"/>
      ${[
        ['#e7a3b3', 230],
        ['#c2334d', 400],
        ['#8a4a2f', 570],
      ]
        .map(
          ([shade, x]) => `
      <rect x="${Number(x) - 55}" y="440" width="110" height="250" rx="14" fill="#2b2b33"/>
      <rect x="${Number(x) - 55}" y="440" width="110" height="26" fill="#c9a24a"/>
      <rect x="${Number(x) - 40}" y="250" width="80" height="200" rx="10" fill="${shade}"/>
      <path d="M${Number(x) - 40} 260 L ${Number(x) + 40} 200 L ${Number(x) + 40} 260 Z" fill="${shade}"/>
      <rect x="${Number(x) - 30}" y="270" width="14" height="160" rx="7" fill="#ffffff" opacity="0.35"/>`,
        )
        .join('')}`),
  creamJar: () =>
    frame(['#eef7f1', '#c4e0cf'], `
      <ellipse cx="400" cy="640" rx="260" ry="44" fill="url(#shade)"/>
      <path d="M170 420 H 630 V 590 Q 630 640 580 640 H 220 Q 170 640 170 590 Z" fill="#fbfbf7"/>
      <ellipse cx="400" cy="420" rx="230" ry="50" fill="#f2eee2"/>
      <path d="M200 420 Q 260 360 330 410 Q 400 340 470 410 Q 540 360 600 420" fill="#ffffff" stroke="#e5e0d0" stroke-width="6"/>
      <path d="M330 410 Q 400 300 470 410" fill="#ffffff" stroke="#e5e0d0" stroke-width="6"/>
      <rect x="170" y="500" width="460" height="40" fill="#8fc3a4"/>
      <g transform="translate(620 250) rotate(18)">
        <ellipse cx="0" cy="40" rx="150" ry="34" fill="#5e9e7a"/>
        <rect x="-150" y="0" width="300" height="40" fill="#6fae8a"/>
        <ellipse cx="0" cy="0" rx="150" ry="34" fill="#8fc3a4"/>
      </g>
      ${around(5, 34, (x, y, angle) => `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="24" ry="11" fill="#ffffff" opacity="0.9" transform="rotate(${angle.toFixed(0)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`, 400, 570)}`),
  beddingSet: () =>
    frame(['#f4f1ec', '#d9d2c5'], `
      <ellipse cx="400" cy="650" rx="320" ry="46" fill="url(#shade)"/>
      ${[0, 1, 2].map((i) => {
        const y = 520 - i * 120;
        const colour = ['#7d9cc0', '#f3efe6', '#c9d7e6'][i];
        const stripe = ['#5f80a8', '#e2dccd', '#a9bfd8'][i];
        return `<rect x="${150 + i * 20}" y="${y}" width="${500 - i * 40}" height="110" rx="22" fill="${colour}"/>
          <rect x="${150 + i * 20}" y="${y + 44}" width="${500 - i * 40}" height="14" fill="${stripe}"/>
          <path d="M${170 + i * 20} ${y + 12} q 30 -8 60 0" stroke="#ffffff" stroke-width="6" fill="none" opacity="0.5"/>`;
      }).join('')}
      <rect x="250" y="200" width="300" height="70" rx="32" fill="#ffffff"/>
      <rect x="270" y="214" width="260" height="42" rx="21" fill="none" stroke="#c9d7e6" stroke-width="6"/>`),
  storageBoxes: () =>
    frame(['#eef5f4', '#c5dcd8'], `
      <ellipse cx="400" cy="655" rx="320" ry="44" fill="url(#shade)"/>
      ${[[130, 420, '#6fa89f'], [410, 420, '#e7c46b'], [270, 200, '#d98a74']].map(([x, y, colour]) => `
        <rect x="${x}" y="${y}" width="260" height="215" rx="16" fill="${colour}"/>
        <rect x="${Number(x) - 8}" y="${y}" width="276" height="40" rx="10" fill="#ffffff" opacity="0.35"/>
        <rect x="${Number(x) + 95}" y="${Number(y) + 90}" width="70" height="22" rx="11" fill="#000000" opacity="0.18"/>`).join('')}`),
  /** A tin of formula milk powder with its scoop (cross-border). */
  milkPowder: () =>
    frame(['#eef6ff', '#c4d9ef'], `
      <ellipse cx="400" cy="665" rx="250" ry="40" fill="url(#shade)"/>
      <rect x="230" y="230" width="340" height="430" rx="30" fill="#f7f9fc"/>
      <ellipse cx="400" cy="232" rx="170" ry="42" fill="#d8e2ee"/>
      <ellipse cx="400" cy="226" rx="170" ry="42" fill="#2f6db5"/>
      <rect x="230" y="330" width="340" height="150" fill="#2f6db5"/>
      <circle cx="400" cy="405" r="52" fill="#f2c94c"/>
      <path d="M372 405 q 28 -40 56 0 q -28 40 -56 0 Z" fill="#ffffff"/>
      <ellipse cx="620" cy="600" rx="60" ry="34" fill="#ffffff" stroke="#c4d9ef" stroke-width="6"/>
      <rect x="520" y="590" width="70" height="16" rx="8" fill="#ffffff" stroke="#c4d9ef" stroke-width="4"/>`),
  /** A pressed cake of tea on its wrapper with loose leaves (origin-certified). */
  teaCake: () =>
    frame(['#f3f7ea', '#cddcb4'], `
      <ellipse cx="400" cy="620" rx="300" ry="60" fill="url(#shade)"/>
      <circle cx="400" cy="430" r="250" fill="#efe6d2"/>
      <circle cx="400" cy="420" r="200" fill="#6b4f2a"/>
      ${around(40, 150, (x, y, a) => `<ellipse cx="${x.toFixed(1)}" cy="${(y + 20).toFixed(1)}" rx="26" ry="9" transform="rotate(${a.toFixed(0)} ${x.toFixed(1)} ${(y + 20).toFixed(1)})" fill="#8a6a3b"/>`, 400, 400)}
      ${around(18, 80, (x, y, a) => `<ellipse cx="${x.toFixed(1)}" cy="${(y + 20).toFixed(1)}" rx="20" ry="7" transform="rotate(${(a + 40).toFixed(0)} ${x.toFixed(1)} ${(y + 20).toFixed(1)})" fill="#9b7a45"/>`, 400, 400)}
      ${[[160, 660, 20], [600, 680, -30], [660, 600, 60]].map(([x, y, r]) => `<ellipse cx="${x}" cy="${y}" rx="34" ry="12" transform="rotate(${r} ${x} ${y})" fill="#5f8a3a"/>`).join('')}`),
  /** A set meal for two on a tray beside a ticket (a life-service voucher). */
  setMeal: () =>
    frame(['#fff4ec', '#f1cfb6'], `
      <ellipse cx="400" cy="640" rx="330" ry="50" fill="url(#shade)"/>
      <rect x="110" y="260" width="470" height="360" rx="24" fill="#8c5a3c"/>
      <circle cx="250" cy="380" r="90" fill="#fbfbf7"/><circle cx="250" cy="380" r="62" fill="#e0883a"/>
      <circle cx="440" cy="380" r="90" fill="#fbfbf7"/><circle cx="440" cy="380" r="62" fill="#7fae4a"/>
      <circle cx="345" cy="530" r="70" fill="#fbfbf7"/><circle cx="345" cy="530" r="46" fill="#f6e6b4"/>
      <rect x="520" y="150" width="200" height="300" rx="18" fill="#c8302c" transform="rotate(12 620 300)"/>
      <circle cx="620" cy="300" r="28" fill="#fff4ec" transform="rotate(12 620 300)"/>
      <rect x="560" y="360" width="120" height="14" rx="7" fill="#fff4ec" opacity="0.8" transform="rotate(12 620 300)"/>`),
  /** A wholesale carton of packs (B2B). */
  carton: () =>
    frame(['#f7f1e6', '#dcc9a6'], `
      <ellipse cx="400" cy="660" rx="330" ry="46" fill="url(#shade)"/>
      <path d="M130 300 L400 220 L670 300 L670 620 L400 700 L130 620 Z" fill="#c9995a"/>
      <path d="M130 300 L400 380 L670 300 L400 220 Z" fill="#ddb57c"/>
      <path d="M400 380 L400 700" stroke="#a87b41" stroke-width="6"/>
      <path d="M265 260 L535 340" stroke="#e9cf9c" stroke-width="30"/>
      <rect x="190" y="430" width="150" height="90" rx="8" fill="#f7f1e6" opacity="0.85" transform="skewY(16)"/>
      <rect x="460" y="520" width="150" height="60" rx="8" fill="#b3261e" opacity="0.85" transform="skewY(-16)"/>`),
} as const;

export type DemoArt = keyof typeof ART;

// Rendering and encoding cost tens of milliseconds a picture; the demo is seeded at every test start,
// so each picture is made once per process.
const prepared = new Map<DemoArt, Promise<PreparedPicture>>();

function prepareArt(art: DemoArt): Promise<PreparedPicture> {
  let picture = prepared.get(art);
  if (!picture) {
    picture = sharp(Buffer.from(ART[art]()))
      .png({ compressionLevel: 1 })
      .toBuffer()
      .then((png) => preparePicture({ filename: `${art}.png`, mimetype: 'image/png', bytes: png }, { maxBytes: 50 * 1024 * 1024, maxPixels: SIZE * SIZE }));
    picture.catch(() => prepared.delete(art));
    prepared.set(art, picture);
  }
  return picture;
}

/** Gives each demo product its pictures, in order, through the upload path. */
export async function seedDemoPictures(pictures: Pictures, products: { brandOrgId: string; productId: string; art: DemoArt[] }[]) {
  // Render in parallel (sharp uses its own threads), then record one product at a time.
  await Promise.all(products.flatMap((p) => p.art.map(prepareArt)));
  for (const { brandOrgId, productId, art } of products) {
    await pictures.upload(
      brandOrgId,
      productId,
      art.map((a) => ({ filename: `${a}.png`, mimetype: 'image/png', bytes: Buffer.alloc(0) })),
      { prepare: (file) => prepareArt(file.filename.replace(/\.png$/, '') as DemoArt), skipView: true },
    );
  }
}

/** The SVG of one demo picture (for tests and docs). */
export const demoArtSvg = (art: DemoArt) => ART[art]();
