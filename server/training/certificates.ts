import crypto from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import type { CertificateRow, TrainingStore } from './store.ts';
import { JOB_NAMES, type Job } from './tracks.ts';

/**
 * Certificates: numbered ZB-<year>-<6 digits>, with a verification code that is an HMAC-SHA256 over
 * the certificate's fields under a key derived (HKDF) from the server secret. Verification recomputes
 * the code from the stored fields, so an altered code, a forged one, or a field changed in the
 * database after issue all fail.
 */
export function createCertificates(deps: { store: TrainingStore; secret: string }) {
  const key = Buffer.from(crypto.hkdfSync('sha256', deps.secret, 'zhibo', 'training-certificate', 32));

  function codeFor(row: Omit<CertificateRow, 'code'>): string {
    const fields = [row.number, row.enrollment_id, row.holder_name, row.org_name, row.job, row.level, row.study_hours, row.theory_score, row.skill_score, row.issued_at];
    // 20 bytes of the MAC in base32-ish hex groups: short enough for a QR code, far too long to guess.
    const mac = crypto.createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex').slice(0, 40).toUpperCase();
    return mac.match(/.{1,5}/g)!.join('-');
  }

  return {
    codeFor,

    /** Issues the enrolment's certificate once (the unique enrolment id makes a second issue a no-op). */
    async issue(input: Omit<CertificateRow, 'code' | 'number'>): Promise<CertificateRow> {
      const existing = await deps.store.findCertificateOf(input.enrollment_id);
      if (existing) return existing;
      const year = input.issued_at.slice(0, 4);
      const prefix = `ZB-${year}-`;
      for (let attempt = 0; attempt < 5; attempt++) {
        const sequence = (await deps.store.countCertificatesOfYear(prefix)) + 1 + attempt;
        const number = `${prefix}${String(sequence).padStart(6, '0')}`;
        const row = { ...input, number, code: '' };
        row.code = codeFor(row);
        try {
          await deps.store.insertCertificate(row);
          return row;
        } catch (error) {
          // Another issue took this number (or this enrolment's certificate) at the same moment.
          const again = await deps.store.findCertificateOf(input.enrollment_id);
          if (again) return again;
          if (attempt === 4) throw error;
        }
      }
      throw new Error('unreachable');
    },

    async verify(number: string, code: string) {
      const row = await deps.store.findCertificate(number);
      if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
      const recomputed = codeFor(row);
      const expected = Buffer.from(recomputed);
      const given = Buffer.from(code.trim().toUpperCase());
      // The code given must match the MAC of the fields as stored now, and so must the code stored at issue.
      if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given) || row.code !== recomputed) {
        throw new AppError('CERTIFICATE_CODE_INVALID');
      }
      return toCertificateView(row);
    },
  };
}

export type Certificates = ReturnType<typeof createCertificates>;

export function toCertificateView(row: CertificateRow) {
  return {
    number: row.number,
    holderName: row.holder_name,
    orgName: row.org_name,
    job: row.job,
    jobName: JOB_NAMES[row.job as Job] ?? { 'zh-CN': row.job, en: row.job },
    level: row.level,
    studyHours: row.study_hours,
    theoryScore: row.theory_score,
    skillScore: row.skill_score,
    issuedAt: row.issued_at,
  };
}

/** The path of the public verification page for a certificate (the QR code opens it). */
export function verificationPath(row: Pick<CertificateRow, 'number' | 'code'>): string {
  return `/certificates/${encodeURIComponent(row.number)}?code=${encodeURIComponent(row.code)}`;
}
