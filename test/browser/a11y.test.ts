import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** axe-core's serious and critical violations on the page as it is now, in a form that names what to fix. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      // Where, and for contrast the colours found: enough to fix it from the test's output alone.
      nodes: v.nodes.slice(0, 8).map((n) => {
        const data = n.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
        return data?.fgColor ? `${n.target.join(' ')} (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : n.target.join(' ');
      }),
    }));
}

describe.skipIf(!chromiumAvailable.ok)('accessibility and installability, in Chromium', { timeout: 240_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('the main pages have no serious or critical axe-core violations, for a viewer on a phone and for consoles on a desktop', async () => {
    const { server, base } = suite;
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions;
    const brandOrg = (await brand.get('/api/me/orgs')).json().memberships.map((m: { org: { id: string; kind: string } }) => m.org).find((o: { kind: string }) => o.kind === 'brand');
    expect(session?.id).toBeTruthy();
    expect(brandOrg?.id).toBeTruthy();

    // Each page: where it is, who looks at it, on which screen, and what shows it has rendered its content.
    const pages: { name: string; url: string; as: typeof viewer | null; viewport: typeof PHONE; ready: string }[] = [
      { name: 'home', url: '/', as: null, viewport: PHONE, ready: '[data-testid="section-live"]' },
      { name: 'login', url: '/login', as: null, viewport: PHONE, ready: 'form' },
      { name: 'watch', url: `/watch/${session.id}`, as: viewer, viewport: PHONE, ready: '[data-testid="watch-page"]' },
      { name: 'orders', url: '/orders', as: viewer, viewport: PHONE, ready: 'main h1, h1' },
      { name: 'streamer-console', url: '/streamer', as: host, viewport: DESKTOP, ready: 'h1' },
      { name: 'live-console', url: `/streamer/sessions/${session.id}/console`, as: host, viewport: DESKTOP, ready: '[data-testid="console-page"]' },
      { name: 'brand-console', url: `/orgs/${brandOrg.id}`, as: brand, viewport: DESKTOP, ready: 'h1' },
    ];
    const found: Record<string, unknown[]> = {};
    for (const spec of pages) {
      const page = spec.as ? await suite.pageAs(spec.as, spec.viewport) : await (await suite.browser.newContext({ viewport: spec.viewport, locale: 'zh-CN' })).newPage();
      await page.goto(`${base}${spec.url}`);
      await page.locator(spec.ready).first().waitFor({ timeout: 20_000 });
      // Data the page loads after its frame (lists, numbers) is in before axe looks.
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
      const violations = await seriousViolations(page);
      if (violations.length) found[spec.name] = violations;
      await page.screenshot({ path: screenshotPath(`a11y-${spec.name}`) });
      await page.context().close();
    }
    expect(found).toEqual({});
  });

  it('can be added to a home screen: a web app manifest with icons that are the PNGs of the sizes it names', async () => {
    const { base } = suite;
    const page = await (await suite.browser.newContext({ viewport: PHONE, locale: 'zh-CN' })).newPage();
    await page.goto(`${base}/`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const response = await page.request.get(new URL(href!, base).toString());
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/application\/manifest\+json|application\/json/);
    const manifest = await response.json();
    expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' });
    expect(manifest.name).toContain('直播');
    const purposes = new Set<string>();
    for (const icon of manifest.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
      const file = await page.request.get(new URL(icon.src, base).toString());
      expect(file.status(), icon.src).toBe(200);
      const meta = await sharp(await file.body()).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
      expect(`image/${meta.format}`).toBe(icon.type);
      purposes.add(icon.purpose);
    }
    // Chromium offers installation with a 192 and a 512 icon; Android masks a "maskable" one to its own shape.
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(purposes).toContain('maskable');
    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect((await page.request.get(new URL(touchIcon!, base).toString())).status()).toBe(200);
    await page.context().close();
  });
});
