// Festival campaigns in Chromium (docs/CAMPAIGNS.md): the demo's 五五购物节 2027 is on the home page; its
// landing page (a phone) shows the live now and the leaderboard; a buyer claims the shared coupon,
// buys in the campaign's live with it (the platform pays the ¥30.00), and the leaderboard moves.
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { setLiveStatus } from '../helpers/orders-truth.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('campaigns, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('the landing page shows the live now and the leaderboard; a buyer claims the shared coupon, buys, and the board moves', async () => {
    const { server, base } = suite;
    const [campaign] = (await server.client().get('/api/campaigns')).json().campaigns;
    expect(campaign).toMatchObject({ name: '五五购物节 2027', phase: 'warmup' });
    const landing = (await server.client().get(`/api/campaigns/${campaign.id}`)).json();
    // The demo's warm-up orders are on the board already.
    expect(landing.leaderboard.sessions.length).toBeGreaterThan(0);
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const live = landing.next.find((s: { title: string }) => s.title.includes('蝴蝶酥'));
    expect(live).toBeTruthy();
    await setLiveStatus(server, live.id, 'live');
    const { products } = (await server.client().get(`/api/rooms/${live.id}/products`)).json();
    const butterfly = products.find((p: { title: string }) => p.title.includes('蝴蝶酥'));
    expect((await host.post(`/api/rooms/${live.id}/pin`, { productId: butterfly.id })).status).toBe(200);

    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const page = await suite.pageAs(viewer, { width: 390, height: 844 });
    // From the home page's strip to the landing page.
    await page.goto(`${base}/`);
    await page.click(`[data-testid="home-campaign"][data-campaign-id="${campaign.id}"]`);
    await page.locator('[data-testid="campaign-page"]').waitFor();
    expect(await page.locator('[data-testid="campaign-name"]').innerText()).toBe('五五购物节 2027');
    expect(await page.locator('[data-testid="campaign-phase"]').innerText()).toBe('预热中');
    await page.locator(`[data-testid="campaign-live"] [data-session-id="${live.id}"]`).waitFor();
    expect(await page.locator('[data-testid="campaign-countdown"]').getAttribute('data-left')).not.toBe('0');
    const rowsBefore = await page.locator('[data-testid="campaign-board-sessions"] [data-testid="campaign-board-row"]').count();
    expect(rowsBefore).toBe(landing.leaderboard.sessions.length);
    expect(await page.locator(`[data-testid="campaign-board-sessions"] [data-id="${live.id}"]`).count()).toBe(0);
    const foodBrandId = live.brand.id as string;
    const brandGmvBefore = Number(await page.locator(`[data-testid="campaign-board-brands"] [data-id="${foodBrandId}"]`).getAttribute('data-gmv'));
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('campaign-landing-phone'), fullPage: true });
    // No serious or critical axe-core violations on the landing page (as test/browser/a11y.test.ts checks the main pages).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);

    // Claim the shared coupon.
    const coupon = page.locator('[data-testid="campaign-coupon"]').first();
    const couponId = (await coupon.getAttribute('data-coupon-id'))!;
    await coupon.locator('[data-testid="campaign-coupon-claim"]').click();
    await page.locator('[data-testid="campaign-claim-done"]').waitFor();
    const mine = (await viewer.get('/api/me/coupons')).json().coupons.find((c: { coupon: { id: string } }) => c.coupon.id === couponId);
    expect(mine).toMatchObject({ status: 'unused', coupon: { campaignId: campaign.id, brandOrgId: null } });
    await page.screenshot({ path: screenshotPath('campaign-coupon-claimed-phone') });

    // Into the live, buy three 500g gift boxes (¥384.00) with it.
    await page.click(`[data-testid="campaign-live"] [data-session-id="${live.id}"] a`);
    await page.waitForURL(`${base}/watch/${live.id}`);
    await page.click('[data-testid="pinned-card"] [data-testid="buy-button"]', { timeout: 15_000 });
    await page.locator('[data-testid="buy-sheet"]').waitFor();
    await page.locator('[data-testid="sku-option"]', { hasText: '500g' }).click();
    await page.click('[data-testid="qty-plus"]');
    await page.click('[data-testid="qty-plus"]');
    await page.locator('[data-testid="address-form"], [data-testid="address-option"]').first().waitFor();
    if (await page.locator('[data-testid="address-form"]').count()) {
      await page.fill('[data-testid="address-form"] input[name="name"]', '王小明');
      await page.fill('[data-testid="address-form"] input[name="phone"]', '13912345678');
      await page.fill('[data-testid="address-form"] input[name="region"]', '上海市 静安区');
      await page.fill('[data-testid="address-form"] input[name="detail"]', '南京西路 1 号');
      await page.click('[data-testid="address-submit"]');
      await page.locator('[data-testid="address-option"]').first().waitFor();
    }
    await page.locator('[data-testid="quote"][data-ready="true"]').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="coupon-select"] option[value="${mine.id}"]:not([disabled])`).waitFor({ state: 'attached', timeout: 10_000 });
    await page.selectOption('[data-testid="coupon-select"]', mine.id);
    await page.locator('[data-testid="quote-discount"]', { hasText: '30.00' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('campaign-buy-sheet-phone') });
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), page.click('[data-testid="submit-order"]')]);
    await Promise.all([page.waitForURL(/\/orders\//, { timeout: 15_000 }), page.click('[data-testid="sandbox-pay"]')]);
    await page.locator('[data-testid="order-status-card"] [data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    const orderId = (await page.getAttribute('[data-testid="order-page"]', 'data-order-id'))!;
    const order = (await viewer.get(`/api/orders/${orderId}`)).json().order;
    expect(order).toMatchObject({ status: 'paid', itemsTotalFen: 38_400, discountFen: 3000, subsidyFen: 3000, sessionId: live.id });

    // Back on the landing page the board has the live (the order's total plus the platform's ¥30.00), and the brand moved up by as much.
    await page.goto(`${base}/campaigns/${campaign.id}`);
    const gmv = order.totalFen + 3000;
    await page.locator(`[data-testid="campaign-board-sessions"] [data-id="${live.id}"][data-gmv="${gmv}"]`).waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="campaign-board-brands"] [data-id="${foodBrandId}"][data-gmv="${brandGmvBefore + gmv}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="campaign-board-sessions"] [data-testid="campaign-board-row"]').count()).toBe(rowsBefore + 1);
    await page.locator('[data-testid="campaign-coupon-claim"][data-claimed="1"]').first().waitFor();
    await page.screenshot({ path: screenshotPath('campaign-leaderboard-moved-phone'), fullPage: true });

    // The platform paid the subsidy: its account in the ledger.
    await server.services.events.drain();
    expect(await server.services.ledger.store.balanceOf('platform:subsidies')).toBeLessThanOrEqual(-3000);
    await page.context().close();
  });

  it('an operator creates a campaign (the end before the start refused) and its shared coupon from the campaigns page', async () => {
    const { server, base } = suite;
    const operator = server.client();
    await operator.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
    const page = await suite.pageAs(operator, { width: 1280, height: 900 });
    await page.goto(`${base}/admin/campaigns`);
    await page.locator('[data-testid="campaign-admin-row"]').first().waitFor();
    const local = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);
    await page.fill('input[name="name"]', '进博会直播周 2027');
    await page.fill('input[name="theme"]', '全球首发新品，进博会同款');
    // The end before the start is refused, and nothing is created.
    await page.fill('input[name="startsAt"]', local(10 * 86_400_000));
    await page.fill('input[name="endsAt"]', local(5 * 86_400_000));
    await page.click('[data-testid="campaign-create"]');
    await page.locator('.form-error', { hasText: '活动结束时间须晚于开始时间' }).waitFor();
    expect((await operator.get('/api/campaigns')).json().campaigns).toHaveLength(1);
    await page.fill('input[name="endsAt"]', local(17 * 86_400_000));
    await page.click('[data-testid="campaign-create"]');
    await page.locator('[data-testid="campaign-manage"]').waitFor();
    const created = (await operator.get('/api/campaigns')).json().campaigns.find((c: { name: string }) => c.name === '进博会直播周 2027');
    expect(created).toMatchObject({ phase: 'upcoming' });
    await page.click('[data-testid="campaign-coupon-create"]');
    await page.locator('[data-testid="campaign-admin-done"]').waitFor();
    const admin = (await operator.get(`/api/admin/campaigns/${created.id}`)).json();
    expect(admin.coupons).toEqual([expect.objectContaining({ title: '满300减30', thresholdFen: 30_000, amountOffFen: 3000, campaignId: created.id })]);
    await page.screenshot({ path: screenshotPath('campaign-admin-desktop'), fullPage: true });
    await page.context().close();
  });
});
