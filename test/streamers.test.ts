import { expect, it } from 'vitest';
import { makeIdNumber } from '../server/streamers/idcard.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestServer } from './helpers/server.ts';

// The test clock starts at 2026-11-26T08:00Z (16:00 in Shanghai).
const ADULT_ID = makeIdNumber('310104', '1995-06-15', '031');
const guardian = { name: '张建国', phone: '13911112222', relation: '父亲', consent: true };

async function operatorOf(server: TestServer) {
  const client = server.client();
  const user = await client.register(`op-${Math.random().toString(36).slice(2)}@example.com`);
  await server.database.db.updateTable('users').set({ platform_role: 'operator' }).where('id', '=', user.id).execute();
  server.services.accounts.forgetUser(user.id);
  return client;
}

describeEachDatabase('streamer identity', ({ server }) => {
  it('takes a profile for review, shows the ID number masked to its owner and whole to operators', async () => {
    const streamer = server().client();
    const user = await streamer.register('13811110001');
    const submitted = await streamer.put('/api/streamer/profile', { realName: '李小播', idNumber: ADULT_ID });
    expect(submitted.status).toBe(200);
    expect(submitted.json().profile).toMatchObject({ status: 'pending', idNumberMasked: `310104********${ADULT_ID.slice(-4)}`, age: 31, guardian: null });
    expect(submitted.json().profile.idNumber).toBeUndefined();
    expect((await streamer.get('/api/auth/session')).json().user).toMatchObject({ platformRole: 'streamer', streamerStatus: 'pending' });

    const stored = await server().database.db.selectFrom('streamer_profiles').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(ADULT_ID);

    const operator = await operatorOf(server());
    const pending = (await operator.get('/api/admin/streamer-profiles?status=pending')).json().profiles;
    expect(pending.find((p: { userId: string }) => p.userId === user.id).idNumber).toBe(ADULT_ID);
    expect((await streamer.get('/api/admin/streamer-profiles')).status).toBe(403);
  });

  it('refuses a malformed ID number, naming the field', async () => {
    const client = server().client({ locale: 'en' });
    await client.register('13811110002');
    for (const idNumber of ['310104199506150311', '12345', `${ADULT_ID.slice(0, 17)}Y`]) {
      const response = await client.put('/api/streamer/profile', { realName: '王五', idNumber });
      expect(response.status).toBe(400);
      expect(response.json().error.fields[0]).toMatchObject({ path: 'idNumber', code: 'ID_NUMBER_MALFORMED' });
      expect(response.json().error.message).toContain('GB 11643-1999');
    }
    expect((await client.get('/api/streamer/profile')).json().profile).toBeNull();
  });

  it('refuses anyone under 16, even with a guardian', async () => {
    const client = server().client();
    await client.register('13811110003');
    const fifteen = makeIdNumber('310104', '2011-01-01', '015');
    const response = await client.put('/api/streamer/profile', { realName: '赵小', idNumber: fifteen, guardian });
    expect(response.status).toBe(422);
    expect(response.errorCode).toBe('STREAMER_UNDER_AGE');
    expect(response.json().error.message).toBe('主播须年满 16 周岁（当前 15 岁）');
    // Turning 16 tomorrow (Shanghai date) is still 15 today.
    const almost = makeIdNumber('310104', '2010-11-27', '016');
    expect((await client.put('/api/streamer/profile', { realName: '赵小', idNumber: almost, guardian })).errorCode).toBe('STREAMER_UNDER_AGE');
    expect((await client.get('/api/streamer/profile')).json().profile).toBeNull();
  });

  it('asks a 16- or 17-year-old for a guardian’s consent, and records it', async () => {
    const client = server().client();
    await client.register('13811110004');
    const seventeen = makeIdNumber('310104', '2009-05-05', '017');
    const without = await client.put('/api/streamer/profile', { realName: '钱小', idNumber: seventeen });
    expect(without.errorCode).toBe('STREAMER_GUARDIAN_CONSENT_REQUIRED');
    const unticked = await client.put('/api/streamer/profile', { realName: '钱小', idNumber: seventeen, guardian: { ...guardian, consent: false } });
    expect(unticked.json().error.fields[0].path).toBe('guardian.consent');
    expect((await client.get('/api/streamer/profile')).json().profile).toBeNull();
    const withConsent = await client.put('/api/streamer/profile', { realName: '钱小', idNumber: seventeen, guardian });
    expect(withConsent.json().profile).toMatchObject({ age: 17, status: 'pending', guardian: { name: '张建国', relation: '父亲', consentAt: server().clock.now().toISOString() } });
  });

  it('refuses an ID number already verified on another account', async () => {
    const first = server().client();
    await first.register('13811110005');
    const id = makeIdNumber('310115', '1990-01-01', '055');
    expect((await first.put('/api/streamer/profile', { realName: '孙一', idNumber: id })).status).toBe(200);
    const second = server().client();
    await second.register('13811110006');
    expect((await second.put('/api/streamer/profile', { realName: '孙一', idNumber: id })).errorCode).toBe('STREAMER_ID_NUMBER_TAKEN');
  });

  it('lets operators approve or reject once, records why, and gates going live on approval', async () => {
    const operator = await operatorOf(server());
    const client = server().client();
    const user = await client.register('13811110007');
    await client.put('/api/streamer/profile', { realName: '周二', idNumber: makeIdNumber('310101', '1992-02-02', '072') });
    await expect(server().services.streamers.assertCanGoLive(user.id)).rejects.toMatchObject({ code: 'STREAMER_NOT_APPROVED' });

    const rejected = await operator.post(`/api/admin/streamer-profiles/${user.id}/review`, { decision: 'reject', reason: '证件照片模糊' });
    expect(rejected.json().profile).toMatchObject({ status: 'rejected', reviewReason: '证件照片模糊' });
    expect((await operator.post(`/api/admin/streamer-profiles/${user.id}/review`, { decision: 'approve' })).errorCode).toBe('REVIEW_ALREADY_DECIDED');
    await expect(server().services.streamers.assertCanGoLive(user.id)).rejects.toMatchObject({ code: 'STREAMER_NOT_APPROVED' });

    // The streamer corrects the profile and submits again; this time it passes.
    await client.put('/api/streamer/profile', { realName: '周二', idNumber: makeIdNumber('310101', '1992-02-02', '072') });
    await operator.post(`/api/admin/streamer-profiles/${user.id}/review`, { decision: 'approve' });
    await expect(server().services.streamers.assertCanGoLive(user.id)).resolves.toBeUndefined();
    expect((await client.put('/api/streamer/profile', { realName: '改名', idNumber: ADULT_ID })).errorCode).toBe('STREAMER_ALREADY_APPROVED');
    const audit = (await operator.get('/api/admin/audit-log')).json().entries.filter((e: { targetId: string }) => e.targetId === user.id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['streamer.approve', 'streamer.reject']);
    expect((await client.post(`/api/admin/streamer-profiles/${user.id}/review`, { decision: 'approve' })).status).toBe(403);
    expect((await operator.post('/api/admin/streamer-profiles/nobody/review', { decision: 'approve' })).errorCode).toBe('STREAMER_PROFILE_NOT_FOUND');
  });
});
