import { describe, expect, it } from 'vitest';
import { DEFAULT_SENSITIVE_WORDS, fold, loadAdlawTerms, WordFilter } from './filter.ts';

const filter = new WordFilter([...DEFAULT_SENSITIVE_WORDS, ...loadAdlawTerms()]);

describe('word filter', () => {
  it('folds full-width forms and drops inserted noise', () => {
    expect(fold('ＮＯ．１ 全 网 第 一').folded).toBe('no1全网第一');
  });

  it('blocks high-severity sensitive words, even spaced out, full-width or with zero-width characters', () => {
    for (const text of ['加微信', '加 微 信 便宜', '加*微*信', '加\u200b微\u200b信', '要不要 加·微·信？']) {
      expect(filter.check(text).action, text).toBe('block');
    }
  });

  it('masks 广告法 absolute terms in place and keeps the rest of the message', () => {
    const result = filter.check('这是全网第一的好货，最好吃！');
    expect(result.action).toBe('mask');
    expect(result.text).toBe('这是＊＊＊＊的好货，＊＊吃！');
    const fullWidth = filter.check('ＴＯＰ１ 国 家 级 品质');
    expect(fullWidth.text).toBe('＊＊＊＊ ＊ ＊ ＊ 品质');
    expect(fullWidth.hits.map((h) => h.word).sort()).toEqual(['TOP1', '国家级'].sort());
  });

  it('passes ordinary chat, including a lone 最', () => {
    expect(filter.check('主播这个月饼多少钱？最近发货快吗')).toEqual({ action: 'pass', text: '主播这个月饼多少钱？最近发货快吗', hits: [] });
  });
});
