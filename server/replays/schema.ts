import { z } from 'zod';

export const ChapterSessionParams = z.strictObject({ id: z.uuid() });
export const ExplanationProductParams = z.strictObject({ id: z.string().min(1).max(64) });
