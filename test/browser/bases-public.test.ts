// A base's public page in Chromium (docs/BASES.md, "The public page"): a visitor who is not logged in finds the demo
// base in /bases on a phone, opens its page and sees its name, photos, studios with their prices and equipment,
// tenants and coming events (no axe-core serious violations, nothing wider than the screen); 预约直播间 leads to the
// login page, and logging in there as the demo MCN lands on its 预订直播间 with the base picked. On a desktop the
// page has two columns, and the base's console links to it (公开主页). Screenshots of both.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Every image in the selector has loaded (decoded, with a width). */
async function imagesLoaded(page: Page, selector: string, width?: number) {
  await page.waitForFunction(
    ([sel, w]) => {
      const images = [...document.querySelectorAll(sel)] as HTMLImageElement[];
      return images.length > 0 && images.every((img) => img.complete && (w ? img.naturalWidth === w : img.naturalWidth > 0));
    },
    [selector, width ?? 0] as const,
    { timeout: 15_000 },
  );
}

describe.skipIf(!chromiumAvailable.ok)('bases: the public page in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const demoBaseId = async () => (await suite.server.database.db.selectFrom('organisations').select('id').where('name', '=', '虹桥直播电商基地').executeTakeFirstOrThrow()).id;

  it('on a phone, logged out: the list, the base’s page with its photos and studio prices; 预约直播间 → login → the MCN’s 预订直播间 with the base picked', async () => {
    const baseId = await demoBaseId();
    const context = await suite.browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The list of bases: the demo base with its cover thumbnail, linking to its page.
    await page.goto(`${suite.base}/bases`);
    const item = page.locator(`[data-testid="public-bases-item"][data-base-id="${baseId}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain('7 个直播间');
    await imagesLoaded(page, `[data-base-id="${baseId}"] img`, 240);
    await page.screenshot({ path: screenshotPath('bases-public-list-phone') });
    await item.locator('a').click();
    await page.waitForURL(`${suite.base}/bases/${baseId}`);

    await page.locator('[data-testid="public-base-name"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="public-base-name"]').innerText()).toBe('虹桥直播电商基地');
    // The cover and the profile's three photos (240×240 thumbnails from the pipeline).
    await imagesLoaded(page, '[data-testid="public-base-cover"]');
    expect(await page.locator('[data-testid="public-base-photos"] img').count()).toBe(3);
    await imagesLoaded(page, '[data-testid="public-base-photos"] img', 240);

    // Seven public studios (not H9), each with its price per hour; A1 with its photo and equipment.
    const studios = page.locator('[data-testid="public-base-studio"]');
    expect(await studios.count()).toBe(7);
    expect(await page.locator('[data-testid="public-base-studios"]').innerText()).not.toContain('H9');
    const a1 = studios.filter({ hasText: 'A1 美妆直播间' });
    expect(await a1.locator('[data-testid="public-base-studio-price"]').innerText()).toBe('¥300.00/小时');
    expect(await a1.innerText()).toContain('容纳 6 人');
    expect(await a1.locator('[data-testid="public-base-studio-equipment"] li').allInnerTexts()).toEqual(['4K 摄像机 ×2', '环形补光灯', '提词器', '声卡与领夹麦']);
    await imagesLoaded(page, '[data-testid="public-base-studio-photos"] img', 240);
    expect(await page.locator('[data-testid="public-base-studio-photos"] img').count()).toBe(3);

    // The rule, tenants (the one whose lease ended is not there), coming events, figures.
    expect(await page.locator('[data-testid="public-base-rule"]').innerText()).toBe('开播前 24 小时以上取消免费，之后收取租用费的 50%');
    const tenants = await page.locator('[data-testid="public-base-tenant-name"]').allInnerTexts();
    expect(tenants).toContain('星火互娱 MCN');
    expect(tenants).not.toContain('旧城电商（已退租）');
    // Each marked: 星火互娱 confirmed its tenancy (已确认); 蓝海直播 is the base's word only (基地自填).
    const mark = (name: string) => page.locator('[data-testid="public-base-tenant"]', { hasText: name });
    expect(await mark('星火互娱 MCN').getAttribute('data-confirmation')).toBe('confirmed');
    expect(await mark('星火互娱 MCN').innerText()).toContain('已确认');
    expect(await mark('蓝海直播').getAttribute('data-confirmation')).toBe('self_declared');
    expect(await mark('蓝海直播').innerText()).toContain('基地自填');
    expect((await page.locator('[data-testid="public-base-event"]').allInnerTexts()).map((e) => e.split('\n')[0])).toEqual(['品牌直播招商对接会', '直播基地开放日']);
    expect(await page.locator('[data-testid="public-base-figure-studios"]').innerText()).toBe('7');
    expect(Number(await page.locator('[data-testid="public-base-figure-lives"]').innerText())).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="public-base-cta"]').innerText()).toContain('¥200.00/小时起');

    // Nothing wider than the phone, and no serious or critical accessibility violations.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const violations = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // The call to action stays at the foot of the screen, at the top of the page and further down (the header's is for desktops).
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.locator('[data-testid="public-base-book-hero"]').isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath('bases-public-phone') });
    const bottomOf = async () => (await page.locator('[data-testid="public-base-book"]').boundingBox())!;
    expect((await bottomOf()).y + (await bottomOf()).height).toBeLessThanOrEqual(PHONE.height);
    await page.locator('[data-testid="public-base-studio"]').nth(3).scrollIntoViewIfNeeded();
    expect((await bottomOf()).y + (await bottomOf()).height).toBeLessThanOrEqual(PHONE.height);
    expect((await bottomOf()).y).toBeGreaterThan(PHONE.height - 120);
    // The whole page, with the bar in its own place at the end (a full-page capture would otherwise paint it mid-page).
    await page.screenshot({ path: screenshotPath('bases-public-phone-full'), fullPage: true, style: '.base-public-cta { position: static !important; }' });

    // 预约直播间, logged out → the login page, which returns to the booking once logged in.
    await page.locator('[data-testid="public-base-book"]').click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/bases/${baseId}/book`);
    await page.locator('[data-testid="login-form"]').waitFor();
    await page.screenshot({ path: screenshotPath('bases-public-login-phone') });
    await page.locator('input[name="login"]').fill(DEMO_ACCOUNTS.mcn.login);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('[data-testid="login-submit"]').click();
    // The demo MCN books as 星火互娱 MCN: its console's 预订直播间, with this base picked.
    await page.waitForURL((url) => url.pathname.startsWith('/orgs/') && url.searchParams.get('tab') === 'bookStudios', { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('base')).toBe(baseId);
    await page.locator('[data-testid="book-base"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="book-base"]').inputValue()).toBe(baseId);
    await page.locator('[data-testid="booking-form"]').waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a desktop: two columns, the same content; the base’s console links to it as 公开主页', async () => {
    const baseId = await demoBaseId();
    const context = await suite.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/bases/${baseId}`);
    await page.locator('[data-testid="public-base-studio"]').nth(6).waitFor({ timeout: 15_000 });
    await imagesLoaded(page, '[data-testid="public-base-cover"]');
    await imagesLoaded(page, '[data-testid="public-base-photos"] img', 240);
    // The studios and the side column (info, events, tenants) side by side; studios two by two.
    const main = (await page.locator('.base-public-main').boundingBox())!;
    const side = (await page.locator('.base-public-side').boundingBox())!;
    expect(side.x).toBeGreaterThan(main.x + main.width - 1);
    const [first, second] = [(await page.locator('[data-testid="public-base-studio"]').nth(0).boundingBox())!, (await page.locator('[data-testid="public-base-studio"]').nth(1).boundingBox())!];
    expect(Math.abs(first.y - second.y)).toBeLessThan(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // 预约直播间 sits in the header (no bar at the foot of the screen), to the login page for a visitor.
    const book = page.locator('[data-testid="public-base-book-hero"]');
    expect(await book.isVisible()).toBe(true);
    expect(await page.locator('[data-testid="public-base-cta"]').isVisible()).toBe(false);
    expect(await book.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`/bases/${baseId}/book`)}`);
    await page.screenshot({ path: screenshotPath('bases-public-desktop'), fullPage: true });
    await context.close();

    // The base's owner finds the link in the console and opens it.
    const owner = suite.server.client();
    await owner.login(DEMO_ACCOUNTS.base.login, DEMO_PASSWORD);
    const consolePage = await suite.pageAs(owner, DESKTOP);
    consolePage.on('pageerror', (e) => errors.push(e.message));
    await consolePage.goto(`${suite.base}/orgs/${baseId}?tab=studios`);
    const link = consolePage.locator('[data-testid="base-public-link"]');
    await link.waitFor({ timeout: 15_000 });
    expect(await link.innerText()).toBe('公开主页');
    expect(await consolePage.locator('[data-testid="base-public-share"]').innerText()).toContain(`${suite.base}/bases/${baseId}`);
    await consolePage.screenshot({ path: screenshotPath('bases-public-console-link') });
    await link.click();
    await consolePage.waitForURL(`${suite.base}/bases/${baseId}`);
    expect(await consolePage.locator('[data-testid="public-base-name"]').innerText()).toBe('虹桥直播电商基地');
    expect(errors).toEqual([]);
    await consolePage.context().close();
  });
});
