// 直播+跨境电商 in Chromium (docs/CROSSBORDER.md): the demo viewer (verified) opens the Australian milk
// powder in 德兴斋's live on a phone, the buy sheet shows origin, mode and the 9.1 % tax; 13 tins
// (over ¥5,000) are refused; one tin is bought and paid; the brand's console lists the order's
// customs messages (CEB311/411/511) to download. A new buyer's identity page refuses a bad ID number.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { newBuyer } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('cross-border checkout, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  it('shows the tax in the buy sheet, refuses 13 tins over ¥5,000, buys one, and the brand downloads the customs messages', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    // The demo's cross-border product, in one of 小林说吃's lives.
    let found: { sessionId: string; product: { id: string; title: string; kind?: string; skus: { id: string }[] } } | null = null;
    for (const s of (await host.get('/api/streamer/live-sessions')).json().sessions as { id: string }[]) {
      const { products } = (await server.client().get(`/api/rooms/${s.id}/products`)).json();
      const milk = (products as { id: string; title: string; skus: { id: string }[] }[]).find((p) => p.title.includes('奶粉'));
      if (milk) found = { sessionId: s.id, product: milk };
    }
    expect(found).not.toBeNull();
    const { sessionId, product } = found!;
    expect((await host.post(`/api/rooms/${sessionId}/pin`, { productId: product.id })).status).toBe(200);
    const expected = (await viewer.post('/api/checkout/quote', { items: [{ productId: product.id, skuId: product.skus[0]!.id, quantity: 1 }], sessionId })).json().quote;
    expect(expected.kindData).toMatchObject({ regime: 'retail', identity: { realName: '王小满' } });
    expect(expected.taxFen).toBe(Math.round(expected.kindData.dutiableFen * 0.091));

    const page = await pageAs(viewer, { width: 390, height: 844 });
    await page.goto(`${base}/watch/${sessionId}`);
    await page.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });
    await page.click('[data-testid="pinned-card"] [data-testid="buy-button"]');
    await page.locator('[data-testid="buy-sheet"]').waitFor();
    await page.locator('[data-testid="address-form"], [data-testid="address-option"]').first().waitFor();
    if (await page.locator('[data-testid="address-form"]').count()) {
      await page.fill('[data-testid="address-form"] input[name="name"]', '王小满');
      await page.fill('[data-testid="address-form"] input[name="phone"]', '13900000001');
      await page.fill('[data-testid="address-form"] input[name="region"]', '上海市 徐汇区');
      await page.fill('[data-testid="address-form"] input[name="detail"]', '漕溪北路 1 号');
      await page.click('[data-testid="address-submit"]');
      await page.locator('[data-testid="address-option"]').first().waitFor();
    }
    // Origin, mode and the tax of one tin, as the server quotes it.
    const tax = page.locator(`[data-testid="crossborder-tax"][data-fen="${expected.taxFen}"]`);
    await tax.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="crossborder-origin"]').innerText()).toContain('澳大利亚');
    expect(await page.locator('[data-testid="crossborder-mode"]').innerText()).toBe('保税备货');
    expect(await page.locator('[data-testid="crossborder-identity"]').innerText()).toContain('王小满');
    await page.locator('[data-testid="quote-total"]', { hasText: (expected.totalFen / 100).toFixed(2) }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="crossborder-quote"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('crossborder-buy-sheet-tax-phone') });

    // 13 tins = ¥5,187.00: over the ¥5,000 limit per transaction, refused in the sheet and on submit.
    const ordersBefore = (await viewer.get('/api/orders')).json().orders.length;
    await page.fill('[data-testid="qty-input"]', '13');
    const refusal = page.locator('[data-testid="quote-error"][data-code="CROSSBORDER_OVER_TRANSACTION_LIMIT"]');
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.innerText()).toContain('5,000');
    await page.click('[data-testid="submit-order"]');
    await page.locator('[data-testid="buy-sheet"] [role="alert"]').first().waitFor();
    expect((await viewer.get('/api/orders')).json().orders.length).toBe(ordersBefore);
    await refusal.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('crossborder-over-limit-phone') });

    // One tin: ordered, paid in the sandbox.
    await page.fill('[data-testid="qty-input"]', '1');
    await tax.waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), page.click('[data-testid="submit-order"]')]);
    await Promise.all([page.waitForURL(/\/orders\//, { timeout: 15_000 }), page.click('[data-testid="sandbox-pay"]')]);
    await page.locator('[data-testid="order-status-card"] [data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    const orderId = (await page.getAttribute('[data-testid="order-page"]', 'data-order-id'))!;
    const order = (await viewer.get(`/api/orders/${orderId}`)).json().order;
    expect(order).toMatchObject({ kind: 'crossborder', taxFen: expected.taxFen, totalFen: expected.totalFen });

    // The brand's console: the order's three customs messages, each downloadable.
    const desk = await pageAs(brand, { width: 1366, height: 900 });
    await desk.goto(`${base}/orgs/${order.brand.id}/crossborder`);
    await desk.locator('[data-testid="crossborder-declaration"]').first().waitFor({ timeout: 10_000 });
    const href = await desk.locator('[data-testid="crossborder-download-CEB311"]').first().getAttribute('href');
    expect(href).toBe(`/api/orgs/${order.brand.id}/crossborder/orders/${orderId}/messages/CEB311`);
    const xml = await brand.get(href!);
    expect(xml.status).toBe(200);
    expect(xml.body).toContain(`<ceb:orderNo>${orderId}</ceb:orderNo>`);
    await desk.screenshot({ path: screenshotPath('crossborder-brand-console-desktop'), fullPage: true });

    // A new buyer verifies on the phone page: a wrong check digit is refused with its message.
    const fresh = await newBuyer(server);
    const idPage = await pageAs(fresh.client, { width: 390, height: 844 });
    await idPage.goto(`${base}/crossborder/identity`);
    await idPage.locator('[data-testid="crossborder-identity-status"][data-verified="false"]').waitFor();
    await idPage.fill('[data-testid="crossborder-identity-form"] input[name="realName"]', '赵六');
    await idPage.fill('[data-testid="crossborder-identity-form"] input[name="idNumber"]', '110101198802291231');
    await idPage.click('[data-testid="crossborder-identity-submit"]');
    await idPage.locator('[data-testid="crossborder-identity-form"] [role="alert"]').first().waitFor();
    await idPage.screenshot({ path: screenshotPath('crossborder-identity-refused-phone') });
  });
});
