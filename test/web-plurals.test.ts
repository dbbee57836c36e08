// English plurals in the web app: a number next to a counted noun must read right for 1 ("1 follower",
// not "1 followers"), whatever the number's variable is called. Such a string is an i18next plural in
// English (`key_one` / `key_other` with {{count}}), while zh-CN keeps the plain `key` with {{count}}, and
// the t() call passes `count`. A string with two counts is split: each counted part its own plural key,
// put into a plain key that holds the rest ("{{lives}}, {{orders}}" with "1 live" and "3 orders").
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
 * Any interpolated variable ({{count}}, {{n}}, but also {{lives}}, {{total}}, {{formatted}} …; optionally
 * formatted, {{count, number}}), then at most one word (an adjective: "signed streamers", "ordinary
 * messages", "current tenants"), then an English plural noun: a word ending in s (not ss), or an
 * irregular plural. A number with another name reads "1 likes" just the same.
 */
const COUNTED_NOUN = /\{\{\w+(?:, *\w+)?\}\} (?:\w+ )?(?!(?:was|has|its|this|plus|does|yes)\b)(?:\w+[^s\W]s|people|children)\b/;
const COUNT = /\{\{count(?:, *\w+)?\}\}/g;

/**
 * What COUNTED_NOUN is tried on: a plain key's whole string; in a _one/_other key, the string without
 * its {{count}} (the number the plural follows), so that a second count in it ("{{count}} lives,
 * {{orders}} orders") is caught too: split such a string instead.
 */
const checked = (key: string, value: string) => (PLURAL_SUFFIX.test(key) ? value.replace(COUNT, '#') : value);
/** A key's name without its plural suffix: ALLOWED names a plural by that. */
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');

/**
 * Strings that match COUNTED_NOUN but never read wrong: the number is never 1 (a constant, or a
 * minimum above 1), or the variable is not a count at all (money). Each says why.
 */
const ALLOWED = new Set([
  // "Showing the latest {{shown}} of {{count}} entries" appears only when count > shown ≥ 1.
  'ledger.truncated',
  // "Comparing {{n}} offers": the comparison opens with 2 to 4 offers, never 1.
  'coop.compare.title',
  // "{{lives}} lives, last {{days}} days": the platform median is shown only over at least
  // MEDIAN_MIN_LIVES (5) other lives (analytics.compare.tooFew below that), and days is MEDIAN_WINDOW_DAYS (90).
  'analytics.compare.medianOf',
  // "muted for {{minutes}} minutes": the cockpit mutes for MUTE_MINUTES (10), a constant (cockpit/ChatPanel.tsx).
  'control.chat.muted',
  // "at most {{max}} characters": MAX_PHOTO_CAPTION (40), a constant (bases/BasePhotos.tsx).
  'bases.photos.captionNote',
  // "Choose at most {{max}} pictures": MAX_PICTURES (9), a constant (pictures/upload.ts).
  'pictures.tooMany',
  // "{{from}}–{{to}} units": a range of quantities (1–99 units) reads as a plural.
  'b2b.tierRange',
  // "{{amount}} off orders over {{threshold}}": amount is money (¥30 off orders over ¥300), not a count.
  'campaigns.threshold',
  'shop.coupon.threshold',
  // "{{deposit}} deposit counts as {{expansion}}": money (¥50 deposit counts as ¥100); "counts" is the verb.
  'presale.expansion',
  'presale.ruleExpansion',
  // A plural on {{count}} whose "last {{days}} days" and "from {{min}} lives" are MEDIAN_WINDOW_DAYS (90)
  // and MEDIAN_MIN_LIVES (5), constants (server/analytics/review.ts).
  'analytics.compare.tooFew',
  // The same on {{count}} streamers, with MEDIAN_WINDOW_DAYS (90) and MEDIAN_MIN_STREAMERS (3), constants.
  'analytics.compare.tooFewStreamers',
]);

const enFiles = localeFiles(root, 'en.json');

describe('English plurals in web/src/**/locales/en.json', () => {
  it('finds the locale files', () => {
    expect(enFiles.length).toBeGreaterThan(10);
    expect(enFiles.map(rel)).toContain('web/src/locales/en.json');
  });

  it('has no number next to a plural noun outside a _one/_other key on {{count}}, whatever its name', () => {
    const bad: string[] = [];
    for (const file of enFiles) {
      for (const [key, value] of read(file)) {
        if (ALLOWED.has(baseKey(key))) continue;
        if (COUNTED_NOUN.test(checked(key, value))) bad.push(`${rel(file)}: ${key} = ${JSON.stringify(value)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('allows only strings that are still there and still match', () => {
    const matching = new Set<string>();
    for (const file of enFiles) for (const [key, value] of read(file)) if (COUNTED_NOUN.test(checked(key, value))) matching.add(baseKey(key));
    expect([...ALLOWED].filter((key) => !matching.has(key))).toEqual([]);
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

  it('passes count, and every variable the en and zh-CN strings use, wherever the web app calls a plural key by name', () => {
    // Each plural key's variables: its en _one/_other and its zh-CN plain key (which may name the number otherwise).
    const plurals = new Map<string, Set<string>>();
    for (const file of enFiles) {
      const zhFile = path.join(path.dirname(file), 'zh-CN.json');
      const zh = fs.existsSync(zhFile) ? read(zhFile) : new Map<string, string>();
      for (const [key, value] of read(file)) {
        if (!/_(one|other)$/.test(key)) continue;
        const base = baseKey(key);
        const vars = plurals.get(base) ?? new Set<string>(['count']);
        for (const v of `${value} ${zh.get(base) ?? ''}`.matchAll(/\{\{(\w+)/g)) vars.add(v[1]!);
        plurals.set(base, vars);
      }
    }
    const calls = /\bt\(\s*(['"])([\w.]+)\1/g;
    const missing: string[] = [];
    let found = 0;
    for (const file of sourceFiles(root)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(calls)) {
        const vars = plurals.get(m[2]!);
        if (!vars) continue;
        found++;
        // The call's arguments: from its opening parenthesis to the one that closes it.
        let depth = 0;
        let end = m.index;
        for (; end < text.length; end++) {
          if (text[end] === '(') depth++;
          else if (text[end] === ')' && --depth === 0) break;
        }
        const args = text.slice(m.index + m[0].length, end);
        const absent = [...vars].filter((v) => !new RegExp(`\\b${v}\\s*[:,}]`).test(args));
        if (absent.length) missing.push(`${rel(file)}: t('${m[2]}'${args}) without ${absent.join(', ')}`);
      }
    }
    expect(found).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}
