import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { streamer } from '../helpers/people.ts';
import type { TestClient } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

type Brand = { id: string; name: string } | null;

/**
 * The streamer console's brand picker (选择品牌, docs/VIDEO.md "Naming a brand"): the create-a-live form and the session
 * page's 直播品牌 card list the brands the streamer may name (GET /api/streamer/live-brands), the live shows the one it
 * names, it can be changed and cleared while scheduled, the server's LIVE_BRAND_NOT_PARTNER is shown as it says it,
 * and a streamer with no brand sees how to get one — on a desktop and on a phone.
 */
describe.skipIf(!chromiumAvailable.ok)('streamer console: naming a brand on a live, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return Object.assign(client, { userId: user.id });
  };

  async function pageFor(client: TestClient, viewport: typeof DESKTOP, phone = false): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(phone ? { isMobile: true, hasTouch: true } : {}) });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: suite.base }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }

  const optionsOf = (page: Page, scope: string) => () => page.locator(`${scope} [data-testid="live-brand-select"] option`).allInnerTexts();
  const brandOf = async (client: TestClient, id: string) => (await client.get(`/api/streamer/live-sessions/${id}`)).json().session.brand as Brand;
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  async function openNewForm(page: Page) {
    await page.goto(`${suite.base}/streamer`);
    await page.locator('[data-testid="new-session"]').click();
    const form = page.locator('[data-testid="new-session-form"]');
    await form.waitFor({ timeout: 10_000 });
    return form;
  }

  it('a brand member picks her brand, the session page shows it, she changes and clears it, and a refusal is shown', async () => {
    const server = suite.server;
    const food = await login('streamerFood');
    const orgs = await server.services.orgs.list();
    const foodBrand = orgs.find((o) => o.name === '德兴斋')!;
    const beautyBrand = orgs.find((o) => o.name === '玉兰凝肌')!;
    // In the demo 小林说吃 streams for 德兴斋 (its member) and has an approved 带货申请 with 玉兰凝肌.
    const namable = (await food.get('/api/streamer/live-brands')).json().brands as { id: string; name: string; via: string }[];
    expect(namable).toEqual([
      { id: foodBrand.id, name: '德兴斋', via: 'member' },
      { id: beautyBrand.id, name: '玉兰凝肌', via: 'cooperation' },
    ]);

    const { page, errors } = await pageFor(food, DESKTOP);
    const form = await openNewForm(page);
    await expect.poll(optionsOf(page, '[data-testid="new-session-form"]'), { timeout: 10_000 }).toEqual(['不关联品牌', '德兴斋（品牌成员）', '玉兰凝肌（带货申请已通过）']);
    expect(await form.locator('[data-testid="live-brand-select"]').inputValue()).toBe('');
    const title = '小林说吃 德兴斋秋季专场';
    await form.locator('input[name="title"]').fill(title);
    await form.locator('[data-testid="live-brand-select"]').selectOption(foodBrand.id);
    await page.screenshot({ path: screenshotPath('streamer-brand-create-desktop'), fullPage: true, animations: 'disabled' });
    await form.locator('[data-testid="new-session-submit"]').click();

    // The new live's page names 德兴斋, and so does the server.
    await page.waitForURL(/\/streamer\/sessions\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const sessionId = page.url().split('/').pop()!;
    const shown = page.locator('[data-testid="session-brand"]');
    await expect.poll(() => shown.innerText(), { timeout: 10_000 }).toBe('德兴斋');
    expect(await brandOf(food, sessionId)).toEqual({ id: foodBrand.id, name: '德兴斋' });
    expect(await page.locator('[data-testid="session-title"]').innerText()).toBe(title);
    const card = page.locator('[data-testid="session-brand-form"]');
    const select = card.locator('[data-testid="live-brand-select"]');
    await expect.poll(optionsOf(page, '[data-testid="session-brand-form"]'), { timeout: 10_000 }).toEqual(['不关联品牌', '德兴斋（品牌成员）', '玉兰凝肌（带货申请已通过）']);
    expect(await select.inputValue()).toBe(foodBrand.id);
    // Nothing changed yet: nothing to save.
    expect(await card.locator('[data-testid="session-brand-save"]').isDisabled()).toBe(true);

    // Another brand she may name.
    await select.selectOption(beautyBrand.id);
    await card.locator('[data-testid="session-brand-save"]').click();
    await card.locator('[data-testid="form-success"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => shown.innerText()).toBe('玉兰凝肌');
    expect(await brandOf(food, sessionId)).toEqual({ id: beautyBrand.id, name: '玉兰凝肌' });

    // Cleared: the live names no brand.
    await select.selectOption('');
    await card.locator('[data-testid="session-brand-save"]').click();
    await expect.poll(() => shown.innerText(), { timeout: 10_000 }).toBe('未关联品牌');
    expect(await brandOf(food, sessionId)).toBeNull();
    expect(await select.inputValue()).toBe('');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('streamer-brand-session-desktop'), fullPage: true, animations: 'disabled' });

    // The picker offered 德兴斋 when the page loaded; she leaves the brand before saving. The server refuses, the card
    // shows its message, and the live still names no brand.
    await select.selectOption(foodBrand.id);
    await server.database.db.deleteFrom('org_members').where('org_id', '=', foodBrand.id).where('user_id', '=', food.userId).execute();
    await card.locator('[data-testid="session-brand-save"]').click();
    const refusal = card.locator('[data-testid="form-error"][data-code="LIVE_BRAND_NOT_PARTNER"]');
    await refusal.waitFor({ timeout: 10_000 });
    expect((await refusal.innerText()).trim()).toContain('主播与该品牌没有合作关系');
    expect(await brandOf(food, sessionId)).toBeNull();
    expect(await shown.innerText()).toBe('未关联品牌');
    await refusal.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('streamer-brand-refused-desktop'), animations: 'disabled' });
    const rejoin = () => server.database.db.insertInto('org_members').values({ org_id: foodBrand.id, user_id: food.userId, role: 'streamer', created_at: new Date().toISOString() }).execute();
    await rejoin();

    // The same in the create-a-live form: the refusal is shown there, and no live is created.
    const before = (await food.get('/api/streamer/live-sessions')).json().sessions.length as number;
    const again = await openNewForm(page);
    await expect.poll(optionsOf(page, '[data-testid="new-session-form"]'), { timeout: 10_000 }).toContain('德兴斋（品牌成员）');
    await again.locator('input[name="title"]').fill('小林说吃 不该署名的专场');
    await again.locator('[data-testid="live-brand-select"]').selectOption(foodBrand.id);
    await server.database.db.deleteFrom('org_members').where('org_id', '=', foodBrand.id).where('user_id', '=', food.userId).execute();
    await again.locator('[data-testid="new-session-submit"]').click();
    await again.locator('[data-testid="form-error"][data-code="LIVE_BRAND_NOT_PARTNER"]').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/streamer');
    expect((await food.get('/api/streamer/live-sessions')).json().sessions.length).toBe(before);
    // Given back, so the demo is as it was for the next steps.
    await rejoin();

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on a phone: the picker fits, and a live created with her brand shows it', async () => {
    const beauty = await login('streamerBeauty');
    const beautyBrand = (await suite.server.services.orgs.list()).find((o) => o.name === '玉兰凝肌')!;
    const { page, errors } = await pageFor(beauty, PHONE, true);
    const form = await openNewForm(page);
    await expect.poll(optionsOf(page, '[data-testid="new-session-form"]'), { timeout: 10_000 }).toEqual(['不关联品牌', '玉兰凝肌（品牌成员）']);
    await form.locator('input[name="title"]').fill('阿May 玉兰凝肌护肤课');
    await form.locator('[data-testid="live-brand-select"]').selectOption(beautyBrand.id);
    const box = await form.locator('[data-testid="live-brand-select"]').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await form.locator('[data-testid="live-brand-field"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('streamer-brand-create-phone'), animations: 'disabled' });
    await form.locator('[data-testid="new-session-submit"]').click();

    await page.waitForURL(/\/streamer\/sessions\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const card = page.locator('[data-testid="session-brand-card"]');
    await expect.poll(() => card.locator('[data-testid="session-brand"]').innerText(), { timeout: 10_000 }).toBe('玉兰凝肌');
    expect(await card.locator('[data-testid="live-brand-select"]').inputValue()).toBe(beautyBrand.id);
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('streamer-brand-session-phone'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a streamer with no brand sees how to get one, in zh-CN and in English', async () => {
    const fresh = await streamer(suite.server);
    expect((await fresh.client.get('/api/streamer/live-brands')).json().brands).toEqual([]);
    const { page, errors } = await pageFor(fresh.client, PHONE, true);
    const form = await openNewForm(page);
    const empty = form.locator('[data-testid="live-brand-empty"]');
    await empty.waitFor({ timeout: 10_000 });
    expect(await optionsOf(page, '[data-testid="new-session-form"]')()).toEqual(['不关联品牌']);
    expect(await empty.innerText()).toContain('成为品牌的主播成员');
    expect(await empty.innerText()).toContain('带货申请');
    expect(await empty.locator('a').getAttribute('href')).toBe('/streamer?tab=square');
    expect(await sideways(page)).toBeLessThanOrEqual(PHONE.width);
    await form.locator('[data-testid="live-brand-field"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('streamer-brand-empty-phone'), animations: 'disabled' });

    expect((await fresh.client.patch('/api/me', { locale: 'en' })).status).toBe(200);
    const english = await openNewForm(page);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('en');
    const emptyEn = english.locator('[data-testid="live-brand-empty"]');
    await emptyEn.waitFor({ timeout: 10_000 });
    expect(await emptyEn.innerText()).toContain('join a brand as its streamer');
    expect(await optionsOf(page, '[data-testid="new-session-form"]')()).toEqual(['No brand']);
    await english.locator('[data-testid="live-brand-field"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('streamer-brand-empty-phone-en'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
