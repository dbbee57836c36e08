import { McnContracts } from './McnContracts';
import { McnRoster } from './Roster';

// The MCN tabs of an MCN's console (loaded when first opened).

export type McnTab = 'roster' | 'contracts';

export function McnConsoleTab({ tab, orgId, canEdit }: { tab: McnTab; orgId: string; canEdit: boolean }) {
  return tab === 'roster' ? <McnRoster orgId={orgId} canSchedule={canEdit} /> : <McnContracts orgId={orgId} canEdit={canEdit} />;
}
