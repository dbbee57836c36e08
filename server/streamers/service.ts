import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { Secrets } from '../platform/secrets.ts';
import { ageOn, maskIdNumber, parseIdNumber } from './idcard.ts';
import type { StreamersStore } from './store.ts';

/** The 2021 rules on live-streaming marketing: streamers are 16 or older, 16–17 with a guardian's consent. */
export const MIN_STREAMER_AGE = 16;
export const ADULT_AGE = 18;

type ProfileRow = NonNullable<Awaited<ReturnType<StreamersStore['findProfile']>>>;

export type SubmitProfileInput = {
  realName: string;
  idNumber: string;
  guardian?: { name: string; phone: string; relation: string; consent: true };
};

export function createStreamersService(deps: { store: StreamersStore; secrets: Secrets; audit: AuditLog; clock: Clock; forgetUser?: (userId: string) => void }) {
  const { store, secrets, audit, clock } = deps;

  function view(row: ProfileRow, revealIdNumber: boolean) {
    return {
      userId: row.user_id,
      displayName: row.display_name,
      realName: row.real_name,
      idNumberMasked: row.id_number_masked,
      ...(revealIdNumber && { idNumber: secrets.decrypt(row.id_number_enc) }),
      birthDate: row.birth_date,
      age: ageOn(row.birth_date, clock.now()),
      guardian:
        row.guardian_name && row.guardian_consent_at
          ? { name: row.guardian_name, phone: row.guardian_phone ?? '', relation: row.guardian_relation ?? '', consentAt: row.guardian_consent_at }
          : null,
      status: row.status,
      reviewReason: row.review_reason,
      reviewedAt: row.reviewed_at,
      submittedAt: row.submitted_at,
    };
  }

  return {
    async submit(userId: string, input: SubmitProfileInput) {
      const id = parseIdNumber(input.idNumber);
      if (!id) throw new AppError('VALIDATION_FAILED');
      const now = clock.now();
      const age = ageOn(id.birthDate, now);
      if (age < MIN_STREAMER_AGE) throw new AppError('STREAMER_UNDER_AGE', { age });
      if (age < ADULT_AGE && !input.guardian) throw new AppError('STREAMER_GUARDIAN_CONSENT_REQUIRED');
      const existing = await store.findProfile(userId);
      if (existing?.status === 'approved') throw new AppError('STREAMER_ALREADY_APPROVED');
      const hash = secrets.hash(id.normalized);
      const holder = await store.findByIdNumberHash(hash);
      if (holder && holder.user_id !== userId) throw new AppError('STREAMER_ID_NUMBER_TAKEN');
      // A guardian is recorded only where the law asks for one.
      const guardian = age < ADULT_AGE ? input.guardian : undefined;
      await store.upsertProfile({
        user_id: userId,
        real_name: input.realName,
        id_number_enc: secrets.encrypt(id.normalized),
        id_number_masked: maskIdNumber(id.normalized),
        id_number_hash: hash,
        birth_date: id.birthDate,
        guardian_name: guardian?.name ?? null,
        guardian_phone: guardian?.phone ?? null,
        guardian_relation: guardian?.relation ?? null,
        guardian_consent_at: guardian ? now.toISOString() : null,
        status: 'pending',
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
        submitted_at: now.toISOString(),
      });
      deps.forgetUser?.(userId); // the user became a streamer: their cached session must show it
      return this.own(userId);
    },

    async own(userId: string) {
      const row = await store.findProfile(userId);
      return row ? view(row, false) : null;
    },

    async listForOperator(status?: 'pending' | 'approved' | 'rejected') {
      return (await store.listProfiles(status)).map((row) => view(row, true));
    },

    async review(userId: string, decision: 'approve' | 'reject', reason: string | undefined, operatorId: string) {
      const row = await store.findProfile(userId);
      if (!row) throw new AppError('STREAMER_PROFILE_NOT_FOUND');
      const status = decision === 'approve' ? 'approved' : 'rejected';
      if (!(await store.decide(userId, status, reason ?? null, operatorId, clock.now().toISOString()))) {
        throw new AppError('REVIEW_ALREADY_DECIDED');
      }
      await audit.record({ actorId: operatorId, action: `streamer.${decision}`, targetType: 'streamer_profile', targetId: userId, detail: { reason: reason ?? null } });
      const updated = await store.findProfile(userId);
      return updated ? view(updated, true) : null;
    },

    /** The go-live gate: only a streamer whose real-name profile is approved may publish. */
    async assertCanGoLive(userId: string) {
      if ((await store.statusOf(userId)) !== 'approved') throw new AppError('STREAMER_NOT_APPROVED');
    },

    statusOf: store.statusOf,
  };
}

export type StreamersService = ReturnType<typeof createStreamersService>;
