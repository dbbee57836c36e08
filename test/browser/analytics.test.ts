// Live numbers in Chromium (docs/ANALYTICS.md): the big screen on a 1920×1080 wall and on a phone, with its
// figures equal to the orders table's sums to the fen after a partial refund; a viewer's product click
// counted; then the live ends and the review shows the same sums, prints, and exports them as CSV.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import type { TestServer } from '../helpers/server.ts';
import { ordersTruth, setLiveStatus } from '../helpers/orders-truth.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');


/** Every `data-figure` on the page with its raw integer. */
async function figuresOn(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-figure]')].map((e) => [e.getAttribute('data-figure')!, Number(e.getAttribute('data-value'))])));
}

type Truth = Awaited<ReturnType<typeof ordersTruth>>;
const matches = (f: Record<string, number>, t: Truth) =>
  f['gmv.placedFen'] === t.placedFen && f['gmv.paidFen'] === t.paidFen && f['gmv.refundedFen'] === t.refundedFen && f['gmv.netFen'] === t.netFen && f['orders.placed'] === t.placed && f['orders.paid'] === t.paid;

/** Fen as yuan with two decimals, by integer arithmetic. */
const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

describe.skipIf(!chromiumAvailable.ok)('the big screen and the review, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', realTime: true });

  it('shows the orders table’s sums on the wall and the phone, and in the review, print and CSV once ended', async () => {
    const { server, base } = suite;
    const s = await shop(server);
    await setLiveStatus(server, s.sessionId, 'live');
    expect((await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id })).status).toBe(200);

    // A viewer opens a product's card in the 小黄车: one click counted.
    const viewerPage = await suite.pageAs(s.buyer.client, { width: 390, height: 844 });
    await viewerPage.goto(`${base}/watch/${s.sessionId}`);
    await viewerPage.locator('[data-testid="room-panel"]').waitFor({ timeout: 15_000 });
    await viewerPage.click('[data-testid="cart-button"]');
    await viewerPage.locator(`[data-testid="cart-product"][data-product-id="${s.butterfly.id}"] [data-testid="cart-product-open"]`).click();
    await viewerPage.locator('[data-testid="product-detail"]').waitFor();
    await waitFor(async () => {
      const rows = await server.database.db.selectFrom('live_product_clicks').select(['product_id', 'clicks']).where('session_id', '=', s.sessionId).execute();
      return rows.length === 1 && rows[0]!.product_id === s.butterfly.id && Number(rows[0]!.clicks) === 1;
    });
    await viewerPage.context().close();

    // Three buyers: two pay (one is partly refunded), one leaves the order unpaid.
    const order = async (buyer: { client: typeof s.buyer.client; addressId: string }, productId: string, skuId: string, quantity: number) => {
      const res = await buyer.client.post('/api/orders', { items: [{ productId, skuId, quantity }], sessionId: s.sessionId, addressId: buyer.addressId }, { 'idempotency-key': `an-${tag()}` });
      expect(res.status).toBe(201);
      return res.json().order as { id: string; totalFen: number };
    };
    const first = await order(s.buyer, s.butterfly.id, s.butterfly.skus[0]!.id, 2);
    await payInSandbox(server, s.buyer.client, first.id);
    const second = await newBuyer(server);
    const big = await order(second, s.butterfly.id, s.butterfly.skus[1]!.id, 1);
    await payInSandbox(server, second.client, big.id);
    const third = await newBuyer(server);
    await order(third, s.mooncake.id, s.mooncake.skus[0]!.id, 1);
    const afterSale = (await s.buyer.client.post(`/api/orders/${first.id}/after-sales`, { kind: 'refund_only', amountFen: 1000, reason: '价保差价' })).json().afterSale;
    expect((await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${afterSale.id}/approve`, { reason: '同意' })).status).toBe(200);
    const truth = await waitFor(async () => {
      const t = await ordersTruth(server, s.sessionId);
      return t.refundedFen === 1000 ? t : null;
    });
    expect(truth).toMatchObject({ placed: 3, paid: 2 });
    expect(truth.netFen).toBe(first.totalFen + big.totalFen - 1000);

    // The streamer finds the live in 直播数据 and opens its big screen on the wall.
    const wall = await suite.pageAs(s.host.client, { width: 1920, height: 1080 });
    await wall.goto(`${base}/analytics`);
    await wall.locator(`[data-testid="analytics-session"][data-session-id="${s.sessionId}"] [data-testid="analytics-screen-link"]`).click();
    await wall.waitForURL(`${base}/analytics/sessions/${s.sessionId}/screen`);
    const onWall = await waitFor(async () => {
      const f = await figuresOn(wall);
      return matches(f, truth) ? f : null;
    }, 15_000);
    expect(onWall).toMatchObject({ units: 3, buyers: 2 });
    expect(await wall.locator('[data-testid="top-products"] li').first().getAttribute('data-product-id')).toBe(s.butterfly.id);
    expect(await wall.locator('[data-testid="curve"] [data-testid="curve-marker"][data-kind="pin"]').count()).toBe(1);
    expect(await wall.locator('[data-figure="gmv.paidFen"] .an-stat-value').innerText()).toBe(`¥${yuan(truth.paidFen)}`);
    // One wall-sized view: nothing scrolls.
    expect(await wall.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // It keeps polling: a new paid order shows up without a reload.
    const fourth = await newBuyer(server);
    const late = await order(fourth, s.butterfly.id, s.butterfly.skus[0]!.id, 1);
    await payInSandbox(server, fourth.client, late.id);
    const truthLater = await ordersTruth(server, s.sessionId);
    await waitFor(async () => matches(await figuresOn(wall), truthLater), 15_000);
    await wall.screenshot({ path: screenshotPath('bigscreen-wall') });

    // On a phone: stacked, no sideways scrolling, the same figures.
    const phone = await suite.pageAs(s.host.client, { width: 390, height: 844 });
    await phone.goto(`${base}/analytics/sessions/${s.sessionId}/screen`);
    await waitFor(async () => matches(await figuresOn(phone), truthLater), 15_000);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: screenshotPath('bigscreen-phone'), fullPage: true });
    await phone.context().close();

    // No review while live: the server's message and a way to the big screen.
    await wall.goto(`${base}/analytics/sessions/${s.sessionId}/review`);
    const notEnded = wall.locator('[data-testid="analytics-error"][data-code="ANALYTICS_NOT_ENDED"]');
    await notEnded.waitFor();
    expect(await notEnded.innerText()).toContain('直播结束后才能复盘');
    expect(await notEnded.locator('[data-testid="screen-link"]').getAttribute('href')).toBe(`/analytics/sessions/${s.sessionId}/screen`);

    // A stranger's brand sees the server's refusal.
    const other = await shop(server);
    const outsider = await suite.pageAs(other.owner, { width: 1280, height: 800 });
    await outsider.goto(`${base}/orgs/${other.orgId}/analytics/sessions/${s.sessionId}/screen`);
    await outsider.locator('[data-testid="analytics-error"][data-code="ANALYTICS_FORBIDDEN"]').waitFor();
    expect(await outsider.locator('[data-testid="analytics-error"]').innerText()).toContain('你无权查看这场直播的数据');
    await outsider.context().close();

    // The live ends; the review shows the same sums.
    await setLiveStatus(server, s.sessionId, 'ended');
    await wall.setViewportSize({ width: 1280, height: 900 });
    await wall.goto(`${base}/analytics/sessions/${s.sessionId}/review`);
    await wall.locator('[data-testid="review-figures"]').waitFor();
    const reviewed = await figuresOn(wall);
    expect(matches(reviewed, truthLater)).toBe(true);
    const row = wall.locator(`[data-testid="review-products"] tr[data-product-id="${s.butterfly.id}"]`);
    expect(await row.getAttribute('data-clicks')).toBe('1');
    expect(await wall.locator('[data-testid="review-funnel"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['view', 'click', 'order', 'paid']);
    expect(await wall.locator('[data-testid="review-funnel"] li[data-step="paid"]').getAttribute('data-count')).toBe('3');
    // The only ended live of its category here: the median's row gives no figures and says why (docs/ANALYTICS.md).
    const medianRow = wall.locator('[data-testid="review-comparison"] tr[data-row="median"]');
    await medianRow.waitFor();
    expect(await medianRow.getAttribute('data-too-few')).toBe('true');
    expect(await medianRow.locator('[data-testid="median-too-few"]').innerText()).toBe('同类目直播太少，无法对比：近 90 天只有 0 场其他直播，满 5 场才显示中位数');
    await wall.screenshot({ path: screenshotPath('review'), fullPage: true });

    // The printout: no site navigation or buttons.
    await wall.emulateMedia({ media: 'print' });
    expect(await wall.locator('.site-header').isVisible()).toBe(false);
    expect(await wall.locator('[data-testid="print"]').isVisible()).toBe(false);
    await wall.screenshot({ path: screenshotPath('review-print'), fullPage: true });
    await wall.emulateMedia({ media: 'screen' });

    // The CSV from the page's link: the same paid and net amounts, in yuan.
    const [download] = await Promise.all([wall.waitForEvent('download'), wall.click('[data-testid="csv-link"]')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(`成交金额（元）,${yuan(truthLater.paidFen)}`);
    expect(csv).toContain(`净成交金额（元）,${yuan(truthLater.netFen)}`);
    expect(csv).toContain(`退款金额（元）,${yuan(truthLater.refundedFen)}`);

    // The brand sees the live in its console's 直播数据 tab, and its review through the organisation.
    const brand = await suite.pageAs(s.owner, { width: 1280, height: 900 });
    await brand.goto(`${base}/orgs/${s.orgId}?tab=analytics`);
    await brand.locator(`[data-testid="analytics-session"][data-session-id="${s.sessionId}"] [data-testid="analytics-review-link"]`).click();
    await brand.waitForURL(`${base}/orgs/${s.orgId}/analytics/sessions/${s.sessionId}/review`);
    await brand.locator('[data-testid="review-figures"]').waitFor();
    expect(matches(await figuresOn(brand), truthLater)).toBe(true);
    await brand.context().close();
    await wall.context().close();
  });
});
