// Issue 13's brand-console forms in Chromium (docs/LAUNCHES.md, docs/AUCTIONS.md): a brand announces a launch
// (首发) from /orgs/:orgId/launches on a desktop — a date in the past is refused with the server's message and
// nothing stored, a good one shows in the list and its public page counts down on a phone; the brand puts a lot
// up for auction from /orgs/:orgId/auctions and the streamer another from the cockpit, and a viewer on a phone
// sees both in the room.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { shop, stockOf } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };

/** A moment as the page's `datetime-local` value, in the browser's own time zone. */
const localInput = (page: Page, ms: number) =>
  page.evaluate((at) => {
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, ms);

describe.skipIf(!chromiumAvailable.ok)('brand-console forms for launches and auctions, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', realTime: true });

  it('a brand announces a launch through the form: a past date is refused with nothing stored, then it lists and its page counts down', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    const db = server.database.db;
    const sku = s.butterfly.skus[1]!;
    const console = await suite.pageAs(s.owner, desktop);
    // From the organisation's console, through its 新品首发 link.
    await console.goto(`${base}/orgs/${s.orgId}`);
    await console.click('[data-testid="org-link-launches"]');
    await console.waitForURL(`**/orgs/${s.orgId}/launches`);
    const form = console.locator('[data-testid="launch-form"]');
    await form.locator(`[data-testid="launch-form-product"] option[value="${s.butterfly.id}"]`).waitFor({ state: 'attached' });
    await form.locator(`[data-testid="launch-form-session"] option[value="${s.sessionId}"]`).waitFor({ state: 'attached' });
    await console.locator('[data-testid="launch-console-empty"]').waitFor();
    await form.locator('[data-testid="launch-form-product"]').selectOption(s.butterfly.id);
    await form.locator('[data-testid="launch-form-sku"]').selectOption(sku.id);
    await form.locator('[data-testid="launch-form-session"]').selectOption(s.sessionId);
    await form.locator('[data-testid="launch-form-level"]').selectOption('shanghai');
    await form.locator('[data-testid="launch-form-title"]').fill('蝴蝶酥海盐新口味 · 上海首发');
    await form.locator('[data-testid="launch-form-description"]').fill('老字号新口味，直播间首发。');
    await form.locator('[data-testid="launch-form-price"]').fill('99');
    await form.locator('[data-testid="launch-form-stock"]').fill('3');
    await form.locator('[data-testid="launch-form-limit"]').fill('2');

    // Yesterday: the server's LAUNCH_IN_PAST, its zh-CN message on the page, and nothing stored.
    await form.locator('[data-testid="launch-form-launchAt"]').fill(await localInput(console, Date.now() - 86_400_000));
    await form.locator('[data-testid="launch-form-submit"]').click();
    const refused = form.locator('[data-testid="form-error"][data-code="LAUNCH_IN_PAST"]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('首发时间须在未来');
    await console.screenshot({ path: screenshotPath('brand-launch-past-refused-desktop'), fullPage: true });
    expect((await s.owner.get(`/api/orgs/${s.orgId}/launches`)).json().launches).toEqual([]);
    expect(await db.selectFrom('flash_sales').select('id').where('session_id', '=', s.sessionId).execute()).toEqual([]);
    expect(await stockOf(server, sku.id)).toBe(sku.stock);

    // Ten minutes ahead (after the live's start): announced, listed, and the SKU's stock gives its 3 units.
    const at = Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000;
    await form.locator('[data-testid="launch-form-launchAt"]').fill(await localInput(console, at));
    await form.locator('[data-testid="launch-form-submit"]').click();
    await form.locator('[data-testid="form-success"]').waitFor();
    const row = console.locator('[data-testid="launch-row"][data-phase="upcoming"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('上海首发');
    expect(await row.locator('[data-testid="launch-row-stock"]').innerText()).toContain('3/3');
    await console.screenshot({ path: screenshotPath('brand-launch-console-desktop'), fullPage: true });
    const [launch] = (await s.owner.get(`/api/orgs/${s.orgId}/launches`)).json().launches;
    expect(launch).toMatchObject({ level: 'shanghai', title: '蝴蝶酥海盐新口味 · 上海首发', description: '老字号新口味，直播间首发。', product: { id: s.butterfly.id, skuId: sku.id }, session: { id: s.sessionId }, firstRelease: { priceFen: 9900, stock: 3, remaining: 3, perUserLimit: 2 } });
    expect(Date.parse(launch.launchAt)).toBe(at);
    expect(await stockOf(server, sku.id)).toBe(sku.stock - 3);
    expect(await row.locator('[data-testid="launch-row-open"]').getAttribute('href')).toBe(`/launches/${launch.id}`);
    await console.context().close();

    // The public page on a phone: the level and the countdown to the launch.
    const page = await suite.pageAs(s.buyer.client, phone);
    await page.goto(`${base}/launches/${launch.id}`);
    const countdown = page.locator('[data-testid="launch-countdown"]');
    await countdown.waitFor();
    expect(Number(await countdown.getAttribute('data-left'))).toBeGreaterThan(60);
    expect(await page.locator('[data-testid="launch-level"]').innerText()).toBe('上海首发');
    expect(await page.locator('[data-testid="launch-first-release"]').innerText()).toContain('¥99.00');
    await page.locator('[data-testid="launch-reserve"]').waitFor();
    await page.screenshot({ path: screenshotPath('brand-launch-page-phone'), fullPage: true });
    await page.context().close();
  });

  it('auctions created through the brand page and the cockpit form appear in the room for a viewer', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    const lot = s.butterfly.skus[0]!;

    // The viewer is in the room (phone) before anything is put up.
    const viewer = await suite.pageAs(s.buyer.client, phone);
    await viewer.goto(`${base}/watch/${s.sessionId}`);
    await viewer.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 20_000 });

    // The brand's page: its live is picked; an increment table that does not rise is refused with the server's message.
    const console = await suite.pageAs(s.owner, desktop);
    await console.goto(`${base}/orgs/${s.orgId}`);
    await console.click('[data-testid="org-link-auctions"]');
    await console.waitForURL(`**/orgs/${s.orgId}/auctions`);
    await console.locator(`[data-testid="auction-console-live"][data-session-id="${s.sessionId}"][aria-current="true"]`).waitFor();
    const form = console.locator('[data-testid="auction-form"]');
    await form.locator(`[data-testid="auction-form-sku"] option[value="${lot.id}"]`).waitFor({ state: 'attached' });
    await form.locator('[data-testid="auction-form-sku"]').selectOption(lot.id);
    await form.locator('[data-testid="auction-form-title"]').fill('1 号拍品 · 手绘礼盒');
    await form.locator('[data-testid="auction-form-start"]').fill('100');
    const bands = form.locator('[data-testid="auction-band"]');
    expect(await bands.count()).toBe(3);
    expect(await bands.nth(0).locator('[data-testid="auction-band-below"]').inputValue()).toBe('100.00');
    expect(await bands.nth(2).locator('[data-testid="auction-band-step"]').inputValue()).toBe('50.00');
    await bands.nth(0).locator('[data-testid="auction-band-below"]').fill('2000');
    await form.locator('[data-testid="auction-form-submit"]').click();
    const refused = form.locator('[data-testid="form-error"][data-code="AUCTION_INCREMENTS_INVALID"]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('加价幅度表');
    expect((await s.buyer.client.get(`/api/rooms/${s.sessionId}/auctions`)).json().auctions).toEqual([]);
    expect(await stockOf(server, lot.id)).toBe(lot.stock);

    // Fixed: below ¥100 a ¥10 step; 15 minutes, sudden death, 20 minutes to pay.
    await bands.nth(0).locator('[data-testid="auction-band-below"]').fill('100');
    await bands.nth(0).locator('[data-testid="auction-band-step"]').fill('10');
    await form.locator('[data-testid="auction-form-duration"]').fill('15');
    await form.locator('[data-testid="auction-form-pay"]').fill('20');
    await form.locator('[data-testid="auction-form-sudden-death"]').check();
    expect(await form.locator('[data-testid="auction-form-extend"]').isDisabled()).toBe(true);
    await form.locator('[data-testid="auction-form-submit"]').click();
    await form.locator('[data-testid="form-success"]').waitFor();
    const row = console.locator('[data-testid="auction-row"]', { hasText: '1 号拍品 · 手绘礼盒' });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('open');
    await console.screenshot({ path: screenshotPath('brand-auction-console-desktop'), fullPage: true });
    const [auction] = (await s.buyer.client.get(`/api/rooms/${s.sessionId}/auctions`)).json().auctions;
    expect(auction).toMatchObject({
      title: '1 号拍品 · 手绘礼盒',
      skuId: lot.id,
      startingPriceFen: 10_000,
      increments: [
        { belowFen: 10_000, stepFen: 1_000 },
        { belowFen: 100_000, stepFen: 2_000 },
        { belowFen: null, stepFen: 5_000 },
      ],
      suddenDeath: true,
      paySeconds: 1_200,
      status: 'open',
    });
    expect(Date.parse(auction.closesAt) - Date.parse(auction.startsAt)).toBe(15 * 60_000);
    expect(await stockOf(server, lot.id)).toBe(lot.stock - 1);
    await console.context().close();

    // The viewer's room shows it.
    const card = viewer.locator(`[data-testid="auction-card"][data-auction-id="${auction.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator('[data-testid="auction-title"]').innerText()).toContain('1 号拍品');
    await viewer.screenshot({ path: screenshotPath('brand-auction-room-phone') });

    // The streamer's cockpit: the 竞拍 card's form opens in 5 minutes with the default increments.
    const cockpit = await suite.pageAs(s.host.client, desktop);
    await cockpit.goto(`${base}/streamer/sessions/${s.sessionId}/console`);
    const card2 = cockpit.locator('[data-testid="console-auctions"]');
    await card2.locator('[data-testid="auction-row"]', { hasText: '1 号拍品' }).waitFor();
    await card2.locator('[data-testid="auction-form-toggle"]').click();
    const form2 = card2.locator('[data-testid="auction-form"]');
    await form2.locator(`[data-testid="auction-form-sku"] option[value="${lot.id}"]`).waitFor({ state: 'attached' });
    await form2.locator('[data-testid="auction-form-sku"]').selectOption(lot.id);
    await form2.locator('[data-testid="auction-form-title"]').fill('2 号拍品 · 珐琅点心盒');
    await form2.locator('[data-testid="auction-form-start"]').fill('58.5');
    await form2.locator('[data-testid="auction-form-starts-later"]').check();
    await form2.locator('[data-testid="auction-form-startsInMinutes"]').fill('5');
    await form2.locator('[data-testid="auction-form-submit"]').click();
    await card2.locator('[data-testid="auction-row"][data-status="scheduled"]', { hasText: '2 号拍品' }).waitFor();
    await card2.scrollIntoViewIfNeeded();
    await cockpit.screenshot({ path: screenshotPath('cockpit-auction-form-desktop'), fullPage: true });
    const second = (await s.buyer.client.get(`/api/rooms/${s.sessionId}/auctions`)).json().auctions.find((a: { title: string }) => a.title.startsWith('2 号'));
    expect(second).toMatchObject({ startingPriceFen: 5_850, suddenDeath: false, extendSeconds: 30, maxExtensionSeconds: 300, paySeconds: 1_800, status: 'scheduled' });
    expect(Date.parse(second.startsAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    await cockpit.context().close();

    await viewer.locator(`[data-testid="auction-card"][data-auction-id="${second.id}"]`).waitFor({ timeout: 10_000 });
    await viewer.screenshot({ path: screenshotPath('brand-auction-room-two-phone') });
    await viewer.context().close();
  });
});
