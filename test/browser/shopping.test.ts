import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('shopping in the room, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  it('a viewer buys the pinned product with a room coupon, pays in the sandbox, the brand ships, and the buyer asks for a refund', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions;
    const { products } = (await server.client().get(`/api/rooms/${session.id}/products`)).json();
    const butterfly = products.find((p: { title: string }) => p.title.includes('蝴蝶酥'));
    expect(butterfly).toBeTruthy();

    // The streamer pins 蝴蝶酥 and drops coupons in the room.
    expect((await host.post(`/api/rooms/${session.id}/pin`, { productId: butterfly.id })).status).toBe(200);
    const viewerPage = await pageAs(viewer, { width: 390, height: 844 });
    await viewerPage.goto(`${base}/watch/${session.id}`);
    await viewerPage.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });
    expect((await host.post(`/api/rooms/${session.id}/coupon-drops`, { title: '直播间立减券', amountOffFen: 1000, total: 50, seconds: 120 })).status).toBe(201);
    await viewerPage.locator('[data-testid="coupon-popup"]').waitFor({ timeout: 10_000 });
    await viewerPage.click('[data-testid="coupon-claim"]');
    await viewerPage.locator('[data-testid="coupon-claimed"]').waitFor({ timeout: 10_000 });
    await viewerPage.click('[data-testid="coupon-close"]');

    // The 小黄车 shows the brand's licence to buyers.
    await viewerPage.click('[data-testid="cart-button"]');
    await viewerPage.locator('[data-testid="cart-product"]').first().waitFor();
    await viewerPage.locator('[data-testid="cart-product-open"]').first().click();
    const licence = viewerPage.locator('[data-testid="product-detail"] [data-testid="brand-licence"]');
    await licence.waitFor();
    expect(await licence.innerText()).toMatch(/营业执照|统一社会信用代码|\w{18}/);
    await viewerPage.screenshot({ path: screenshotPath('shop-cart-detail-phone') });
    await viewerPage.click('[data-testid="cart-close"]');

    // Buy from the pinned card, over the video.
    await viewerPage.click('[data-testid="pinned-card"] [data-testid="buy-button"]');
    await viewerPage.locator('[data-testid="buy-sheet"]').waitFor();
    // The sheet opens over the room: the page (and its player) stays.
    expect(viewerPage.url()).toBe(`${base}/watch/${session.id}`);
    // The sheet loads the buyer's addresses: a new buyer gets the form, one with addresses a choice.
    await viewerPage.locator('[data-testid="address-form"], [data-testid="address-option"]').first().waitFor();
    if (await viewerPage.locator('[data-testid="address-form"]').count()) {
      await viewerPage.fill('[data-testid="address-form"] input[name="name"]', '王小明');
      await viewerPage.fill('[data-testid="address-form"] input[name="phone"]', '13912345678');
      await viewerPage.fill('[data-testid="address-form"] input[name="region"]', '上海市 静安区');
      await viewerPage.fill('[data-testid="address-form"] input[name="detail"]', '南京西路 1 号');
      await viewerPage.click('[data-testid="address-submit"]');
      await viewerPage.locator('[data-testid="address-option"]').first().waitFor();
    }
    await viewerPage.locator('[data-testid="quote"][data-ready="true"]').waitFor({ timeout: 10_000 });
    const mine = (await viewer.get('/api/me/coupons')).json().coupons;
    expect(mine).toHaveLength(1);
    await viewerPage.selectOption('[data-testid="coupon-select"]', mine[0].id);
    await viewerPage.locator('[data-testid="quote-discount"]', { hasText: '10.00' }).waitFor({ timeout: 10_000 });
    await viewerPage.screenshot({ path: screenshotPath('shop-buy-sheet-phone') });
    await Promise.all([viewerPage.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), viewerPage.click('[data-testid="submit-order"]')]);

    // The sandbox cashier, then back to the order, which turns paid when the signed notification arrives.
    expect(await viewerPage.locator('[data-testid="sandbox-amount"]').innerText()).toMatch(/¥\d+\.\d\d/);
    await viewerPage.screenshot({ path: screenshotPath('shop-sandbox-cashier-phone') });
    await Promise.all([viewerPage.waitForURL(/\/orders\//, { timeout: 15_000 }), viewerPage.click('[data-testid="sandbox-pay"]')]);
    await viewerPage.locator('[data-testid="order-status-card"] [data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    const orderId = (await viewerPage.getAttribute('[data-testid="order-page"]', 'data-order-id'))!;
    const order = (await viewer.get(`/api/orders/${orderId}`)).json().order;
    expect(order).toMatchObject({ status: 'paid', discountFen: 1000, couponTitle: '直播间立减券', sessionId: session.id });
    expect(order.totalFen).toBe(order.itemsTotalFen - 1000 + order.shippingFen);
    await viewerPage.screenshot({ path: screenshotPath('shop-order-paid-phone'), fullPage: true });

    // The brand ships it from its console.
    const brandPage = await pageAs(brand, { width: 1366, height: 900 });
    await brandPage.goto(`${base}/orgs/${order.brand.id}?tab=orders`);
    const row = brandPage.locator(`[data-testid="brand-order"][data-order-id="${orderId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.locator('[data-testid="ship-open"]').click();
    await row.locator('[data-testid="ship-carrier"]').fill('顺丰速运');
    await row.locator('[data-testid="ship-tracking"]').fill('SF1234567890');
    await row.locator('[data-testid="ship-submit"]').click();
    await brandPage.locator(`[data-testid="brand-order"][data-order-id="${orderId}"][data-status="shipped"]`).waitFor({ timeout: 10_000 });
    await brandPage.screenshot({ path: screenshotPath('shop-brand-orders-desktop'), fullPage: true });

    // The buyer asks for a refund (return and refund, 七天无理由) from the order page.
    await viewerPage.goto(`${base}/orders/${orderId}`);
    await viewerPage.locator('[data-testid="after-sale-form"]').waitFor({ timeout: 10_000 });
    await viewerPage.selectOption('[data-testid="after-sale-kind"]', 'return_refund');
    await viewerPage.fill('[data-testid="after-sale-amount"]', '10.50');
    await viewerPage.fill('[data-testid="after-sale-reason"]', '七天无理由退货');
    await viewerPage.click('[data-testid="after-sale-submit"]');
    await viewerPage.locator('[data-testid="after-sale"][data-status="requested"]').waitFor({ timeout: 10_000 });
    await viewerPage.screenshot({ path: screenshotPath('shop-after-sale-phone'), fullPage: true });
    // A second claim, for a quality problem (any item may be claimed so; the brand judges it): the cause and a quick reason.
    await viewerPage.selectOption('[data-testid="after-sale-cause"]', 'quality');
    await viewerPage.fill('[data-testid="after-sale-amount"]', '1.00');
    await viewerPage.locator('[data-testid="after-sale-reason-pick"]').first().click();
    await viewerPage.click('[data-testid="after-sale-submit"]');
    await viewerPage.locator('[data-testid="after-sale"][data-status="requested"]').nth(1).waitFor({ timeout: 10_000 });
    const afterSales = (await brand.get(`/api/orgs/${order.brand.id}/after-sales`)).json().afterSales as { cause: string; amountFen: number }[];
    expect(afterSales.find((a) => a.amountFen === 1050)).toMatchObject({ orderId, kind: 'return_refund', cause: 'no_reason', status: 'requested' });
    expect(afterSales.find((a) => a.amountFen === 100)).toMatchObject({ orderId, kind: 'return_refund', cause: 'quality', reason: '商品破损', status: 'requested' });
    // The brand sees each claim's cause beside it.
    await brandPage.goto(`${base}/orgs/${order.brand.id}?tab=afterSales`);
    const causes = brandPage.locator('[data-testid="brand-after-sale"] [data-testid="after-sale-cause"]');
    await causes.first().waitFor({ timeout: 10_000 });
    expect(new Set(await causes.allTextContents())).toEqual(new Set(['七天无理由', '质量问题（破损、错发、与描述不符）']));
    await brandPage.screenshot({ path: screenshotPath('shop-brand-after-sales-causes-desktop'), fullPage: true });
  });
});
