// Live-streaming bases in Chromium (docs/BASES.md): the demo MCN (星火互娱) books a studio of 虹桥基地 for
// 阿May美妆 and schedules her live straight from the booking; her live is then held, simulated in the
// database as test/analytics.test.ts does (status live, then ended, with paid orders) instead of
// publishing video; and 虹桥基地's monthly report counts the live and its GMV. The base links a new tenant by
// searching an organisation's name; 海上学院 confirms its tenancy, then withdraws the confirmation.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { paidOrder } from '../helpers/bases.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };
const OFFSET = 8 * 3_600_000; // Asia/Shanghai, no daylight saving

describe.skipIf(!chromiumAvailable.ok)('bases: an MCN books a studio, its streamer goes live from the booking, the base reports it, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return Object.assign(client, { userId: user.id as string });
  };
  const orgOf = async (client: Awaited<ReturnType<typeof login>>, kind: string) =>
    ((await client.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === kind)!.org.id;

  it('books, schedules the live from the booking, and the monthly report counts the live and its GMV', async () => {
    const server = suite.server;
    const mcn = await login('mcn');
    const beauty = await login('streamerBeauty');
    const baseUser = await login('base');
    const mcnOrg = await orgOf(mcn, 'mcn');
    const baseOrg = await orgOf(baseUser, 'base');
    // Tomorrow 09:00–10:30 Beijing time in F7 (the demo books afternoons and evenings).
    const day = new Date(Date.now() + OFFSET + 86_400_000).toISOString().slice(0, 10);
    const startsAt = new Date(`${day}T09:00:00+08:00`).toISOString();
    const month = day.slice(0, 7);

    // --- 星火互娱's console: 预订直播间 ---
    const mcnPage = await suite.pageAs(mcn, DESKTOP);
    const errors: string[] = [];
    mcnPage.on('pageerror', (e) => errors.push(e.message));
    await mcnPage.goto(`${suite.base}/orgs/${mcnOrg}?tab=bookStudios`);
    const form = mcnPage.locator('[data-testid="booking-form"]');
    await form.waitFor({ timeout: 15_000 });
    await mcnPage.locator('[data-testid="calendar-booking"]').first().waitFor({ timeout: 10_000 });
    const f7 = (await mcnPage.locator('[data-testid="booking-studio"] option').allInnerTexts()).find((o) => o.startsWith('F7'))!;
    await form.locator('[data-testid="booking-studio"]').selectOption({ label: f7 });
    await form.locator('[data-testid="booking-date"]').fill(day);
    await form.locator('[data-testid="booking-start"]').fill('09:00');
    await form.locator('[data-testid="booking-end"]').fill('10:30');
    await form.locator('[data-testid="booking-streamer"]').selectOption(beauty.userId);
    await form.locator('[data-testid="booking-title"]').fill('珠宝新品首发');
    await form.locator('[data-testid="booking-submit"]').click();
    await form.locator('[data-testid="form-success"]').waitFor({ timeout: 10_000 });

    const mine = (await mcn.get('/api/me/studio-bookings')).json().bookings as { id: string; startsAt: string; studioName: string; priceFen: number; streamerId: string }[];
    // Found by studio too: a demo live's booking (B2 or A1, on the hour of the live) may start at the same time.
    const booking = mine.find((b) => b.startsAt === startsAt && b.studioName.startsWith('F7'))!;
    expect(booking).toMatchObject({ studioName: 'F7 珠宝鉴赏直播间', priceFen: 42_000, streamerId: beauty.userId });
    // Booking the same studio again at an overlapping time is refused, with the server's message.
    await form.locator('[data-testid="booking-start"]').fill('10:00');
    await form.locator('[data-testid="booking-end"]').fill('11:00');
    await form.locator('[data-testid="booking-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="BOOKING_CONFLICT"]').waitFor({ timeout: 10_000 });

    // --- schedule the live straight from the booking ---
    const row = mcnPage.locator(`[data-testid="our-booking"][data-booking-id="${booking.id}"]`);
    await row.locator('[data-testid="booking-schedule-open"]').click();
    await row.locator('[data-testid="booking-live-title"]').fill('阿May 珠宝新品首发');
    await row.locator('[data-testid="booking-live-submit"]').click();
    await row.locator('[data-testid="booking-lives"]').waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="booking-lives"]').innerText()).toContain('阿May 珠宝新品首发');
    await mcnPage.screenshot({ path: screenshotPath('bases-mcn-booking'), fullPage: true });

    // It is 阿May's own live, at the booking's start.
    const session = ((await beauty.get('/api/streamer/live-sessions')).json().sessions as { id: string; title: string; scheduledAt: string }[]).find((s) => s.title === '阿May 珠宝新品首发')!;
    expect(session.scheduledAt).toBe(startsAt);

    // --- she goes live from it (simulated: live, then ended 80 minutes later, with two paid orders) ---
    const { db } = server.database;
    await db.updateTable('live_sessions').set({ status: 'live', started_at: startsAt, publishing: 1 }).where('id', '=', session.id).execute();
    const endedAt = new Date(Date.parse(startsAt) + 80 * 60_000).toISOString();
    await db.updateTable('live_sessions').set({ status: 'ended', ended_at: endedAt, ended_reason: 'streamer_ended', publishing: 0, peak_viewers: 640 }).where('id', '=', session.id).execute();
    const viewer = await login('viewer');
    const beautyBrand = (await server.services.orgs.list()).find((o) => o.name === '玉兰凝肌')!;
    await paidOrder(server, { sessionId: session.id, buyerId: viewer.userId, brandOrgId: beautyBrand.id, totalFen: 29_900, paidAt: new Date(Date.parse(startsAt) + 20 * 60_000).toISOString() });
    await paidOrder(server, { sessionId: session.id, buyerId: viewer.userId, brandOrgId: beautyBrand.id, totalFen: 15_900, refundedFen: 0, paidAt: new Date(Date.parse(startsAt) + 50 * 60_000).toISOString() });

    // --- 虹桥基地's monthly report ---
    const report = (await baseUser.get(`/api/orgs/${baseOrg}/base/report?month=${month}`)).json().report;
    const held = report.lives.find((l: { id: string }) => l.id === session.id);
    expect(held).toMatchObject({ title: '阿May 珠宝新品首发', studioName: 'F7 珠宝鉴赏直播间', hours: 1.33, viewers: 640, gmvFen: 45_800 });
    const basePage = await suite.pageAs(baseUser, DESKTOP);
    basePage.on('pageerror', (e) => errors.push(e.message));
    await basePage.goto(`${suite.base}/orgs/${baseOrg}?tab=baseReport`);
    await basePage.locator('[data-testid="report-summary"]').waitFor({ timeout: 15_000 });
    await basePage.locator('[data-testid="report-month"]').fill(month);
    const liveRow = basePage.locator('[data-testid="report-live"]', { hasText: '阿May 珠宝新品首发' });
    await liveRow.waitFor({ timeout: 10_000 });
    expect(await liveRow.innerText()).toContain('¥458.00');
    expect(await liveRow.innerText()).toContain('F7 珠宝鉴赏直播间');
    expect(await basePage.locator('[data-testid="kpi-lives"] dd').innerText()).toBe(String(report.summary.lives));
    expect(await basePage.locator('[data-testid="report-programme"]').count()).toBe(2);
    await basePage.screenshot({ path: screenshotPath('bases-report'), fullPage: true });
    // An event held at the base, recorded from the report: the month's events count it at once.
    const eventsBefore = Number(await basePage.locator('[data-testid="kpi-events"] dd').innerText());
    await basePage.locator('[data-testid="base-event-title"]').fill('品牌直播日');
    await basePage.locator('[data-testid="base-event-form"] input[type="date"]').fill(day);
    await basePage.locator('[data-testid="base-event-attendees"]').fill('60');
    await basePage.locator('[data-testid="base-event-form"] button[type="submit"]').click();
    await expect.poll(() => basePage.locator('[data-testid="kpi-events"] dd').innerText(), { timeout: 10_000 }).toBe(String(eventsBefore + 1));

    // The base's console is full: a week of bookings on its calendar, its tenants.
    await basePage.goto(`${suite.base}/orgs/${baseOrg}?tab=baseCalendar`);
    await basePage.locator('[data-testid="calendar-booking"]').first().waitFor({ timeout: 15_000 });
    expect(await basePage.locator('[data-testid="calendar-studio"]').count()).toBe(8);
    expect(await basePage.locator('[data-testid="calendar-booking"]').count()).toBeGreaterThan(10);
    await basePage.screenshot({ path: screenshotPath('bases-calendar'), fullPage: true });
    await basePage.goto(`${suite.base}/orgs/${baseOrg}?tab=tenants`);
    await basePage.locator('[data-testid="tenant"]').first().waitFor({ timeout: 15_000 });
    await basePage.screenshot({ path: screenshotPath('bases-tenants'), fullPage: true });
    // The training centre's 实训点 waits for 海上学院's confirmation and is not counted.
    const pendingRow = basePage.locator('[data-testid="tenant"]', { hasText: '海上直播电商学院（实训点）' });
    expect(await pendingRow.locator('[data-testid="tenant-confirmation"]').getAttribute('data-confirmation')).toBe('pending');
    // A new tenant linked by name: the search offers 德兴斋 (an approved brand); picked, it fills the name, and the
    // tenant starts pending until 德兴斋 confirms it.
    const tenantForm = basePage.locator('[data-testid="tenant-form"]');
    await tenantForm.locator('[data-testid="tenant-org-search"]').fill('德兴');
    await tenantForm.locator('[data-testid="tenant-org-result"]', { hasText: '德兴斋' }).click();
    expect(await tenantForm.locator('[data-testid="tenant-org-picked"]').innerText()).toContain('德兴斋');
    expect(await tenantForm.locator('[data-testid="tenant-name"]').inputValue()).toBe('德兴斋');
    await tenantForm.locator('input[type="date"]').nth(1).fill(`${Number(day.slice(0, 4)) + 1}-12-31`);
    await tenantForm.locator('button[type="submit"]').click();
    const linkedRow = basePage.locator('[data-testid="tenant"]', { hasText: '德兴斋' });
    await linkedRow.waitFor({ timeout: 10_000 });
    expect(await linkedRow.locator('[data-testid="tenant-confirmation"]').getAttribute('data-confirmation')).toBe('pending');
    expect(errors).toEqual([]);
  });

  it('a brand schedules a live from its own booking for a streamer it picks; the training centre confirms its tenancy', async () => {
    const brand = await login('foodBrand');
    const food = await login('streamerFood');
    const baseUser = await login('base');
    const brandOrg = await orgOf(brand, 'brand');
    const baseOrg = await orgOf(baseUser, 'base');
    const f7 = ((await baseUser.get(`/api/orgs/${baseOrg}/studios`)).json().studios as { id: string; name: string }[]).find((x) => x.name.startsWith('F7'))!;
    // The day after tomorrow 09:00–10:00 Beijing time, booked by 德兴斋 without naming a streamer.
    const day = new Date(Date.now() + OFFSET + 2 * 86_400_000).toISOString().slice(0, 10);
    const booked = await brand.post(`/api/bases/${baseOrg}/studios/${f7.id}/bookings`, { startsAt: new Date(`${day}T09:00:00+08:00`).toISOString(), endsAt: new Date(`${day}T10:00:00+08:00`).toISOString(), title: '德兴斋早市专场', orgId: brandOrg });
    expect(booked.status, booked.body).toBe(201);
    const bookingId = booked.json().booking.id as string;

    const page = await suite.pageAs(brand, DESKTOP);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/orgs/${brandOrg}?tab=bookStudios`);
    const row = page.locator(`[data-testid="our-booking"][data-booking-id="${bookingId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.locator('[data-testid="booking-schedule-open"]').click();
    const picker = row.locator('[data-testid="booking-live-streamer"]');
    await picker.waitFor({ timeout: 10_000 });
    expect((await picker.locator('option').allInnerTexts()).some((o) => o.startsWith('小林说吃'))).toBe(true);
    await picker.selectOption(food.userId);
    await row.locator('[data-testid="booking-live-title"]').fill('德兴斋早市：鲜肉月饼出炉');
    await row.locator('[data-testid="booking-live-submit"]').click();
    await row.locator('[data-testid="booking-lives"]').waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="booking-lives"]').innerText()).toContain('德兴斋早市：鲜肉月饼出炉');
    await page.screenshot({ path: screenshotPath('bases-brand-live'), fullPage: true });
    const session = ((await food.get('/api/streamer/live-sessions')).json().sessions as { title: string; brand: { name: string } | null }[]).find((x) => x.title === '德兴斋早市：鲜肉月饼出炉')!;
    expect(session.brand?.name).toBe('德兴斋');

    // 海上学院's console shows 虹桥基地's request; its owner confirms it once.
    const training = await login('training');
    const trainingOrg = await orgOf(training, 'training');
    const trainingPage = await suite.pageAs(training, DESKTOP);
    trainingPage.on('pageerror', (e) => errors.push(e.message));
    await trainingPage.goto(`${suite.base}/orgs/${trainingOrg}`);
    const request = trainingPage.locator('[data-testid="tenancy-request"]', { hasText: '虹桥直播电商基地' });
    await request.waitFor({ timeout: 15_000 });
    expect(await request.getAttribute('data-confirmation')).toBe('pending');
    await trainingPage.screenshot({ path: screenshotPath('bases-tenancy-request'), fullPage: true });
    await request.locator('[data-testid="tenancy-confirm"]').click();
    await trainingPage.locator('[data-testid="tenancy-request"][data-confirmation="confirmed"]').waitFor({ timeout: 10_000 });
    expect(await trainingPage.locator('[data-testid="tenancy-confirm"]').count()).toBe(0);
    // It withdraws its confirmation, asked once more first (dismissed: nothing happens; accepted: withdrawn).
    trainingPage.once('dialog', (d) => void d.dismiss());
    await request.locator('[data-testid="tenancy-withdraw"]').click();
    expect(await request.getAttribute('data-confirmation')).toBe('confirmed');
    trainingPage.once('dialog', (d) => void d.accept());
    await request.locator('[data-testid="tenancy-withdraw"]').click();
    await trainingPage.locator('[data-testid="tenancy-request"][data-confirmation="withdrawn"]').waitFor({ timeout: 10_000 });
    expect(await trainingPage.locator('[data-testid="tenancy-withdraw"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
