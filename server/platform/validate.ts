import { z } from 'zod';
import { AppError, type FieldProblem, type Locale } from './errors.ts';

/** Messages for the domain rules that schemas attach with `rule(code)`. */
const FIELD_RULES = {
  LOGIN_MALFORMED: { 'zh-CN': '请输入中国大陆手机号或邮箱地址', en: 'Enter a mainland China mobile number or an email address' },
  PHONE_MALFORMED: { 'zh-CN': '手机号格式不正确（11 位，以 1 开头）', en: 'Malformed mobile number (11 digits starting with 1)' },
  EMAIL_MALFORMED: { 'zh-CN': '邮箱地址格式不正确', en: 'Malformed email address' },
  PASSWORD_WEAK: { 'zh-CN': '密码至少 8 位，且须同时包含字母和数字，不能是常见密码', en: 'Use at least 8 characters with both letters and digits, and not a common password' },
  ID_NUMBER_MALFORMED: { 'zh-CN': '身份证号格式或校验位不正确（GB 11643-1999）', en: 'Malformed ID number or wrong check digit (GB 11643-1999)' },
  TEXT_BLANK: { 'zh-CN': '不能为空', en: 'Must not be blank' },
  CRITERION_REPEATED: { 'zh-CN': '同一指标只能设一个门槛', en: 'Each metric can have only one threshold' },
  CHOOSE_ONE: { 'zh-CN': '请至少选择一项', en: 'Choose at least one' },
} as const;
export type FieldRule = keyof typeof FIELD_RULES;

/** A refinement whose failure carries a stable field code and a translated message. */
export function rule(code: FieldRule) {
  return { params: { rule: code } };
}

/**
 * A client's key for one request, so a retry answers the first result instead of doing it twice: the
 * Idempotency-Key header of checkout and of a booking's refund, an auction bid's clientKey.
 */
export const RequestKey = z.string().regex(/^[\w.:-]{8,64}$/);

const zodLocales = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };

/**
 * Parses input with a zod schema. On failure it throws VALIDATION_FAILED naming each field, with a
 * message in the caller's language.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, locale: Locale): z.output<S> {
  const result = schema.safeParse(data, {
    error: (issue) => {
      const ruleCode = issue.code === 'custom' ? (issue.params as { rule?: FieldRule } | undefined)?.rule : undefined;
      if (ruleCode && FIELD_RULES[ruleCode]) return FIELD_RULES[ruleCode][locale];
      // An empty required text or list, said as a person would ("不能为空") rather than zod's "数值过小：期望 string >=1 字符"; the code stays TOO_SMALL.
      if (issue.code === 'too_small' && Number(issue.minimum) === 1) {
        if (issue.origin === 'string') return FIELD_RULES.TEXT_BLANK[locale];
        if (issue.origin === 'array' || issue.origin === 'set') return FIELD_RULES.CHOOSE_ONE[locale];
      }
      return zodLocales[locale](issue);
    },
  });
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', {}, toFieldProblems(result.error.issues));
}

function toFieldProblems(issues: z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, code: 'UNKNOWN_FIELD', message: issue.message }));
    }
    const ruleCode = issue.code === 'custom' ? (issue.params as { rule?: string } | undefined)?.rule : undefined;
    return [{ path: base || '(body)', code: ruleCode ?? issue.code.toUpperCase(), message: issue.message }];
  });
}
