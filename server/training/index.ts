import type { AccountsService } from '../accounts/service.ts';
import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { createCertificates } from './certificates.ts';
import { createExams } from './exams.ts';
import { createPractices, type PracticeLiveDeps } from './practice.ts';
import { createTrainingService } from './service.ts';
import { createTrainingStore } from './store.ts';
import { createPracticeVisibility } from './visibility.ts';

const TRAINER_ROLES = ['owner', 'admin', 'staff'];

/** Talent training and certification (docs/TRAINING.md). */
export function createTraining(deps: { db: Db; accounts: AccountsService; audit: AuditLog; clock: Clock; secret: string } & PracticeLiveDeps) {
  const store = createTrainingStore(deps.db);
  const service = createTrainingService({ store, accounts: deps.accounts, audit: deps.audit, clock: deps.clock });
  const certificates = createCertificates({ store, secret: deps.secret });
  const exams = createExams({ store, service, certificates, clock: deps.clock });
  const isTrainer = async (orgId: string, userId: string) => {
    const row = await deps.db.selectFrom('org_members').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
    return !!row && TRAINER_ROLES.includes(row.role);
  };
  const practices = createPractices({ store, service, exams, clock: deps.clock, isTrainer, live: deps.live, room: deps.room, logger: deps.logger });
  const visibility = createPracticeVisibility({ store, isTrainer });
  return { store, service, certificates, exams, practices, visibility };
}

export type Training = ReturnType<typeof createTraining>;
