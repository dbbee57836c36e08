// 竞拍 in Chromium (docs/AUCTIONS.md), on a phone: a viewer sets a proxy maximum from the room page; a
// rival's late bid extends the timer and the proxy answers it; at the close the viewer has won at one
// step over the rival's bid, and the card leads to the order at the hammer price.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { newBuyer, waitFor } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('auctions, in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('a viewer wins on a proxy bid after a late bid extended the timer', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const sessions = (await host.get('/api/streamer/live-sessions')).json().sessions as { id: string; title: string; status: string; brand: { id: string } | null }[];
    // A live of the brand other than the demo auction's, so the room shows this auction alone.
    const session = sessions.find((s) => s.brand && s.status !== 'ended' && s.title !== '德兴斋蝴蝶酥工厂溯源专场')!;
    // The demo: a limited-edition lot in 德兴斋's factory live, where the demo viewer leads on a proxy maximum.
    const factory = sessions.find((s) => s.title === '德兴斋蝴蝶酥工厂溯源专场')!;
    const [demo] = (await viewer.get(`/api/rooms/${factory.id}/auctions`)).json().auctions;
    expect(demo).toMatchObject({ status: 'open', bidCount: 4, priceFen: 70_000, leader: { name: '观**' } });
    expect((await viewer.get(`/api/auctions/${demo.id}/me`)).json().me).toMatchObject({ leading: true, maxFen: 80_000 });
    const product = (await brand.post(`/api/orgs/${session.brand!.id}/products`, { title: '老字号手绘礼盒 孤品', category: '食品/糕点', returnPolicy: 'standard', skus: [{ spec: { 编号: 'No.1' }, priceFen: 88_800, stock: 1 }] })).json().product;
    const rival = await newBuyer(server);

    const page = await suite.pageAs(viewer, { width: 390, height: 844 });
    await page.goto(`${base}/watch/${session.id}`);
    await page.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 20_000 });

    // 20 s; a bid in the last 10 s moves the close to 10 s after it (at most 20 s past the plan).
    const created = await host.post(`/api/rooms/${session.id}/auctions`, { skuId: product.skus[0].id, title: '1 号拍品 · 手绘礼盒', startingPriceFen: 10_000, durationSeconds: 20, extendSeconds: 10, maxExtensionSeconds: 20, paySeconds: 900 });
    expect(created.status, created.body).toBe(201);
    const auction = created.json().auction;
    const card = page.locator(`[data-testid="auction-card"][data-auction-id="${auction.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator('[data-testid="auction-title"]').innerText()).toContain('1 号拍品');

    // The viewer sets a proxy maximum of ¥300: it leads at the starting price.
    await card.locator('[data-testid="auction-proxy-open"]').click();
    await card.locator('[data-testid="auction-proxy-max"]').fill('300');
    await card.locator('[data-testid="auction-proxy-submit"]').click();
    await card.locator('[data-testid="auction-leader"]', { hasText: '你领先' }).waitFor({ timeout: 10_000 });
    expect(await card.locator('[data-testid="auction-price"]').getAttribute('data-fen')).toBe('10000');
    await page.screenshot({ path: screenshotPath('auction-proxy-set-phone') });

    // A rival bids ¥150 in the last 10 s: the close moves, the proxy answers at ¥150 + ¥20.
    const lateAt = Date.parse(auction.plannedCloseAt) - 6_000;
    await new Promise((r) => setTimeout(r, Math.max(0, lateAt - Date.now())));
    const late = await rival.client.post(`/api/auctions/${auction.id}/bids`, { kind: 'bid', amountFen: 15_000, clientKey: 'rival-late-bid-1' });
    expect(late.status, late.body).toBe(201);
    expect(late.json().bid).toMatchObject({ leading: false, priceFen: 17_000 });
    expect(Date.parse(late.json().closesAt)).toBeGreaterThan(Date.parse(auction.plannedCloseAt));
    await card.locator('[data-testid="auction-price"][data-fen="17000"]').waitFor({ timeout: 10_000 });
    await card.locator('[data-testid="auction-extended"]').waitFor();
    expect(await card.locator('[data-testid="auction-leader"]').innerText()).toContain('你领先');
    await page.screenshot({ path: screenshotPath('auction-extended-phone') });

    // The close: the viewer has won at ¥170 and is led to the order.
    const result = card.locator('[data-testid="auction-result"]');
    await result.waitFor({ timeout: 30_000 });
    await card.locator('[data-testid="auction-pay"]').waitFor({ timeout: 10_000 });
    expect(await result.innerText()).toContain('170.00');
    await page.screenshot({ path: screenshotPath('auction-won-phone') });
    const me = await waitFor(async () => (await viewer.get(`/api/auctions/${auction.id}/me`)).json().me.offer);
    const order = (await viewer.get(`/api/orders/${me.orderId}`)).json().order;
    expect(order).toMatchObject({ status: 'pending_payment', totalFen: 17_000, items: [{ title: '1 号拍品 · 手绘礼盒', quantity: 1 }] });
    await card.locator('[data-testid="auction-pay"]').click();
    await page.waitForURL(`**/orders/${me.orderId}`);
    await page.screenshot({ path: screenshotPath('auction-order-phone') });
    await page.context().close();
  });
});
