import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

type Sku = { id: string; spec: Record<string, string>; priceFen: number; stock: number };
type Product = { id: string; title: string; description: string; category: string; returnPolicy: string; status: string; skus: Sku[] };

describe.skipIf(!chromiumAvailable.ok)('brand console: editing products, in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  it('a brand changes a SKU price and stock, edits a product and takes one off sale; an operator only reads', async () => {
    const { server, base } = suite;
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const org = (await server.services.orgs.list()).find((o) => o.name === '德兴斋')!;
    const products = async (): Promise<Product[]> => (await brand.get(`/api/orgs/${org.id}/products`)).json().products;
    const before = await products();
    const mooncake = before.find((p) => p.title === '德兴斋鲜肉月饼')!;
    const butterfly = before.find((p) => p.title === '德兴斋蝴蝶酥礼盒')!;
    const sku = mooncake.skus[0]!;
    expect(sku).toMatchObject({ priceFen: 3980, stock: 500 });

    const page = await pageAs(brand, { width: 1366, height: 900 });
    await page.goto(`${base}/orgs/${org.id}?tab=products`);
    const card = page.locator(`[data-testid="product"][data-product-id="${mooncake.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    const row = card.locator(`[data-testid="sku"][data-sku-id="${sku.id}"]`);

    // Price in yuan: more than two decimals is refused before anything is sent.
    await row.locator('[data-testid="sku-edit-open"]').click();
    expect(await row.locator('[data-testid="sku-edit-price"]').inputValue()).toBe('39.80');
    await row.locator('[data-testid="sku-edit-price"]').fill('42.555');
    await row.locator('[data-testid="sku-edit-submit"]').click();
    await card.locator('[data-testid="form-error"]').waitFor();
    expect(await card.locator('[data-testid="form-error"]').innerText()).toContain('最多两位小数');

    // The server's message is shown as it comes (here a refusal staged for one request).
    await page.route(`**/api/orgs/${org.id}/products/${mooncake.id}/skus/${sku.id}`, (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'SKU_LOCKED', message: '<b>库存正被秒杀占用</b>' } }) }), { times: 1 });
    await row.locator('[data-testid="sku-edit-price"]').fill('42.5');
    await row.locator('[data-testid="sku-edit-stock"]').fill('321');
    await row.locator('[data-testid="sku-edit-submit"]').click();
    await card.locator('[data-testid="form-error"][data-code="SKU_LOCKED"]').waitFor();
    expect(await card.locator('[data-testid="form-error"]').innerText()).toContain('<b>库存正被秒杀占用</b>');

    // "42.5" → 4250 fen, stock 321.
    await row.locator('[data-testid="sku-edit-submit"]').click();
    await card.locator(`[data-testid="sku"][data-sku-id="${sku.id}"]:not([data-editing])`).waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-testid="sku-price"]').innerText()).toContain('42.50');
    expect(await row.locator('[data-testid="sku-stock"]').innerText()).toBe('321');

    // Title, category, description and return policy, in the inline form.
    await card.locator('[data-testid="product-edit-open"]').click();
    const form = card.locator('[data-testid="product-edit-form"]');
    await form.waitFor();
    expect(await form.locator('[data-testid="product-edit-title"]').inputValue()).toBe('德兴斋鲜肉月饼');
    await form.locator('[data-testid="product-edit-title"]').fill('德兴斋鲜肉月饼（现烤）');
    await form.locator('[data-testid="product-edit-category"]').fill('食品/月饼');
    await form.locator('[data-testid="product-edit-description"]').fill('现烤现发，当天送达。');
    await form.locator('[data-testid="product-edit-return-policy"]').selectOption('confirm');
    await form.locator('[data-testid="product-edit-submit"]').click();
    await form.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await card.locator('h3').innerText()).toBe('德兴斋鲜肉月饼（现烤）');

    // 下架 the butterfly biscuits; the button turns into 上架.
    const other = page.locator(`[data-testid="product"][data-product-id="${butterfly.id}"]`);
    expect(await other.locator('[data-testid="product-status-toggle"]').innerText()).toBe('下架');
    await other.locator('[data-testid="product-status-toggle"]').click();
    await page.locator(`[data-testid="product"][data-product-id="${butterfly.id}"][data-status="off_sale"]`).waitFor({ timeout: 10_000 });
    expect(await other.locator('[data-testid="product-status-toggle"]').innerText()).toBe('上架');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('brand-products-edit-desktop'), fullPage: true, animations: 'disabled' });

    const after = await products();
    const mooncakeAfter = after.find((p) => p.id === mooncake.id)!;
    expect(mooncakeAfter).toMatchObject({ title: '德兴斋鲜肉月饼（现烤）', category: '食品/月饼', description: '现烤现发，当天送达。', returnPolicy: 'confirm', status: 'on_sale' });
    expect(mooncakeAfter.skus.find((s) => s.id === sku.id)).toMatchObject({ priceFen: 4250, stock: 321 });
    // The other SKU is untouched.
    expect(mooncakeAfter.skus.find((s) => s.id === mooncake.skus[1]!.id)).toMatchObject({ priceFen: mooncake.skus[1]!.priceFen, stock: mooncake.skus[1]!.stock });
    expect(after.find((p) => p.id === butterfly.id)!.status).toBe('off_sale');
    await page.context().close();

    // An operator sees the catalogue but no edit controls.
    const operator = server.client();
    await operator.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
    const opPage = await pageAs(operator, { width: 1366, height: 900 });
    await opPage.goto(`${base}/orgs/${org.id}?tab=products`);
    await opPage.locator(`[data-testid="product"][data-product-id="${butterfly.id}"][data-status="off_sale"]`).waitFor({ timeout: 10_000 });
    expect(await opPage.locator('[data-testid="product-status-toggle"], [data-testid="product-edit-open"], [data-testid="sku-edit-open"]').count()).toBe(0);
    await opPage.context().close();
  });

  it('a brand waiting for the operator’s approval is told, on a phone, that its products are not on sale yet', async () => {
    const { server, base } = suite;
    const owner = server.client();
    await owner.register(`pending-brand-${Date.now()}@example.com`, 'Secret123x', '新品牌店长');
    const created = await owner.post('/api/orgs', { kind: 'brand', name: '待审核品牌' });
    expect(created.status, created.body).toBe(201);
    const orgId = created.json().org.id as string;
    const page = await pageAs(owner, { width: 390, height: 844 });
    await page.goto(`${base}/orgs/${orgId}`);
    const notice = page.locator('[data-testid="brand-not-selling"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.innerText()).toContain('商品不会上架');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('brand-pending-notice-phone'), fullPage: true, animations: 'disabled' });
    await page.context().close();
  });
});
