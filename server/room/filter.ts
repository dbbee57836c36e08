import fs from 'node:fs';
import path from 'node:path';
import AhoCorasick from 'modern-ahocorasick';

export type Severity = 'high' | 'medium' | 'low';
export type Term = { word: string; category: string; severity: Severity };
export type FilterHit = { word: string; category: string; severity: Severity; start: number; end: number };
export type FilterResult = { action: 'pass' | 'mask' | 'block'; text: string; hits: FilterHit[] };

// Characters that people insert to slip past a filter: spaces, punctuation, symbols, zero-width marks.
const NOISE = /[\s\p{P}\p{S}\u200B-\u200D\u2060\uFEFF]/u;

/**
 * Folds text so that variants match: NFKC turns full-width forms into half-width (ＱＱ → QQ,
 * １２３ → 123), letters are lower-cased, and noise characters are dropped. `origin[i]` is the
 * position in the original text of the i-th folded character, so a hit can be masked in place.
 */
export function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    if (!NOISE.test(char)) {
      for (const unit of char.normalize('NFKC').toLowerCase()) {
        if (NOISE.test(unit)) continue;
        folded += unit;
        for (let k = 0; k < unit.length; k++) origin.push(index);
      }
    }
    index += char.length;
  }
  return { folded, origin };
}

/**
 * The chat and copy filter: Aho–Corasick over folded text. Any high-severity sensitive term blocks the
 * message; other hits, and 广告法 absolute terms, are masked with ＊ in the original text.
 */
export class WordFilter {
  private readonly matcher: AhoCorasick | null;
  private readonly terms: Term[];

  constructor(terms: Term[]) {
    // A single character such as 最 would mask ordinary speech; the list's two-character forms catch the claims.
    this.terms = terms.map((t) => ({ ...t, folded: fold(t.word).folded })).filter((t) => t.folded.length >= 2) as (Term & { folded: string })[];
    this.matcher = this.terms.length ? new AhoCorasick((this.terms as (Term & { folded: string })[]).map((t) => t.folded)) : null;
  }

  check(text: string): FilterResult {
    if (!this.matcher) return { action: 'pass', text, hits: [] };
    const { folded, origin } = fold(text);
    const hits: FilterHit[] = this.matcher.search(folded).map((m) => {
      const term = this.terms[m.patternIndex]!;
      const start = origin[m.start]!;
      const lastOrigin = origin[m.end - 1]!;
      const end = lastOrigin + (text.codePointAt(lastOrigin)! > 0xffff ? 2 : 1);
      return { word: term.word, category: term.category, severity: term.severity, start, end };
    });
    if (!hits.length) return { action: 'pass', text, hits };
    if (hits.some((h) => h.category !== 'adlaw' && h.severity === 'high')) return { action: 'block', text, hits };
    const chars = [...text];
    let masked = '';
    let offset = 0;
    for (const char of chars) {
      const covered = hits.some((h) => offset >= h.start && offset < h.end);
      masked += covered && !NOISE.test(char) ? '＊' : char;
      offset += char.length;
    }
    return { action: 'mask', text: masked, hits };
  }
}

/** The 广告法 absolute-terms list shipped with Zhibo (term, group, severity). */
export function loadAdlawTerms(): Term[] {
  const file = path.join(import.meta.dirname, 'wordlists', 'adlaw-absolute-terms.tsv');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [word = '', , severity = 'medium'] = line.split('\t');
      return { word: word.trim(), category: 'adlaw', severity: severity.trim() as Severity };
    })
    .filter((t) => t.word);
}

/** Starting sensitive words operators can edit: diverting buyers off-platform, fraud, gambling. */
export const DEFAULT_SENSITIVE_WORDS: Term[] = [
  { word: '加微信', category: 'sensitive', severity: 'high' },
  { word: '加我微信', category: 'sensitive', severity: 'high' },
  { word: '私下交易', category: 'sensitive', severity: 'high' },
  { word: '刷单', category: 'sensitive', severity: 'high' },
  { word: '代开发票', category: 'sensitive', severity: 'high' },
  { word: '网络赌博', category: 'sensitive', severity: 'high' },
  { word: '博彩', category: 'sensitive', severity: 'high' },
  { word: '高仿', category: 'sensitive', severity: 'medium' },
  { word: '傻逼', category: 'sensitive', severity: 'medium' },
  { word: '垃圾主播', category: 'sensitive', severity: 'medium' },
];
