import { z } from 'zod';
import { rule } from '../platform/validate.ts';

const Id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const OrgParams = z.strictObject({ orgId: Id });
export const ExhibitionParams = z.strictObject({ exhibitionId: Id });
export const BoothParams = z.strictObject({ boothId: Id });
export const OrgBoothParams = z.strictObject({ orgId: Id, boothId: Id });
export const ExhibitionBody = z.strictObject({
  name: text(80),
  shortName: text(20),
  city: text(20),
  venue: text(80),
  startsOn: day,
  endsOn: day,
  halls: z.array(text(40)).min(1).max(30),
});
export const BoothBody = z.strictObject({ hallId: Id, boothNo: z.string().trim().regex(/^[\w.-]{1,20}$/), exhibitorOrgId: Id, name: text(60), intro: z.string().trim().max(500).default('') });
export const BoothLivesBody = z.strictObject({ sessionIds: z.array(Id).max(50) });
/** consent is checked by the service (EXHIBITION_INQUIRY_CONSENT_REQUIRED). */
export const InquiryBody = z.strictObject({ name: text(40), contact: text(60), company: z.string().trim().max(100).default(''), message: text(500), consent: z.boolean().optional() });
export const EmptyBody = z.strictObject({}).optional();
