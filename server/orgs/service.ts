import type { AccountsService } from '../accounts/service.ts';
import { toLoginId } from '../accounts/schema.ts';
import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { OrganisationsTable, OrgKind, OrgRole, ReviewStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { OrgsStore } from './store.ts';

export type OrgView = ReturnType<typeof toOrgView>;

export function toOrgView(row: OrganisationsTable) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    licenceName: row.licence_name,
    licenceNo: row.licence_no,
    status: row.status,
    reviewReason: row.review_reason,
    createdAt: row.created_at,
  };
}

export function createOrgsService(deps: { store: OrgsStore; accounts: AccountsService; audit: AuditLog; clock: Clock }) {
  const { store, accounts, audit, clock } = deps;
  return {
    async create(ownerId: string, input: { kind: OrgKind; name: string; description: string; licenceName?: string; licenceNo?: string }) {
      const now = clock.now().toISOString();
      const row: OrganisationsTable = {
        id: newId(),
        kind: input.kind,
        name: input.name,
        description: input.description,
        licence_name: input.licenceName ?? null,
        licence_no: input.licenceNo ?? null,
        status: 'pending',
        review_reason: null,
        reviewed_at: null,
        created_at: now,
      };
      await store.insertOrg(row, ownerId, now);
      return toOrgView(row);
    },

    async get(orgId: string) {
      const row = await store.findOrg(orgId);
      if (!row) throw new AppError('ORG_NOT_FOUND');
      return toOrgView(row);
    },

    async listForUser(userId: string) {
      const rows = await store.listOrgsOfUser(userId);
      return rows.map((r) => ({ org: toOrgView(r), role: r.member_role }));
    },

    async list(status?: ReviewStatus) {
      return (await store.listOrgs({ status })).map(toOrgView);
    },

    async members(orgId: string) {
      const rows = await store.listMembers(orgId);
      return rows.map((r) => ({
        user: { id: r.id, displayName: r.display_name, phone: maskPhone(r.phone), email: r.email },
        role: r.role,
        since: r.created_at,
      }));
    },

    async addMember(orgId: string, login: string, role: OrgRole, actorId: string) {
      const loginId = toLoginId(login);
      const user = loginId ? await accounts.findUserByLogin(loginId) : undefined;
      if (!user) throw new AppError('USER_NOT_FOUND');
      if (await store.findMembership(orgId, user.id)) throw new AppError('ORG_MEMBER_EXISTS');
      await store.addMember(orgId, user.id, role, clock.now().toISOString());
      await audit.record({ actorId, action: 'org.member.add', targetType: 'organisation', targetId: orgId, detail: { userId: user.id, role } });
      return { id: user.id, displayName: user.display_name };
    },

    async removeMember(orgId: string, userId: string, actorId: string) {
      const member = await store.findMembership(orgId, userId);
      if (!member) throw new AppError('USER_NOT_FOUND');
      if (member.role === 'owner' && (await store.countOwners(orgId)) <= 1) throw new AppError('ORG_LAST_OWNER');
      await store.removeMember(orgId, userId);
      await audit.record({ actorId, action: 'org.member.remove', targetType: 'organisation', targetId: orgId, detail: { userId } });
    },

    async review(orgId: string, decision: 'approve' | 'reject', reason: string | undefined, operatorId: string) {
      if (!(await store.findOrg(orgId))) throw new AppError('ORG_NOT_FOUND');
      const status = decision === 'approve' ? 'approved' : 'rejected';
      const decided = await store.decideReview(orgId, status, reason ?? null, clock.now().toISOString());
      if (!decided) throw new AppError('REVIEW_ALREADY_DECIDED');
      await audit.record({ actorId: operatorId, action: `org.${decision}`, targetType: 'organisation', targetId: orgId, detail: { reason: reason ?? null } });
      return this.get(orgId);
    },

    findMembership: store.findMembership,
    findOrgKind: store.findOrgKind,
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;

/** Members see each other's phone numbers masked: 138****0001. */
export function maskPhone(phone: string | null): string | null {
  return phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null;
}
