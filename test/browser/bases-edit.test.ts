// A base's corrections in Chromium (docs/BASES.md, "Price changes", "Maintenance", "Tenants and events"): 虹桥基地's
// owner changes the price of a booking not charged yet from the 预订改价 panel (an empty reason refused first), edits
// and deletes its maintenance period in the 直播间 tab, and edits and deletes an event under the monthly report,
// whose event count follows; 玉兰凝肌 sees the demo's price change under its booking in 预订直播间.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };
const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();

describe.skipIf(!chromiumAvailable.ok)('bases edits in Chromium: price changes, maintenance and events', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return client;
  };
  const orgOf = async (client: Awaited<ReturnType<typeof login>>, kind: string) =>
    ((await client.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === kind)!.org.id;

  it('the base changes a booking’s price, edits and deletes maintenance and an event; the booker sees the change', async () => {
    // The demo is seeded after this test server started: charge what `npm start` charges at start.
    await suite.server.services.bases.fees.chargeDue();
    const baseUser = await login('base');
    const baseOrg = await orgOf(baseUser, 'base');
    const errors: string[] = [];
    const page = await suite.pageAs(baseUser, DESKTOP);
    page.on('pageerror', (e) => errors.push(e.message));

    // --- 预订改价 ---
    type Uncharged = { id: string; priceFen: number; bookerName: string | null; priceChanges: unknown[] };
    const prices = async () => (await baseUser.get(`/api/orgs/${baseOrg}/base/booking-prices`)).json() as { bookings: Uncharged[]; changes: { bookingId: string; reason: string }[] };
    const before = await prices();
    expect(before.changes).toHaveLength(1);
    const target = before.bookings.find((b) => b.bookerName?.startsWith('星火互娱') && b.priceChanges.length === 0 && b.priceFen > 10_000)!;
    expect(target, 'an uncharged booking of 星火互娱').toBeTruthy();
    await page.goto(`${suite.base}/orgs/${baseOrg}?tab=baseReport`);
    const panel = page.locator('[data-testid="base-prices"]');
    await panel.waitFor({ timeout: 15_000 });
    expect(await panel.locator('[data-testid="price-change-row"]').count()).toBe(1);
    const row = panel.locator(`[data-testid="uncharged-booking"][data-booking-id="${target.id}"]`);
    await row.locator('[data-testid="price-open"]').click();
    const form = panel.locator('[data-testid="price-form"]');
    expect(await form.locator('[data-testid="price-input"]').inputValue()).toBe((target.priceFen / 100).toFixed(2));
    await form.locator('[data-testid="price-input"]').fill('100');
    await form.locator('[data-testid="price-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="VALIDATION_FAILED"]').waitFor({ timeout: 10_000 });
    await form.locator('[data-testid="price-input"]').fill('-1');
    await form.locator('[data-testid="price-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="CLIENT_INVALID"]').waitFor();
    expect((await prices()).changes).toHaveLength(1);
    await form.locator('[data-testid="price-input"]').fill('100');
    await form.locator('[data-testid="price-reason"]').fill('入驻机构长期合作价');
    await form.locator('[data-testid="price-submit"]').click();
    await panel.locator('[data-testid="form-success"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getAttribute('data-price-fen'), { timeout: 10_000 }).toBe('10000');
    expect(await row.locator('[data-testid="price-change"]').innerText()).toContain('入驻机构长期合作价');
    expect(await panel.locator('[data-testid="price-change-row"]').count()).toBe(2);
    expect((await prices()).changes[0]).toMatchObject({ bookingId: target.id, reason: '入驻机构长期合作价' });
    await page.screenshot({ path: screenshotPath('bases-price-change-desktop'), fullPage: true });

    // --- events under the monthly report: one of this month, edited then deleted ---
    const heldAt = new Date().toISOString();
    const added = await baseUser.post(`/api/orgs/${baseOrg}/base/events`, { title: '浏览器测试活动', heldAt, attendees: 10 });
    expect(added.status, added.body).toBe(201);
    const eventId = added.json().event.id as string;
    await page.reload();
    const eventRow = page.locator(`[data-testid="base-event"][data-event-id="${eventId}"]`);
    await eventRow.waitFor({ timeout: 15_000 });
    const count = async () => Number(await page.locator('[data-testid="kpi-events"] dd').innerText());
    const eventsBefore = await count();
    await eventRow.locator('[data-testid="base-event-edit"]').click();
    const eventForm = page.locator('[data-testid="base-event-edit-form"]');
    await eventForm.locator('[data-testid="base-event-edit-title"]').fill('  ');
    await eventForm.locator('[data-testid="base-event-save"]').click();
    await eventForm.locator('[data-testid="form-error"][data-code="VALIDATION_FAILED"]').waitFor({ timeout: 10_000 });
    await eventForm.locator('[data-testid="base-event-edit-title"]').fill('浏览器测试活动（改）');
    await eventForm.locator('[data-testid="base-event-save"]').click();
    await expect.poll(() => eventRow.innerText(), { timeout: 10_000 }).toContain('浏览器测试活动（改）');
    await eventRow.locator('[data-testid="base-event-remove"]').click();
    await eventRow.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(count, { timeout: 10_000 }).toBe(eventsBefore - 1);
    expect((await baseUser.get(`/api/orgs/${baseOrg}/base/report`)).json().report.events.some((e: { id: string }) => e.id === eventId)).toBe(false);

    // --- maintenance in the 直播间 tab: the demo's period edited, then deleted ---
    const periods = async () => (await baseUser.get(`/api/orgs/${baseOrg}/base/maintenance`)).json().maintenance as { id: string; startsAt: string; endsAt: string; reason: string }[];
    const [period] = await periods();
    expect(period).toBeTruthy();
    await page.goto(`${suite.base}/orgs/${baseOrg}?tab=studios`);
    const mRow = page.locator(`[data-testid="maintenance"][data-maintenance-id="${period!.id}"]`);
    await mRow.waitFor({ timeout: 15_000 });
    await mRow.locator('[data-testid="maintenance-edit"]').click();
    const mForm = page.locator('[data-testid="maintenance-edit-form"]');
    // An end before the start is refused as adding one is.
    await mForm.locator('[data-testid="maintenance-toDate"]').fill(local(period!.startsAt).slice(0, 10));
    await mForm.locator('[data-testid="maintenance-from"]').fill('10:00');
    await mForm.locator('[data-testid="maintenance-to"]').fill('09:30');
    await mForm.locator('[data-testid="maintenance-save"]').click();
    await mForm.locator('[data-testid="form-error"][data-code="BOOKING_TIMES_INVALID"]').waitFor({ timeout: 10_000 });
    // 10:00–13:00 stays inside the demo's period (09:00–14:00), where no booking can be.
    await mForm.locator('[data-testid="maintenance-to"]').fill('13:00');
    await mForm.locator('[data-testid="maintenance-edit-reason"]').fill('灯光检修延长');
    await mForm.locator('[data-testid="maintenance-save"]').click();
    await expect.poll(() => mRow.innerText(), { timeout: 10_000 }).toContain('灯光检修延长');
    const edited = (await periods()).find((p) => p.id === period!.id)!;
    expect([local(edited.startsAt).slice(11, 16), local(edited.endsAt).slice(11, 16), edited.reason]).toEqual(['10:00', '13:00', '灯光检修延长']);
    await page.screenshot({ path: screenshotPath('bases-maintenance-edit-desktop'), fullPage: true });
    await mRow.locator('[data-testid="maintenance-remove"]').click();
    await mRow.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await periods()).some((p) => p.id === period!.id)).toBe(false);
    await page.context().close();

    // --- the booker: 玉兰凝肌 sees the demo's price change under its booking ---
    const brand = await login('beautyBrand');
    const brandOrg = await orgOf(brand, 'brand');
    const demoChange = before.changes[0]!;
    const brandPage = await suite.pageAs(brand, DESKTOP);
    brandPage.on('pageerror', (e) => errors.push(e.message));
    await brandPage.goto(`${suite.base}/orgs/${brandOrg}?tab=bookStudios`);
    const booking = brandPage.locator(`[data-testid="our-booking"][data-booking-id="${demoChange.bookingId}"]`);
    await booking.waitFor({ timeout: 15_000 });
    expect(await booking.locator('[data-testid="price-change"]').innerText()).toContain('长期合作品牌，本场租用费九折');
    await brandPage.screenshot({ path: screenshotPath('bases-price-change-booker'), fullPage: true });
    await brandPage.context().close();
    expect(errors).toEqual([]);
  });
});
