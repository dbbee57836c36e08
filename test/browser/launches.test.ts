// A launch (首发) in Chromium, on a phone: a viewer reserves it on its page, the reminders arrive in the
// notification centre (the bell shows the unread count), and once the countdown ends the viewer buys
// from the first-release stock (a flash sale with a per-buyer limit) and lands on the order.
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { newBuyer, shop, waitFor } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');
const phone = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable.ok)('launches, in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', realTime: true });

  it('a launch is reserved, reminded (bell with unread count), then bought from first-release stock', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    // The launch live and the launch itself, a few seconds ahead (the page counts down with the browser's clock).
    const launchAt = new Date(Math.ceil((server.clock.now().getTime() + 20_000) / 1000) * 1000).toISOString();
    const { session } = (await s.host.client.post('/api/streamer/live-sessions', { title: '蝴蝶酥新口味首发直播', scheduledAt: launchAt, brandOrgId: s.orgId })).json();
    const created = await s.owner.post(`/api/orgs/${s.orgId}/launches`, { productId: s.butterfly.id, skuId: s.butterfly.skus[1]!.id, sessionId: session.id, level: 'shanghai', title: '蝴蝶酥海盐新口味 · 上海首发', launchAt, priceFen: 9900, stock: 3, perUserLimit: 2 });
    expect(created.status).toBe(201);
    const launch = created.json().launch;
    const buyer = await newBuyer(server);

    const page = await suite.pageAs(buyer.client, phone);
    await page.goto(`${base}/launches`);
    await page.locator('[data-testid="launch-card"]').first().waitFor();
    await page.click('[data-testid="launch-open"]');
    await page.locator('[data-testid="launch-countdown"]').waitFor();
    expect(await page.locator('[data-testid="launch-level"]').textContent()).toBe('上海首发');
    await page.click('[data-testid="launch-reserve"]');
    await page.locator('[data-testid="launch-reserved"]').waitFor();
    await page.screenshot({ path: screenshotPath('launch-reserved-phone'), fullPage: true });

    // The sweep (every second) delivers the confirmation and the "in 10 minutes" reminder (the launch is less than 10 minutes away).
    await waitFor(async () => (await buyer.client.get('/api/notifications/unread')).json().unread >= 2);
    await page.reload();
    await page.locator('[data-testid="bell-count"]').waitFor();
    expect(Number(await page.locator('[data-testid="bell-count"]').textContent())).toBeGreaterThanOrEqual(2);
    await page.click('[data-testid="nav-bell"]');
    await page.locator('[data-testid="notification"][data-kind="launch.reminder"]').first().waitFor();
    expect(await page.locator('[data-testid="notification"][data-kind="launch.reminder"]').first().textContent()).toContain('10 分钟后首发');
    await page.screenshot({ path: screenshotPath('launch-reminded-centre-phone'), fullPage: true });

    // The countdown ends: the at-start reminder arrives and the first-release stock is on sale.
    await page.goto(`${base}/launches/${launch.id}`);
    await page.locator('[data-testid="launch-buy"]').waitFor({ timeout: 40_000 });
    await waitFor(async () => (await buyer.client.get('/api/notifications')).json().items.some((i: { title: string }) => i.title.includes('首发开始了')), 15_000);
    await page.screenshot({ path: screenshotPath('launch-on-sale-phone'), fullPage: true });
    await page.selectOption('[data-testid="launch-quantity"]', '2');
    await page.click('[data-testid="launch-buy"]');
    await page.waitForURL(/\/orders\//);
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const order = (await buyer.client.get(`/api/orders/${orderId}`)).json().order;
    expect(order).toMatchObject({ status: 'pending_payment', totalFen: 19800, items: [{ quantity: 2, unitPriceFen: 9900 }] });
    await page.screenshot({ path: screenshotPath('launch-bought-phone'), fullPage: true });
    // The per-buyer limit holds: a third unit is refused.
    expect((await buyer.client.post(`/api/flash-sales/${launch.firstRelease.flashSaleId}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_LIMIT_EXCEEDED');
    await page.context().close();
  });

  it('a scheduled live is reserved from its watch page (预约直播), and the reservation counts', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    const { session } = (await s.host.client.post('/api/streamer/live-sessions', { title: '周末家常菜直播', scheduledAt: new Date(Date.now() + 3_600_000).toISOString(), brandOrgId: s.orgId })).json();
    const buyer = await newBuyer(server);
    const page = await suite.pageAs(buyer.client, phone);
    await page.goto(`${base}/watch/${session.id}`);
    await page.locator('[data-testid="watch-not-started"]').waitFor();
    await page.click('[data-testid="live-reserve"]');
    await page.locator('[data-testid="live-reserved"]').waitFor();
    expect(await page.locator('[data-testid="live-reservations"]').textContent()).toContain('1');
    expect((await buyer.client.get(`/api/lives/${session.id}/reservation`)).json()).toEqual({ reservations: 1, reserved: true });
    await page.screenshot({ path: screenshotPath('live-reserved-phone'), fullPage: true });
    await page.context().close();
  });
});
