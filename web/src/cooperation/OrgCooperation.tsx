import { path } from '../api';
import { ApplicationList } from './Applications';
import { BrandOffers } from './BrandOffers';
import { OfferSquare } from './OfferSquare';
import { SampleList } from './Samples';
import { SlotFeeList } from './SlotFees';

// The cooperation tabs of a brand's or an MCN's console (loaded when first opened).

export type CoopOrgTab = 'offers' | 'applications' | 'samples' | 'slotFees' | 'square';

export function OrgCooperation({ tab, orgId, orgKind, canEdit }: { tab: CoopOrgTab; orgId: string; orgKind: 'brand' | 'mcn'; canEdit: boolean }) {
  const view = orgKind;
  const decide = orgKind === 'brand' && canEdit ? orgId : undefined;
  if (tab === 'offers') return <BrandOffers orgId={orgId} canEdit={canEdit} />;
  if (tab === 'applications') return <ApplicationList endpoint={path`/api/orgs/${orgId}/applications`} view={view} decideAs={decide} />;
  if (tab === 'samples') return <SampleList endpoint={path`/api/orgs/${orgId}/samples`} view={view} brandOrgId={decide} />;
  if (tab === 'slotFees') return <SlotFeeList endpoint={path`/api/orgs/${orgId}/slot-fees`} view={view} brandOrgId={decide} />;
  return <OfferSquare mcnOrgId={orgId} />;
}
