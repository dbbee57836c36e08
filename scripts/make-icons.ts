// Draws Zhibo's app icons (web/public/icons/*.png) from one SVG, with sharp. Run after changing the drawing:
//   npx tsx scripts/make-icons.ts
// The PNGs are committed: a build does not need to draw them. No text in the drawing, so no font is needed.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const out = path.resolve(import.meta.dirname, '../web/public/icons');

/** The mark: a play triangle inside a shopping bag, white on Zhibo's red-to-orange. `inset` keeps it inside a maskable safe zone. */
function svg(rounded: boolean, inset: number) {
  const s = 512;
  const k = (1 - 2 * inset) ; // scale of the mark
  const o = s * inset;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fe2c55"/><stop offset="1" stop-color="#ff7a45"/></linearGradient></defs>
  <rect width="${s}" height="${s}" rx="${rounded ? 112 : 0}" fill="url(#g)"/>
  <g transform="translate(${o} ${o}) scale(${k})">
    <path d="M116 176 h280 l26 218 a30 30 0 0 1 -30 34 h-272 a30 30 0 0 1 -30 -34 z" fill="#fff"/>
    <path d="M196 214 v-62 a60 60 0 0 1 120 0 v62" fill="none" stroke="#fff" stroke-width="26" stroke-linecap="round"/>
    <circle cx="196" cy="214" r="15" fill="#fe2c55"/>
    <circle cx="316" cy="214" r="15" fill="#fe2c55"/>
    <path d="M232 270 v104 l86 -52 z" fill="#fe2c55" stroke="#fe2c55" stroke-width="14" stroke-linejoin="round"/>
  </g>
</svg>`;
}

fs.mkdirSync(out, { recursive: true });
const outputs: [string, number, boolean, number][] = [
  ['icon-192.png', 192, true, 0.06],
  ['icon-512.png', 512, true, 0.06],
  ['maskable-512.png', 512, false, 0.14],
  ['apple-touch-icon.png', 180, false, 0.08],
  ['favicon-32.png', 32, true, 0.02],
];
for (const [name, size, rounded, inset] of outputs) {
  await sharp(Buffer.from(svg(rounded, inset))).resize(size, size).png({ compressionLevel: 9 }).toFile(path.join(out, name));
  console.log(`${name} ${size}×${size}`);
}
