// Base photos and a streamer's studio bookings in Chromium (docs/BASES.md, "Photos" and "A streamer's
// bookings"): the demo base's console shows its uploaded photos, uploads one more, refuses a text file
// named .jpg with the server's message, and deletes the new one; it captions a photo (a caption over 40
// characters gets the server's message) and a visitor sees the caption, as text and alt, on the public page; on a
// phone, 阿May美妆 opens 我的直播间预约, sees the base's photos (with their captions) and her bookings with their money
// state, books a studio for herself and cancels it for free.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable.ok)('bases: photos in the console and a streamer’s bookings, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return Object.assign(client, { userId: user.id as string });
  };

  it('the base uploads, sees and deletes photos; a bad file gets the server’s message', async () => {
    const owner = await login('base');
    const orgId = ((await owner.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === 'base')!.org.id;
    const page = await suite.pageAs(owner, DESKTOP);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${suite.base}/orgs/${orgId}?tab=studios`);
    const profile = page.locator('[data-testid="base-photos"]').first();
    await profile.locator('[data-testid="base-photo"]').nth(2).waitFor({ timeout: 15_000 });
    expect(await profile.locator('[data-testid="base-photo"]').count()).toBe(3);
    // The thumbnails load (240×240 WebP made by the pipeline).
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="base-photo"] img')].every((img) => (img as HTMLImageElement).naturalWidth === 240), undefined, { timeout: 10_000 });

    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2f6db5' } }).png().toBuffer();
    await profile.locator('[data-testid="base-photo-input"]').setInputFiles({ name: '新大厅.png', mimeType: 'image/png', buffer: png });
    await profile.locator('[data-testid="base-photo"]').nth(3).waitFor({ timeout: 10_000 });
    await profile.locator('[data-testid="base-photo-input"]').setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture\n'.repeat(10)) });
    const error = profile.locator('[data-testid="form-error"][data-code="PICTURE_NOT_IMAGE"]');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('「fake.jpg」不是可识别的图片');
    expect(await profile.locator('[data-testid="base-photo"]').count()).toBe(4);
    // The studio picker shows A1's photo.
    expect(await page.locator('[data-testid="base-photos"]').nth(1).locator('[data-testid="base-photo"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('bases-photos-console'), fullPage: true });

    await profile.locator('[data-testid="base-photo-remove"]').nth(3).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="base-photos"]')[0]!.querySelectorAll('[data-testid="base-photo"]').length === 3, undefined, { timeout: 10_000 });
    expect(((await owner.get(`/api/orgs/${orgId}/base/photos`)).json().photos as unknown[]).length).toBe(3);
    expect(errors).toEqual([]);
  });

  it('the base captions a photo in the console (Enter saves; too long gets the server’s message) and a visitor sees it on the public page', async () => {
    const owner = await login('base');
    const orgId = ((await owner.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === 'base')!.org.id;
    const page = await suite.pageAs(owner, DESKTOP);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/orgs/${orgId}?tab=studios`);
    const profile = page.locator('[data-testid="base-photos"]').first();
    const captions = profile.locator('[data-testid="base-photo-caption"]');
    await captions.nth(2).waitFor({ timeout: 15_000 });
    // The demo's captions are in the boxes; the third photo (the kitchen) has none.
    expect(await captions.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['虹桥直播产业园 · 主入口', '美妆直播区 · 三机位', '']);

    // Too long: the server refuses it with its message, and the text stays to be fixed.
    const third = captions.nth(2);
    await third.fill('厨'.repeat(41));
    await third.press('Enter');
    const error = profile.locator('[data-testid="form-error"][data-code="BASE_PHOTO_CAPTION_TOO_LONG"]');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('照片说明最多 40 个字（现有 41 个）');
    expect(await third.getAttribute('aria-invalid')).toBe('true');
    expect(await third.inputValue()).toBe('厨'.repeat(41));

    // A good one, saved with Enter.
    await third.fill('厨房直播区 · <明火灶台>');
    await third.press('Enter');
    await profile.locator('[data-testid="base-photo"]').nth(2).locator('[data-testid="base-photo-caption-saved"]').waitFor({ timeout: 10_000 });
    expect(await error.count()).toBe(0);
    const stored = (await owner.get(`/api/orgs/${orgId}/base/photos`)).json().photos as { caption: string | null }[];
    expect(stored.map((p) => p.caption)).toEqual(['虹桥直播产业园 · 主入口', '美妆直播区 · 三机位', '厨房直播区 · <明火灶台>']);
    // The thumbnail's alt is its caption.
    expect(await profile.locator('[data-testid="base-photo"]').nth(2).locator('img').getAttribute('alt')).toBe('厨房直播区 · <明火灶台>');
    // Leaving the box without a change sends nothing; after an edit it saves (here: C3's caption, in the studio picker).
    const studio = page.locator('[data-testid="base-photos"]').nth(1);
    await page.locator('[data-testid="base-photos-studio"]').selectOption({ label: (await page.locator('[data-testid="base-photos-studio"] option').allInnerTexts()).find((o) => o.startsWith('C3'))! });
    const c3 = studio.locator('[data-testid="base-photo-caption"]').first();
    await c3.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => (document.querySelectorAll('[data-testid="base-photos"]')[1]?.querySelector('[data-testid="base-photo-caption"]') as HTMLInputElement | null)?.value === '绿幕间', undefined, { timeout: 10_000 });
    await c3.fill('绿幕间 · 可抠像');
    await profile.locator('[data-testid="base-photo-caption"]').first().click();
    await studio.locator('[data-testid="base-photo-caption-saved"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('bases-photos-captions-console'), fullPage: true });

    // A visitor, logged out, on the public page: the captions under the photos, as text, and as their alt.
    const context = await suite.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const visitor = await context.newPage();
    visitor.on('pageerror', (e) => errors.push(e.message));
    await visitor.goto(`${suite.base}/bases/${orgId}`);
    const strip = visitor.locator('[data-testid="public-base-photos"]');
    await strip.locator('[data-testid="base-photo-strip-caption"]').nth(2).waitFor({ timeout: 15_000 });
    expect(await strip.locator('[data-testid="base-photo-strip-caption"]').allInnerTexts()).toEqual(['虹桥直播产业园 · 主入口', '美妆直播区 · 三机位', '厨房直播区 · <明火灶台>']);
    expect(await strip.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['虹桥直播产业园 · 主入口', '美妆直播区 · 三机位', '厨房直播区 · <明火灶台>']);
    // Rendered as text: no element was made of it.
    expect(await strip.locator('[data-testid="base-photo-strip-caption"] *').count()).toBe(0);
    const c3Card = visitor.locator('[data-testid="public-base-studio"]').filter({ hasText: 'C3' });
    expect(await c3Card.locator('[data-testid="base-photo-strip-caption"]').innerText()).toBe('绿幕间 · 可抠像');
    expect(await c3Card.locator('[data-testid="public-base-studio-photos"] img').getAttribute('alt')).toBe('绿幕间 · 可抠像');
    await strip.scrollIntoViewIfNeeded();
    await visitor.screenshot({ path: screenshotPath('bases-photos-captions-public') });
    await context.close();
    expect(errors).toEqual([]);
  });

  it('on a phone, a streamer reads her bookings, books a studio for herself and cancels it for free', async () => {
    const amay = await login('streamerBeauty');
    const page = await suite.pageAs(amay, PHONE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${suite.base}/streamer?tab=studioBookings`);
    await page.locator('[data-testid="my-booking"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="book-base-photos"] img').first().waitFor({ timeout: 10_000 });
    // The base's photos with their captions (`photoCaptions` of /api/bases beside the URLs).
    expect(await page.locator('[data-testid="book-base-photos"] [data-testid="base-photo-strip-caption"]').first().innerText()).toBe('虹桥直播产业园 · 主入口');
    expect(await page.locator('[data-testid="book-base-photos"] img').first().getAttribute('alt')).toBe('虹桥直播产业园 · 主入口');
    await page.locator('[data-testid="booking-form"]').waitFor();
    const rows = page.locator('[data-testid="my-booking"]');
    expect(await rows.count()).toBeGreaterThan(1);
    const money = await page.locator('[data-testid="my-booking-money"]').allInnerTexts();
    expect(money.some((m) => m.startsWith('由 星火互娱'))).toBe(true);

    // The demo has bookings of her own ahead; she books one more for herself, three days ahead 09:00–10:00 in F7.
    const bookings = (await amay.get('/api/me/studio-bookings')).json().bookings as { id: string; bookedBy: string; bookerOrgId: string | null; status: string; startsAt: string }[];
    expect(bookings.some((b) => b.bookedBy === amay.userId && !b.bookerOrgId && b.status === 'booked' && Date.parse(b.startsAt) > Date.now())).toBe(true);
    const day = new Date(Date.now() + 8 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
    const form = page.locator('[data-testid="booking-form"]');
    const f7 = (await form.locator('[data-testid="booking-studio"] option').allInnerTexts()).find((o) => o.startsWith('F7'))!;
    await form.locator('[data-testid="booking-studio"]').selectOption({ label: f7 });
    await form.locator('[data-testid="booking-date"]').fill(day);
    await form.locator('[data-testid="booking-start"]').fill('09:00');
    await form.locator('[data-testid="booking-end"]').fill('10:00');
    await form.locator('[data-testid="booking-title"]').fill('阿May 珠宝试播');
    await form.locator('[data-testid="booking-submit"]').click();
    await form.locator('[data-testid="form-success"]').waitFor({ timeout: 10_000 });
    const startsAt = new Date(`${day}T09:00:00+08:00`).toISOString();
    // Found by studio too: a booking of one of her demo lives (A1, on the hour of the live) may start at the same time.
    const own = ((await amay.get('/api/me/studio-bookings')).json().bookings as { id: string; startsAt: string; studioName: string; bookedBy: string; bookerOrgId: string | null; priceFen: number }[]).find((b) => b.startsAt === startsAt && b.studioName.startsWith('F7'))!;
    expect(own).toMatchObject({ bookedBy: amay.userId, bookerOrgId: null, priceFen: 28_000 });
    // Cancelling more than 24 hours ahead is free, and the button says so.
    const row = page.locator(`[data-testid="my-booking"][data-booking-id="${own.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="my-booking-money"]').innerText()).toBe('结束后从你的账户收取');
    await row.scrollIntoViewIfNeeded();
    expect(await row.locator('[data-testid="my-booking-cancel"]').innerText()).toBe('免费取消');
    await page.screenshot({ path: screenshotPath('bases-streamer-bookings-phone'), fullPage: true });
    await row.locator('[data-testid="my-booking-cancel"]').click();
    await page.locator('[data-testid="my-studio-bookings"] [data-testid="form-success"]').waitFor({ timeout: 10_000 });
    const after = ((await amay.get('/api/me/studio-bookings')).json().bookings as { id: string; status: string; cancelFeeFen: number }[]).find((b) => b.id === own.id)!;
    expect(after).toMatchObject({ status: 'cancelled', cancelFeeFen: 0 });
    await page.locator(`[data-testid="my-booking"][data-booking-id="${own.id}"] [data-testid="my-booking-money"]`).filter({ hasText: '免费取消，未收费' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('on a phone, a streamer sees the booking a brand arranged a live in for her, read-only, with her live', async () => {
    const food = await login('streamerFood');
    const arranged = ((await food.get('/api/me/studio-bookings')).json().bookings as { id: string; arranged?: boolean; lives: { id: string }[] }[]).find((b) => b.arranged)!;
    const page = await suite.pageAs(food, PHONE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/streamer?tab=studioBookings`);
    const row = page.locator(`[data-testid="my-booking"][data-booking-id="${arranged.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-testid="my-booking-arranged"]').innerText()).toBe('品牌安排');
    expect(await row.innerText()).toContain('德兴斋');
    expect(await row.locator('[data-testid="my-booking-money"]').innerText()).toBe('由 德兴斋 支付');
    // Read-only: no cancel, no 安排直播; her live links to its page in her console.
    expect(await row.locator('[data-testid="my-booking-cancel"]').count()).toBe(0);
    expect(await row.locator('[data-testid="my-booking-schedule"]').count()).toBe(0);
    const link = row.locator('[data-testid="my-booking-lives"] a');
    expect(await link.getAttribute('href')).toBe(`/streamer/sessions/${arranged.lives[0]!.id}`);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('bases-streamer-arranged-phone') });
    // Her notification centre has the brand's notice, which opens the live's page.
    await page.goto(`${suite.base}/notifications`);
    const notice = page.locator('[data-testid="notification"][data-kind="bases.booking_live"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.innerText()).toContain('德兴斋 为你安排了直播');
    expect(await notice.locator('[data-testid="notification-open"]').getAttribute('href')).toBe(`/streamer/sessions/${arranged.lives[0]!.id}`);
    await page.screenshot({ path: screenshotPath('bases-streamer-arranged-notice-phone') });
    expect(errors).toEqual([]);
  });
});
