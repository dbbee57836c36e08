import type { OrgRole } from '../../server/platform/db-types.ts';
import { makeIdNumber } from '../../server/streamers/idcard.ts';
import type { TestClient, TestServer } from './server.ts';

let sequence = 100;

/** A logged-in operator. */
export async function operator(server: TestServer): Promise<{ client: TestClient; id: string }> {
  const client = server.client();
  const user = await client.register(`op${sequence++}@example.com`);
  await server.database.db.updateTable('users').set({ platform_role: 'operator' }).where('id', '=', user.id).execute();
  server.services.accounts.forgetUser(user.id);
  return { client, id: user.id };
}

/** A logged-in streamer whose real-name profile is approved (or left pending). */
export async function streamer(server: TestServer, options: { approved?: boolean } = {}): Promise<{ client: TestClient; id: string }> {
  const n = sequence++;
  const client = server.client();
  const user = await client.register(`1370000${String(n).padStart(4, '0')}`);
  const idNumber = makeIdNumber('310104', `199${n % 10}-0${(n % 9) + 1}-1${n % 10}`, String(n % 1000).padStart(3, '0'));
  await server.services.streamers.submit(user.id, { realName: `主播${n}`, idNumber });
  if (options.approved !== false) {
    const { id: operatorId } = await operator(server);
    await server.services.streamers.review(user.id, 'approve', undefined, operatorId);
  }
  return { client, id: user.id };
}

/**
 * Makes the user a member of the organisation, by default with the role 'streamer': a brand's own
 * streamer, whose lives may name the brand (server/live/brands.ts).
 */
export async function joinOrg(server: TestServer, orgId: string, userId: string, role: OrgRole = 'streamer') {
  await server.database.db.insertInto('org_members').values({ org_id: orgId, user_id: userId, role, created_at: server.clock.now().toISOString() }).execute();
}
