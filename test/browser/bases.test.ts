// Live-streaming bases in Chromium (docs/BASES.md): the demo MCN (星火互娱) books a studio of 虹桥基地 for
// 阿May美妆 and schedules her live straight from the booking; her live is then held, simulated in the
// database as test/analytics.test.ts does (status live, then ended, with paid orders) instead of
// publishing video; and 虹桥基地's monthly report counts the live and its GMV.
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
    const booking = mine.find((b) => b.startsAt === startsAt)!;
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
    expect(errors).toEqual([]);
  });
});
