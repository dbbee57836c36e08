// 直播+产业供应链, 消费帮扶 and 会展 in Chromium at phone size, on the demo data: a B2B buyer sees the
// wholesale tiers of the demo factory product only after the operator approves the business licence
// they submitted on the page; the demo CIIE exhibition page (live now / next, halls, booths) and the
// demo tea's traceability page.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const PHONE = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable.ok)('B2B, origin and exhibitions, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true });

  it('a buyer sees the wholesale tiers only once their business licence is approved', async () => {
    const { server, base } = suite;
    const { db } = server.database;
    const productId = (await db.selectFrom('b2b_terms' as never).select('product_id' as never).executeTakeFirstOrThrow()) as unknown as { product_id: string };
    const buyer = server.client();
    await buyer.register(`b2b-buyer-${Date.now()}@example.com`, 'Secret123x', '采购·赵经理');
    const page = await suite.pageAs(buyer, PHONE);
    await page.goto(`${base}/b2b/products/${productId.product_id}`);
    await page.locator('[data-testid="b2b-locked"]').waitFor();
    expect(await page.locator('[data-testid="b2b-tier"]').count()).toBe(0);
    expect(await page.locator('[data-testid="b2b-product"]').innerText()).not.toContain('8.50');
    // A wrong check character is refused on the page.
    await page.fill('[data-testid="b2b-company"]', '上海赵氏采购有限公司');
    await page.fill('[data-testid="b2b-credit-code"]', '91350100M000100Y44');
    await page.click('[data-testid="b2b-licence-submit"]');
    await page.getByText('校验位不正确').waitFor();
    await page.fill('[data-testid="b2b-credit-code"]', '91350100M000100Y43');
    await page.click('[data-testid="b2b-licence-submit"]');
    await page.getByText('审核中').waitFor();
    expect(await page.locator('[data-testid="b2b-tier"]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('b2b-before-approval'), fullPage: true });

    const op = server.client();
    await op.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
    const pending = (await op.get('/api/admin/b2b/licences?status=pending')).json().licences as { id: string; companyName: string }[];
    const mine = pending.find((l) => l.companyName === '上海赵氏采购有限公司')!;
    expect((await op.post(`/api/admin/b2b/licences/${mine.id}/review`, { decision: 'approve' })).status).toBe(200);

    await page.reload();
    await page.locator('[data-testid="b2b-tiers"]').waitFor();
    expect(await page.locator('[data-testid="b2b-tier"]').allInnerTexts()).toEqual([expect.stringContaining('12.00'), expect.stringContaining('10.00'), expect.stringContaining('8.50')]);
    await page.fill('[data-testid="b2b-quantity"]', '1000');
    await page.locator('[data-testid="b2b-unit"]').getByText('8.50').waitFor();
    await page.screenshot({ path: screenshotPath('b2b-after-approval'), fullPage: true });
    // Below the MOQ the server refuses the order.
    await page.fill('[data-testid="b2b-quantity"]', '10');
    await page.click('[data-testid="b2b-place"]');
    await page.getByText('最小起订量为 50 件').waitFor();
    await page.context().close();
  });

  it('the demo CIIE exhibition page and the demo tea’s traceability page', async () => {
    const { server, base } = suite;
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const exhibitionId = (await viewer.get('/api/exhibitions')).json().exhibitions[0].id as string;
    const page = await suite.pageAs(viewer, PHONE);
    await page.goto(`${base}/exhibitions/${exhibitionId}`);
    await page.locator('[data-testid="exhibition-booth"]').first().waitFor();
    expect(await page.locator('[data-testid="exhibition-booth"]').count()).toBe(2);
    expect(await page.locator('[data-testid="exhibition-up-next"] [data-testid="exhibition-live"]').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('exhibition-ciie'), fullPage: true });

    const cert = (await server.database.db.selectFrom('origin_certs' as never).select('product_id' as never).executeTakeFirstOrThrow()) as unknown as { product_id: string };
    await page.goto(`${base}/origin/${cert.product_id}`);
    await page.locator('[data-testid="origin-trace"]').waitFor();
    expect(await page.locator('[data-testid="origin-county"]').first().innerText()).toContain('澜沧拉祜族自治县');
    expect(await page.locator('[data-testid="origin-batch"]').first().innerText()).toBe('JM-2026-SPR');
    await page.screenshot({ path: screenshotPath('origin-trace'), fullPage: true });
    await page.context().close();
  });
});
