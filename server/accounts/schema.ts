import { z } from 'zod';
import { rule } from '../platform/validate.ts';
import { isStrongPassword } from './passwords.ts';

const PHONE = /^(?:\+?86)?(1[3-9]\d{9})$/;

export type LoginId = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

/** A mainland mobile number (normalised to 11 digits) or an email address (lower-cased). */
export function toLoginId(raw: string): LoginId | null {
  const trimmed = raw.trim();
  if (trimmed.includes('@')) {
    const email = trimmed.toLowerCase();
    return z.email().safeParse(email).success && email.length <= 254 ? { kind: 'email', value: email } : null;
  }
  // Phone numbers are often written with spaces or dashes: +86 138-0000-0000.
  const match = PHONE.exec(trimmed.replace(/[\s-]/g, ''));
  return match?.[1] ? { kind: 'phone', value: match[1] } : null;
}

const login = z
  .string()
  .max(254)
  .refine((v) => toLoginId(v) !== null, rule('LOGIN_MALFORMED'))
  .transform((v) => toLoginId(v) as LoginId);

const password = z.string().max(128).refine(isStrongPassword, rule('PASSWORD_WEAK'));
const displayName = z.string().trim().min(1).max(40);
export const LocaleSchema = z.enum(['zh-CN', 'en']);

export const RegisterBody = z.strictObject({
  login,
  password,
  displayName,
  locale: LocaleSchema.optional(),
});

export const LoginBody = z.strictObject({
  login: z.string().min(1).max(254),
  password: z.string().min(1).max(128),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: password,
});

export const UpdateMeBody = z.strictObject({
  displayName: displayName.optional(),
  locale: LocaleSchema.optional(),
});
