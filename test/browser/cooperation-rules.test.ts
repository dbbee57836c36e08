import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * The square's rules in the demo (docs/COOPERATION.md): 小林说吃 sees on each offer card whether she meets its
 * requirements (she has sold 食品, not 美妆); 玉兰凝肌 revokes her approval for the 面霜 in 带货申请 with a reason; it
 * leaves her scheduled 蝴蝶酥 live's 小黄车, and 我的带货 shows it revoked with the reason.
 */
describe.skipIf(!chromiumAvailable.ok)('cooperation rules: eligibility on the card, revoking an approval, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return Object.assign(client, { userId: user.id });
  };
  type Client = Awaited<ReturnType<typeof login>>;

  async function open(client: Client, url: string, viewport: { width: number; height: number }) {
    const page = await pageAs(client, viewport);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}${url}`);
    return { page, errors };
  }
  const shot = async (page: Page, name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath(name), fullPage: true, animations: 'disabled' });
  };

  it('shows each requirement met or not, and a revoked approval to the brand and the streamer', async () => {
    const db = suite.server.database.db;
    const food = await login('streamerFood');
    const brand = await login('beautyBrand');
    const brandOrg = ((await brand.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === 'brand')!.org.id;
    const offers = (await food.get('/api/offers?pageSize=100')).json().offers as { id: string; product: { id: string; title: string } }[];
    const serum = offers.find((o) => o.product.title === '玉兰凝肌焕亮精华液')!;
    const mooncake = offers.find((o) => o.product.title === '德兴斋鲜肉月饼')!;
    const cream = offers.find((o) => o.product.title === '玉兰凝肌舒缓面霜')!;

    // --- 选品广场 on her phone: the 精华液 asks for 美妆 (not met), the 鲜肉月饼 for 食品 (met) ---
    {
      const { page, errors } = await open(food, '/streamer?tab=square', PHONE);
      const serumCard = page.locator(`[data-testid="offer-card"][data-offer-id="${serum.id}"]`);
      await serumCard.waitFor({ timeout: 15_000 });
      const unmet = serumCard.locator('[data-testid="offer-eligibility"]');
      expect(await unmet.getAttribute('data-met')).toBe('false');
      expect(await unmet.innerText()).toContain('你暂未满足合作要求');
      expect(await unmet.locator('[data-testid="eligibility-categories"]').getAttribute('data-met')).toBe('false');
      expect(await unmet.locator('[data-testid="eligibility-categories"]').innerText()).toContain('带货过：美妆');
      expect(await unmet.locator('[data-testid="eligibility-categories"]').innerText()).toMatch(/你带货过的品类：[^美]*食品/);
      expect(await unmet.locator('[data-testid="eligibility-followers"]').getAttribute('data-met')).toBe('true');
      const met = page.locator(`[data-testid="offer-card"][data-offer-id="${mooncake.id}"] [data-testid="offer-eligibility"]`);
      expect(await met.getAttribute('data-met')).toBe('true');
      expect(await met.innerText()).toContain('你符合全部合作要求');
      // Applying anyway: the server's refusal, naming the requirement.
      await serumCard.locator('[data-testid="offer-apply"]').click();
      await serumCard.locator('[data-testid="apply-submit"]').click();
      const refusal = serumCard.locator('[data-testid="form-error"][data-code="REQUIREMENT_CATEGORIES"]');
      await refusal.waitFor({ timeout: 10_000 });
      expect((await refusal.innerText()).trim()).toMatch(/^该商品要求主播带货过以下品类之一：美妆（主播已带货品类：[^美]*食品[^美]*）$/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await serumCard.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('coop-rules-eligibility-phone'), animations: 'disabled' });
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // The 面霜 is in her scheduled 蝴蝶酥 live's 小黄车 at the agreed 18 %.
    const cartOf = () =>
      db
        .selectFrom('session_products')
        .innerJoin('live_sessions', 'live_sessions.id', 'session_products.session_id')
        .select(['session_products.product_id', 'session_products.commission_bps', 'live_sessions.status'])
        .where('live_sessions.streamer_id', '=', food.userId)
        .where('session_products.product_id', '=', cream.product.id)
        .execute();
    expect(await cartOf()).toEqual([{ product_id: cream.product.id, commission_bps: 1800, status: 'scheduled' }]);
    const application = ((await food.get('/api/me/cooperation/applications?status=approved')).json().applications as { id: string; productId: string }[]).find((a) => a.productId === cream.product.id)!;

    // --- 玉兰凝肌 revokes it in 带货申请, with a reason (a blank one is stopped in the page) ---
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=applications`, DESKTOP);
      await page.click('[data-testid="applications-filter-approved"]');
      const item = page.locator(`[data-testid="application"][data-application-id="${application.id}"][data-status="approved"]`);
      await item.waitFor({ timeout: 15_000 });
      await item.locator('[data-testid="application-revoke-open"]').click();
      await item.locator('[data-testid="application-revoke-submit"]').click();
      await item.locator('[data-testid="form-error"][data-code="CLIENT_INVALID"]').waitFor({ timeout: 5_000 });
      await item.locator('[data-testid="application-revoke-reason"]').fill('面霜改版，暂停跨品类带货');
      await item.locator('[data-testid="application-revoke-submit"]').click();
      await item.waitFor({ state: 'detached', timeout: 10_000 }); // it leaves the approved list
      await page.click('[data-testid="applications-filter-revoked"]');
      const revoked = page.locator(`[data-testid="application"][data-application-id="${application.id}"][data-status="revoked"]`);
      await revoked.waitFor({ timeout: 10_000 });
      expect(await revoked.locator('[data-testid="application-revoked-reason"]').innerText()).toBe('品牌已撤销合作：面霜改版，暂停跨品类带货');
      await shot(page, 'coop-rules-brand-revoked-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    // It left the scheduled live's 小黄车.
    expect(await cartOf()).toEqual([]);

    // --- 我的带货: revoked, with the reason and what it means ---
    {
      const { page, errors } = await open(food, '/streamer?tab=applications', PHONE);
      const item = page.locator(`[data-testid="application"][data-application-id="${application.id}"]`);
      await item.waitFor({ timeout: 15_000 });
      expect(await item.getAttribute('data-status')).toBe('revoked');
      expect(await item.locator('[data-testid="application-status"]').innerText()).toBe('已撤销');
      const note = item.locator('[data-testid="application-revoked"]');
      expect(await note.innerText()).toContain('面霜改版，暂停跨品类带货');
      expect(await note.innerText()).toContain('你可以重新申请');
      expect(await item.locator('[data-testid="application-revoked-at"]').count()).toBe(1);
      expect(await item.locator('[data-testid="application-cart-hint"]').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await shot(page, 'coop-rules-streamer-revoked-phone');
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
