// The API docs page (docs/API.md#openapi) in Chromium, under the app's own Content-Security-Policy:
// Swagger UI from local assets renders the generated document's operations, grouped by domain.
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { waitFor } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('the API docs page, in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite' });

  it('renders the operations of the generated document, with no CSP violation or outside request', async () => {
    const { base } = suite;
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    const response = await page.goto(`${base}/api/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.title()).toBe('Zhibo API');
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Zhibo API');
    await page.locator('.opblock').first().waitFor();
    // Operations grouped by domain; Swagger UI renders only those near the viewport, so scroll down to the open platform's.
    await waitFor(async () => (await page.locator('.opblock').count()) > 5);
    expect(await page.locator('.opblock-tag[data-tag="accounts"]').count()).toBe(1);
    const createKey = page.locator('.opblock-post', { has: page.locator('[data-path="/api/orgs/{orgId}/api-keys"]') });
    await waitFor(async () => {
      if ((await createKey.count()) > 0) return true;
      await page.mouse.wheel(0, 600);
      return false;
    }, 30_000);
    await createKey.first().scrollIntoViewIfNeeded();
    await createKey.first().locator('.opblock-summary').click();
    await createKey.first().locator('.opblock-body').waitFor();
    expect(await createKey.first().locator('.opblock-body').innerText()).toContain('scopes');
    await createKey.first().evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: screenshotPath('api-docs') });
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
