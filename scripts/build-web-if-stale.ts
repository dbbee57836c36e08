// Builds the web app when web/dist is missing or older than its sources, so `npm start` always serves a current app.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'web/dist/index.html');

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public'].map((p) => path.join(root, p)).filter((p) => fs.existsSync(p));
const sourceTime = Math.max(...sources.map(newestMtime));
const builtTime = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;

if (builtTime < sourceTime || process.argv.includes('--force')) {
  console.log('Building the web app (web/dist)…');
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
} else {
  console.log('The web app is up to date (web/dist).');
}
