// Every setting Zhibo reads is documented: each key of the configuration schema appears in the README's
// configuration tables or in docs/ (a newcomer configures Zhibo from those pages, not from the code).
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConfigSchema } from '../server/platform/config.ts';

it('documents every configuration key in the README or docs/', () => {
  const root = path.join(import.meta.dirname, '..');
  const pages = [path.join(root, 'README.md'), ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(root, 'docs', f))];
  const text = pages.map((p) => fs.readFileSync(p, 'utf8')).join('\n');
  const keys = Object.keys(ConfigSchema.shape);
  expect(keys.length).toBeGreaterThan(20);
  expect(keys.filter((key) => !text.includes(`\`${key}\``))).toEqual([]);
});
