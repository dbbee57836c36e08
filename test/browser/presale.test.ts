// 定金预售 in Chromium (docs/PRESALE.md): a buyer on a phone reads the rules, accepts them, pays the deposit in
// the sandbox; when the balance window opens pays the balance (final price − expansion) from the pre-sale order.
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { shop } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('pre-sale, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', realTime: true });

  it('a pre-sale paid in two parts: the deposit with the rules shown and accepted, then the balance in its window', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    const db = server.database.db;
    // The brand sets it up in its console (desktop): ¥50 deposit counting as ¥100 off ¥299.
    const console = await suite.pageAs(s.owner, { width: 1366, height: 900 });
    await console.goto(`${base}/orgs/${s.orgId}/presales`);
    const form = console.locator('[data-testid="presale-form"]');
    await form.locator(`[data-testid="presale-form-sku"] option[value="${s.butterfly.skus[1]!.id}"]`).waitFor({ state: 'attached' });
    await form.locator('[data-testid="presale-form-sku"]').selectOption(s.butterfly.skus[1]!.id);
    await form.locator('[data-testid="presale-form-title"]').fill('五五购物节 蝴蝶酥礼盒预售');
    await form.locator('[data-testid="presale-form-sessionId"]').fill(s.sessionId);
    await form.locator('[data-testid="presale-form-final"]').fill('299');
    await form.locator('[data-testid="presale-form-stock"]').fill('10');
    // An expansion below the deposit is refused with its code, and nothing is created.
    await form.locator('[data-testid="presale-form-expansion"]').fill('40');
    await form.locator('[data-testid="presale-form-rules"]').fill('定金 ¥50 抵 ¥100，尾款支付后 5 天内发货。');
    await form.locator('[data-testid="presale-form-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="PRESALE_EXPANSION_INVALID"]').waitFor();
    await form.locator('[data-testid="presale-form-expansion"]').fill('100');
    await form.locator('[data-testid="presale-form-submit"]').click();
    await console.locator('[data-testid="presale-row"][data-status="open"]').waitFor();
    await console.screenshot({ path: screenshotPath('presale-brand-console-desktop'), fullPage: true });
    await console.context().close();
    const [listed] = (await s.owner.get(`/api/orgs/${s.orgId}/presales`)).json().presales;
    expect(listed).toMatchObject({ depositFen: 5000, expansionFen: 10000, finalPriceFen: 29900, balanceFen: 19900, stock: 10, perBuyerLimit: 2, shipWithinDays: 5, sessionId: s.sessionId });
    const presaleId = listed.id as string;
    // The deposit window opens (the browser keeps real time, so the window is moved rather than the clock).
    await db.updateTable('presales').set({ deposit_starts_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', presaleId).execute();

    const page = await suite.pageAs(s.buyer.client, { width: 390, height: 844 });
    await page.goto(`${base}/presales/${presaleId}`);
    const rules = page.locator('[data-testid="presale-rules"]');
    await rules.waitFor();
    // The rules are on the page before anything is paid: the refund rule, the balance window, the expansion.
    expect(await page.locator('[data-testid="presale-rule-deposit"]').innerText()).toContain('定金支付后不予退还');
    expect(await page.locator('[data-testid="presale-rule-balance"]').innerText()).toContain('尾款须在');
    expect(await page.locator('[data-testid="presale-rule-expansion"]').innerText()).toContain('¥199.00');
    expect(await page.locator('[data-testid="presale-expansion"]').innerText()).toMatch(/¥50\.00.*¥100\.00/);
    expect(await page.locator('[data-testid="presale-pay-deposit"]').isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('presale-rules-phone'), fullPage: true });
    await page.check('[data-testid="presale-accept"]');
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), page.click('[data-testid="presale-pay-deposit"]')]);
    expect(await page.locator('[data-testid="sandbox-amount"]').innerText()).toContain('50.00');
    await Promise.all([page.waitForURL(/\/orders\//, { timeout: 15_000 }), page.click('[data-testid="sandbox-pay"]')]);
    await page.locator('[data-testid="order-status-card"] [data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });

    const [po] = (await s.buyer.client.get('/api/me/presale-orders')).json().presaleOrders;
    expect(po).toMatchObject({ status: 'deposit_paid', depositFen: 5000, balanceFen: 19900 });
    await page.goto(`${base}/presale-orders/${po.id}`);
    await page.locator('[data-testid="presale-order-status"][data-status="deposit_paid"]').waitFor();
    expect(await page.locator('[data-testid="presale-pay-balance"]').count()).toBe(0);
    // Asking for the deposit back is refused by the rules, with the reason shown.
    await page.click('[data-testid="presale-refund-deposit"]');
    await page.locator('[data-testid="form-error"][data-code="PRESALE_DEPOSIT_NON_REFUNDABLE"]').waitFor();
    await page.screenshot({ path: screenshotPath('presale-deposit-paid-phone'), fullPage: true });

    // The balance window opens.
    const opened = new Date(Date.now() - 60_000).toISOString();
    await db.updateTable('presales').set({ deposit_ends_at: opened, balance_starts_at: opened }).where('id', '=', presaleId).execute();
    await db.updateTable('presale_orders').set({ balance_starts_at: opened }).where('id', '=', po.id).execute();
    await page.reload();
    const payBalance = page.locator('[data-testid="presale-pay-balance"]');
    await payBalance.waitFor();
    expect(await payBalance.innerText()).toContain('¥199.00');
    await page.screenshot({ path: screenshotPath('presale-balance-open-phone'), fullPage: true });
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), payBalance.click()]);
    expect(await page.locator('[data-testid="sandbox-amount"]').innerText()).toContain('199.00');
    await Promise.all([page.waitForURL(/\/orders\//, { timeout: 15_000 }), page.click('[data-testid="sandbox-pay"]')]);
    await page.locator('[data-testid="order-status-card"] [data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });

    await page.goto(`${base}/presale-orders/${po.id}`);
    await page.locator('[data-testid="presale-order-status"][data-status="balance_paid"]').waitFor();
    await page.screenshot({ path: screenshotPath('presale-balance-paid-phone'), fullPage: true });
    const paid = (await s.buyer.client.get(`/api/presale-orders/${po.id}`)).json().presaleOrder;
    expect(paid).toMatchObject({ status: 'balance_paid', depositOrderStatus: 'paid', balanceOrderStatus: 'paid' });
    // Deposit ¥50 + balance ¥199 = ¥249 paid for a ¥299 final price: the ¥50 deposit counted as ¥100.
    const orders = await db.selectFrom('orders').select(['total_fen']).where('id', 'in', [paid.depositOrderId, paid.balanceOrderId]).execute();
    expect(orders.reduce((sum, o) => sum + o.total_fen, 0)).toBe(24900);
    await page.context().close();
  });
});
