import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', demo: true });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in as the demo streamer on a phone and sees the upcoming sessions, in zh-CN and in en', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${base}/login`);
    await page.fill('input[name="login"]', DEMO_ACCOUNTS.streamerFood.login);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('[data-testid="login-submit"]');

    await page.waitForSelector('[data-testid="session-card"]');
    await expect.poll(() => page.locator('[data-testid="section-upcoming"] [data-testid="session-card"]').count()).toBe(4);
    const upcoming = page.locator('[data-testid="section-upcoming"]');
    expect(await upcoming.innerText()).toContain('即将开播');
    expect(await upcoming.innerText()).toContain('老字号鲜肉月饼现烤直播：新品首发');
    expect(await page.locator('[data-testid="live-empty"]').isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.screenshot({ path: screenshotPath('foundation-home-zh-CN-phone'), fullPage: true });

    await page.click('[data-testid="lang-switch"]');
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('en');
    await expect.poll(() => upcoming.innerText(), { timeout: 10_000 }).toContain('Upcoming');
    // The titles are data, so they stay in Chinese; the interface around them changes.
    expect(await upcoming.innerText()).toContain('老字号鲜肉月饼现烤直播：新品首发');
    await page.screenshot({ path: screenshotPath('foundation-home-en-phone'), fullPage: true });

    // The language choice is saved on the account: the API now answers this user in English. The page
    // switches first and saves the choice just after (a PATCH of /api/me), so wait for the saved choice.
    const savedLocale = () => page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { user: { locale: string } }).user.locale);
    await expect.poll(savedLocale, { timeout: 10_000 }).toBe('en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the streamer console with the streamer's own sessions on a desktop", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/streamer`);
    await page.fill('input[name="login"]', DEMO_ACCOUNTS.streamerBeauty.login);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="own-session-row"]');
    // Two upcoming lives and three that have ended (one with orders settled in the demo ledger, one for 棉田家居, the
    // 五五购物节 warm-up live of the campaign demo).
    expect(await page.locator('[data-testid="own-session-row"]').count()).toBe(5);
    expect(await page.locator('[data-testid="streamer-profile"]').innerText()).toContain('310115********');
    await page.screenshot({ path: screenshotPath('foundation-streamer-console-desktop'), fullPage: true });
    await context.close();
  });

  it('shows a brand its own products with prices, and refuses another brand', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name="login"]', DEMO_ACCOUNTS.foodBrand.login);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.click('[data-testid="nav-org"]');
    await page.waitForSelector('[data-testid="product"]');
    const text = await page.locator('[data-testid="products"]').innerText();
    expect(text).toContain('德兴斋鲜肉月饼');
    expect(text).toMatch(/39\.80/);
    await page.screenshot({ path: screenshotPath('foundation-brand-console-desktop'), fullPage: true });

    const beauty = (await server.services.orgs.list()).find((o) => o.name === '玉兰凝肌')!;
    await page.goto(`${base}/orgs/${beauty.id}`);
    await page.waitForSelector('[data-testid="no-access"]');
    await context.close();
  });
});
