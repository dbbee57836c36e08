// Life-service vouchers in Chromium (docs/VOUCHERS.md): a viewer buys a set-meal voucher in a live from the
// 小黄车, pays in the sandbox, sees its code as a QR code on 我的券 (phone size), and the store's staff
// redeem it on the phone page by typing the code; typing it again is refused as already redeemed.
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { newBuyer, shop, tag } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');
const phone = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable.ok)('life-service vouchers, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', realTime: true });

  it('a voucher bought in a live is redeemed once on the store staff’s phone page', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    const store = (await s.owner.post(`/api/orgs/${s.orgId}/stores`, { name: '静安嘉里店', city: '上海', address: '南京西路 1515 号' })).json().store;
    const staff = server.client();
    const login = `staff-${tag()}@example.com`;
    await staff.register(login, 'Secret123x', '店员小李');
    expect((await s.owner.post(`/api/orgs/${s.orgId}/stores/${store.id}/staff`, { login })).status).toBe(201);
    const now = Date.now();
    const voucher = (
      await s.owner.post(`/api/orgs/${s.orgId}/vouchers`, {
        title: '本帮菜双人套餐',
        description: '红烧肉、油爆虾、腌笃鲜',
        category: 'set_meal',
        priceFen: 19_800,
        stock: 50,
        validFrom: new Date(now - 3600_000).toISOString(),
        validTo: new Date(now + 30 * 86_400_000).toISOString(),
        storeIds: [store.id],
        days: [1, 2, 3, 4, 5, 6, 7],
        slots: [{ from: '00:00', to: '24:00' }],
      })
    ).json().voucher;
    expect((await s.host.client.put(`/api/rooms/${s.sessionId}/products`, { items: [{ productId: voucher.productId, livePrices: { [voucher.skuId]: 16_800 } }] })).status).toBe(200);
    await server.database.db.updateTable('live_sessions').set({ status: 'live', started_at: new Date().toISOString() }).where('id', '=', s.sessionId).execute();
    const buyer = await newBuyer(server);

    // The viewer buys it from the 小黄车 and pays in the sandbox.
    const viewerPage = await suite.pageAs(buyer.client, phone);
    await viewerPage.goto(`${base}/watch/${s.sessionId}`);
    await viewerPage.click('[data-testid="cart-button"]');
    await viewerPage.click(`[data-testid="cart-buy"][data-product-id="${voucher.productId}"]`);
    await viewerPage.locator('[data-testid="quote"][data-ready="true"]').waitFor({ timeout: 10_000 });
    await viewerPage.screenshot({ path: screenshotPath('vouchers-buy-sheet') });
    await Promise.all([viewerPage.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), viewerPage.click('[data-testid="submit-order"]')]);
    await Promise.all([viewerPage.waitForURL(/\/orders\//, { timeout: 15_000 }), viewerPage.click('[data-testid="sandbox-pay"]')]);
    await viewerPage.locator('[data-testid="order-status"][data-status="paid"]').first().waitFor({ timeout: 30_000 });
    // The order's line says it is a voucher, not the stored spec's "券: <title>".
    expect(await viewerPage.locator('[data-testid="order-item"] .order-spec').innerText()).toBe('到店核销券');

    // 我的券: the code and its QR code.
    await viewerPage.goto(`${base}/me/vouchers`);
    const card = viewerPage.locator('[data-testid="voucher-card"][data-status="unused"]');
    await card.waitFor({ timeout: 10_000 });
    await card.locator('[data-testid="voucher-qr"]').waitFor();
    const code = (await card.getAttribute('data-code'))!;
    expect(code).toMatch(/^\d{16}$/);
    expect(await card.locator('[data-testid="voucher-code"]').innerText()).toBe(code.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(await viewerPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await viewerPage.screenshot({ path: screenshotPath('vouchers-my-code'), fullPage: true });

    // The staff phone page: typed code, redeemed once.
    const staffPage = await suite.pageAs(staff, phone);
    await staffPage.goto(`${base}/staff/redeem`);
    await staffPage.locator('[data-testid="staff-store"]').waitFor();
    await staffPage.fill('[data-testid="staff-code"]', code.replace(/(\d{4})(?=\d)/g, '$1 '));
    await staffPage.click('[data-testid="staff-submit"]');
    await staffPage.locator('[data-testid="staff-done"]').waitFor({ timeout: 10_000 });
    expect(await staffPage.locator('[data-testid="staff-done"]').innerText()).toContain('本帮菜双人套餐');
    await staffPage.locator('[data-testid="staff-today"]', { hasText: '1' }).waitFor();
    await staffPage.locator('[data-testid="staff-recent"] li').first().waitFor();
    await staffPage.screenshot({ path: screenshotPath('vouchers-staff-redeemed'), fullPage: true });
    await staffPage.fill('[data-testid="staff-code"]', code);
    await staffPage.click('[data-testid="staff-submit"]');
    await staffPage.locator('[data-testid="staff-error"][data-code="VOUCHER_ALREADY_REDEEMED"]').waitFor({ timeout: 10_000 });
    expect(await staffPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await staffPage.screenshot({ path: screenshotPath('vouchers-staff-refused'), fullPage: true });

    // The buyer's card now shows it redeemed; the brand's console counts it by store and day.
    await viewerPage.reload();
    await viewerPage.locator('[data-testid="voucher-card"][data-status="redeemed"]').waitFor();
    // In English, the order list reads right too: the voucher's line, and one item in the singular.
    expect((await buyer.client.patch('/api/me', { locale: 'en' })).status).toBe(200);
    await viewerPage.evaluate(() => localStorage.setItem('zhibo.locale', 'en'));
    await viewerPage.goto(`${base}/orders`);
    const row = viewerPage.locator('[data-testid="order-row"]').first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('.order-spec').innerText()).toBe('Voucher, redeemed in store');
    expect(await row.locator('.order-card-foot').innerText()).toContain('1 item, total');
    const consolePage = await suite.pageAs(s.owner, { width: 1280, height: 900 });
    await consolePage.goto(`${base}/orgs/${s.orgId}/vouchers`);
    await consolePage.locator('[data-testid="console-report"]').waitFor();
    expect(await consolePage.locator('[data-testid="console-report"] tbody tr').count()).toBe(1);
    await consolePage.screenshot({ path: screenshotPath('vouchers-console'), fullPage: true });
    await Promise.all([viewerPage.context().close(), staffPage.context().close(), consolePage.context().close()]);
  });
});
