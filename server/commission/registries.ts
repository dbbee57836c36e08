import { sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { OrgKind } from '../platform/db-types.ts';
import type { TalentStore } from '../talent/store.ts';
import { JOB_NAMES, type Job } from '../training/tracks.ts';
import { verificationPath } from '../training/certificates.ts';

const n = (v: unknown) => Number(v ?? 0);
const countBy = (rows: { key: string | null; n: unknown }[]) => new Map(rows.map((r) => [r.key ?? '', n(r.n)]));

/**
 * The commission's registries (docs/TALENT.md): approved organisations of each kind with what the
 * platform knows of them, and every certificate issued (certified talent). Read-only.
 */
export function createRegistries(deps: { store: TalentStore; clock: Clock }) {
  const { db } = deps.store;

  async function orgs(kind: OrgKind) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'licence_name', 'licence_no', 'reviewed_at', 'created_at'])
      .where('kind', '=', kind)
      .where('status', '=', 'approved')
      .orderBy('name')
      .execute();
  }
  const base = (o: Awaited<ReturnType<typeof orgs>>[number]) => ({ id: o.id, name: o.name, licenceName: o.licence_name, licenceNo: o.licence_no, approvedAt: o.reviewed_at, createdAt: o.created_at });

  return {
    async mcn() {
      const list = await orgs('mcn');
      const signed = countBy(await db.selectFrom('org_members').select(['org_id as key', sql<number>`count(*)`.as('n')]).where('role', '=', 'streamer').groupBy('org_id').execute());
      return list.map((o) => ({ ...base(o), signedStreamers: signed.get(o.id) ?? 0 }));
    },
    async base() {
      const list = await orgs('base');
      const today = deps.clock.now().toISOString().slice(0, 10);
      const studios = countBy(await db.selectFrom('studios').select(['base_org_id as key', sql<number>`count(*)`.as('n')]).groupBy('base_org_id').execute());
      const publicStudios = countBy(await db.selectFrom('studios').select(['base_org_id as key', sql<number>`count(*)`.as('n')]).where('is_public', '=', 1).groupBy('base_org_id').execute());
      const tenants = countBy(
        // Resident firms as the bases' reports count them: confirmed by their organisation, or self-declared (docs/BASES.md).
        await db.selectFrom('base_tenants').select(['base_org_id as key', sql<number>`count(*)`.as('n')]).where('lease_start', '<=', today).where('lease_end', '>=', today).where((eb) => eb.or([eb('org_id', 'is', null), eb('org_status', '=', 'confirmed')])).groupBy('base_org_id').execute(),
      );
      const approved = await db
        .selectFrom('base_applications')
        .innerJoin('base_programmes', 'base_programmes.id', 'base_applications.programme_id')
        .select(['base_applications.base_org_id', 'base_programmes.name', 'base_programmes.year'])
        .where('base_applications.status', '=', 'approved')
        .execute();
      return list.map((o) => ({ ...base(o), studios: studios.get(o.id) ?? 0, publicStudios: publicStudios.get(o.id) ?? 0, tenants: tenants.get(o.id) ?? 0, programmes: approved.filter((a) => a.base_org_id === o.id).map((a) => `${a.name} (${a.year})`) }));
    },
    async brand() {
      const list = await orgs('brand');
      const products = countBy(await db.selectFrom('products').select(['brand_org_id as key', sql<number>`count(*)`.as('n')]).where('status', '=', 'on_sale').groupBy('brand_org_id').execute());
      return list.map((o) => ({ ...base(o), productsOnSale: products.get(o.id) ?? 0 }));
    },
    async training() {
      const list = await orgs('training');
      const trainees = countBy(await db.selectFrom('training_enrollments').select(['org_id as key', sql<number>`count(*)`.as('n')]).groupBy('org_id').execute());
      const certificates = countBy(
        await db
          .selectFrom('training_certificates')
          .innerJoin('training_enrollments', 'training_enrollments.id', 'training_certificates.enrollment_id')
          .select(['training_enrollments.org_id as key', sql<number>`count(*)`.as('n')])
          .groupBy('training_enrollments.org_id')
          .execute(),
      );
      return list.map((o) => ({ ...base(o), trainees: trainees.get(o.id) ?? 0, certificates: certificates.get(o.id) ?? 0 }));
    },
    /** Every certificate issued, with its verification link and whether the holder is in the catalogue. */
    async talent() {
      const rows = await db
        .selectFrom('training_certificates')
        .innerJoin('training_enrollments', 'training_enrollments.id', 'training_certificates.enrollment_id')
        .selectAll('training_certificates')
        .select(['training_enrollments.user_id', 'training_enrollments.org_id'])
        .orderBy('training_certificates.issued_at', 'desc')
        .orderBy('training_certificates.number')
        .execute();
      const listed = new Set((await db.selectFrom('talent_nominations').select('streamer_id').where('status', '=', 'approved').execute()).map((r) => r.streamer_id));
      return rows.map((c) => ({
        number: c.number,
        holderId: c.user_id,
        holderName: c.holder_name,
        orgId: c.org_id,
        orgName: c.org_name,
        job: c.job,
        jobName: JOB_NAMES[c.job as Job] ?? { 'zh-CN': c.job, en: c.job },
        level: c.level,
        issuedAt: c.issued_at,
        verifyPath: verificationPath(c),
        inCatalogue: listed.has(c.user_id),
      }));
    },
  };
}

export type Registries = ReturnType<typeof createRegistries>;
