// English plurals in the web app: a number next to a counted noun must read right for 1 ("1 follower",
// not "1 followers"). Such a string is an i18next plural in English (`key_one` / `key_other` with
// {{count}}), while zh-CN keeps the plain `key` with {{count}}, and the t() call passes `count`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..', 'web', 'src');

function localeFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...localeFiles(full, name));
    else if (entry.name === name && path.basename(dir) === 'locales') out.push(full);
  }
  return out.sort();
}

type Strings = Map<string, string>;

function flatten(obj: unknown, prefix = '', out: Strings = new Map()): Strings {
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else if (typeof v === 'string') out.set(key, v);
  }
  return out;
}

const read = (file: string): Strings => flatten(JSON.parse(fs.readFileSync(file, 'utf8')));
const rel = (file: string) => path.relative(path.join(root, '..', '..'), file);
const PLURAL_SUFFIX = /_(zero|one|other)$/;

/**
 * {{count}} or {{n}} (optionally formatted, {{count, number}}), then at most one word (an adjective:
 * "signed streamers", "ordinary messages"), then an English plural noun: a word ending in s (not ss),
 * or an irregular plural.
 */
const COUNTED_NOUN = /\{\{(?:count|n)(?:, *\w+)?\}\} (?:\w+ )?(?!(?:was|has|its|this|plus|does|yes)\b)(?:\w+[^s\W]s|people|children)\b/;

/** Strings that match COUNTED_NOUN but never show 1. Each says why. */
const ALLOWED = new Set([
  // "Showing the latest {{shown}} of {{count}} entries" appears only when count > shown ≥ 1.
  'ledger.truncated',
  // "Comparing {{n}} offers": the comparison opens with 2 to 4 offers, never 1.
  'coop.compare.title',
]);

const enFiles = localeFiles(root, 'en.json');

describe('English plurals in web/src/**/locales/en.json', () => {
  it('finds the locale files', () => {
    expect(enFiles.length).toBeGreaterThan(10);
    expect(enFiles.map(rel)).toContain('web/src/locales/en.json');
  });

  it('has no count next to a plural noun outside a _one/_other key', () => {
    const bad: string[] = [];
    for (const file of enFiles) {
      for (const [key, value] of read(file)) {
        if (PLURAL_SUFFIX.test(key) || ALLOWED.has(key)) continue;
        if (COUNTED_NOUN.test(value)) bad.push(`${rel(file)}: ${key} = ${JSON.stringify(value)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('allows only strings that are still there and still match', () => {
    const all = new Map<string, string>();
    for (const file of enFiles) for (const [key, value] of read(file)) all.set(key, value);
    const stale = [...ALLOWED].filter((key) => !COUNTED_NOUN.test(all.get(key) ?? ''));
    expect(stale).toEqual([]);
  });

  it('gives every _one key its _other, both with {{count}}, and zh-CN the plain key', () => {
    const problems: string[] = [];
    for (const file of enFiles) {
      const en = read(file);
      const zhFile = path.join(path.dirname(file), 'zh-CN.json');
      const zh = fs.existsSync(zhFile) ? read(zhFile) : new Map<string, string>();
      for (const [key, value] of en) {
        const m = /^(.*)_(one|other)$/.exec(key);
        if (!m) continue;
        const base = m[1]!;
        if (m[2] === 'one' && !en.has(`${base}_other`)) problems.push(`${rel(file)}: ${key} without ${base}_other`);
        if (m[2] === 'other' && !en.has(`${base}_one`)) problems.push(`${rel(file)}: ${key} without ${base}_one`);
        if (!/\{\{count(?:, *\w+)?\}\}/.test(value)) problems.push(`${rel(file)}: ${key} does not use {{count}}`);
        if (m[2] === 'one' && !zh.has(base)) problems.push(`${rel(zhFile)}: no ${base} for en ${key}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
