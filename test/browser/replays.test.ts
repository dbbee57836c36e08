import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { waitUntil } from '../helpers/publisher.ts';
import { newBuyer } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

type Chapter = { productId: string; title: string; startS: number; endS: number };

const video = (page: Page) => page.locator('[data-testid="replay-player"] video');
const playback = (page: Page) => video(page).evaluate((v: HTMLVideoElement) => ({ time: v.currentTime, paused: v.paused }));

/** The replay is at `seconds` (± 2 s) and moving. */
async function playingAt(page: Page, seconds: number, what: string) {
  // The reading that found it playing is the one checked: a second reading on a slow machine may be seconds later.
  let first = { time: Number.NaN, paused: true };
  await waitUntil(async () => {
    first = await playback(page);
    return !first.paused && Math.abs(first.time - seconds) <= 2;
  }, 20_000, `${what}: the replay playing near ${seconds} s`);
  expect(Math.abs(first.time - seconds)).toBeLessThanOrEqual(2);
  await waitUntil(async () => (await playback(page)).time > first.time + 0.3, 10_000, `${what}: the replay moving on`);
}

describe.skipIf(!chromiumAvailable.ok)('replays with product chapters, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('opens a demo replay at a product’s chapter, jumps to another with 看讲解, and buys from the replay’s product list', async () => {
    const { server, base, pageAs } = suite;
    const db = server.database.db;
    const replay = await db.selectFrom('live_sessions').select(['id', 'title']).where('replay_status', '=', 'ready').where('title', 'like', '%月饼%').executeTakeFirstOrThrow();
    const { chapters } = (await server.client().get(`/api/sessions/${replay.id}/chapters`)).json() as { chapters: Chapter[] };
    expect(chapters.length).toBeGreaterThanOrEqual(3);
    const [, second, third] = chapters as [Chapter, Chapter, Chapter];

    const buyer = await newBuyer(server);
    const page = await pageAs(buyer.client, { width: 390, height: 844 });
    await page.goto(`${base}/watch/${replay.id}?chapter=${second.productId}`);
    await page.locator('[data-testid="replay-shop"] [data-testid="replay-product"]').first().waitFor({ timeout: 15_000 });
    await playingAt(page, second.startS, 'opened at the chapter');
    // The strip shows every chapter; the product being explained is marked in the list.
    expect(await page.locator('[data-testid="replay-chapter"]').count()).toBe(chapters.length);
    await page.locator(`[data-testid="replay-product"][data-product-id="${second.productId}"] .pinned-badge`).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: screenshotPath('replays-chapter-phone') });
    // The chapters and the product list pass axe-core (serious and critical, WCAG 2.1 AA).
    const axe = await new AxeBuilder({ page }).include('[data-testid="replay-shop"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // 看讲解 on the third product jumps there.
    await page.locator(`[data-testid="replay-product"][data-product-id="${third.productId}"] [data-testid="replay-watch-explanation"]`).click();
    await playingAt(page, third.startS, '看讲解');

    // Buy the explained product from the replay's list: the order is the replay's session's, at the regular price.
    const product = page.locator(`[data-testid="replay-product"][data-product-id="${second.productId}"]`);
    await product.locator('[data-testid="replay-buy"]').click();
    const sheet = page.locator('[data-testid="buy-sheet"]');
    await sheet.waitFor();
    expect(page.url()).toBe(`${base}/watch/${replay.id}?chapter=${second.productId}`);
    await page.locator('[data-testid="quote"][data-ready="true"]').waitFor({ timeout: 10_000 });
    if (await page.locator('[data-testid="confirm-no-return"]').count()) await page.check('[data-testid="confirm-no-return"]');
    await page.screenshot({ path: screenshotPath('replays-buy-sheet-phone') });
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//, { timeout: 15_000 }), page.click('[data-testid="submit-order"]')]);
    const orders = (await buyer.client.get('/api/orders')).json().orders as { id: string }[];
    expect(orders).toHaveLength(1);
    const order = (await buyer.client.get(`/api/orders/${orders[0]!.id}`)).json().order;
    expect(order).toMatchObject({ sessionId: replay.id, items: [{ productId: second.productId }] });
    const sku = await db.selectFrom('skus').select('price_fen').where('id', '=', order.items[0].skuId).executeTakeFirstOrThrow();
    // A new buyer has no coupon: one at the list price, not the live price (live prices end with the live).
    expect(order.items[0]).toMatchObject({ quantity: 1, paidFen: sku.price_fen });
    await page.context().close();
  });

  it('starts a replay at ?t=, and links a product card on the brand page to its explanation', async () => {
    const { server, base, browser } = suite;
    const replay = await server.database.db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('replay_status', '=', 'ready').where('title', 'like', '%家居%').executeTakeFirstOrThrow();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(`${base}/watch/${replay.id}?t=30`);
    await playingAt(page, 30, '?t=30');

    const { chapters } = (await server.client().get(`/api/sessions/${replay.id}/chapters`)).json() as { chapters: Chapter[] };
    const last = chapters.at(-1)!;
    await page.goto(`${base}/brands/${replay.brand_org_id}`);
    const link = page.locator(`[data-testid="product-card"][data-product-id="${last.productId}"] [data-testid="explanation-link"]`);
    await link.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('replays-brand-product-link-phone') });
    await link.click();
    await page.waitForURL(new RegExp(`/watch/${replay.id}\\?chapter=${last.productId}$`));
    await playingAt(page, last.startS, 'from the brand page');
    await page.close();
  });
});
