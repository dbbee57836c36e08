import { MyContracts } from '../mcn/MyContracts';
import { ApplicationList } from './Applications';
import { OfferSquare } from './OfferSquare';
import { SampleList } from './Samples';
import { SlotFeeList } from './SlotFees';

// The cooperation tabs of the streamer's console (loaded when first opened).

export type CoopStreamerTab = 'square' | 'applications' | 'samples' | 'slotFees' | 'contracts';

export function StreamerCooperation({ tab }: { tab: CoopStreamerTab }) {
  if (tab === 'square') return <OfferSquare />;
  if (tab === 'applications') return <ApplicationList endpoint="/api/me/cooperation/applications" view="streamer" />;
  if (tab === 'samples') return <SampleList endpoint="/api/me/cooperation/samples" view="streamer" />;
  if (tab === 'slotFees') return <SlotFeeList endpoint="/api/me/cooperation/slot-fees" view="streamer" />;
  return <MyContracts />;
}
