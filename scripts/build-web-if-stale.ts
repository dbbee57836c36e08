// Builds the web app when web/dist is missing or older than its sources, so `npm start` always serves a current app.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist');
const built = path.join(dist, 'index.html');

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
  // Always the production build. Vite follows NODE_ENV when it is set, and the test runner sets it to "test": the
  // tests' builds were React's development build (about 80 kB gzipped more, and slower), unlike a user's.
  process.env.NODE_ENV = 'production';
  // Built aside and swapped in whole, so whatever serves web/dist meanwhile (a running `npm start`, another
  // test run) never finds it emptied or half written. The staging directory is on the same file system.
  const cache = path.join(root, 'node_modules/.cache');
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cache, 'zhibo-web-dist-'));
  const olds: string[] = [];
  try {
    await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    // Another build may swap its own in at the same moment: the last one in wins, both are current.
    for (let attempt = 0; ; attempt++) {
      try {
        if (fs.existsSync(dist)) {
          olds.push(`${staging}.old${attempt}`);
          fs.renameSync(dist, olds.at(-1)!);
        }
        fs.renameSync(staging, dist);
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    for (const old of olds) fs.rmSync(old, { recursive: true, force: true });
  }
} else {
  console.log('The web app is up to date (web/dist).');
}
