import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { streamer as newStreamer } from '../helpers/people.ts';
import { payInSandbox } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const DAY = 86_400_000;

/** "¥1,234.56" / "-¥0.05" → fen, from the digits shown. */
function fenOf(text: string): number {
  const negative = /[-−]/.test(text);
  const digits = text.replace(/[^\d]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

/** Half up on integers, as the ledger rounds (docs/LEDGER.md). */
const share = (amount: number, bps: number) => Math.floor((amount * bps + 5000) / 10000);

/**
 * The "Done means" (issue 11): a brand lists an offer in its console; a streamer signed to the demo MCN finds it
 * in 选品广场 and applies; the brand approves; the streamer puts it in a live's 小黄车; a viewer buys and pays; the order
 * is shipped, delivered and completed; settlement runs; and the brand, the MCN, the streamer and the operator each see
 * that order's figures in their statements, agreeing to the fen with each other and with the ledger's postings.
 */
describe.skipIf(!chromiumAvailable.ok)('cooperation consoles: from an offer to four statements, in Chromium', { timeout: 240_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    const user = await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return Object.assign(client, { userId: user.id });
  };
  type Client = Awaited<ReturnType<typeof login>>;
  const orgOf = async (client: Client, kind: string) =>
    ((await client.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === kind)!.org.id;

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
  const noSideways = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  /** A refusal shown as the server said it: its code, and its zh-CN message. */
  async function expectRefusal(page: Page, scope: string, code: string) {
    const error = page.locator(`${scope} [data-testid="form-error"][data-code="${code}"]`);
    await error.waitFor({ timeout: 10_000 });
    const text = (await error.innerText()).trim();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(code);
    return text;
  }

  it('a brand lists, a signed streamer applies and sells, and all four statements agree to the fen', async () => {
    const server = suite.server;
    const brand = await login('beautyBrand');
    const brandOrg = await orgOf(brand, 'brand');
    const streamer = await login('streamerFood');
    const mcn = await login('mcn');
    const mcnOrg = await orgOf(mcn, 'mcn');
    const operator = await login('operator');
    const viewer = await login('viewer');

    // 小林说吃 is signed to 星火互娱: her contract in force (30 %), and a renewal offer waiting.
    const contracts = (await streamer.get('/api/me/mcn-contracts')).json().contracts as { id: string; mcn: { id: string }; state: string; splitBps: number }[];
    const inForce = contracts.find((c) => c.state === 'active' && c.mcn.id === mcnOrg)!;
    expect(inForce).toBeTruthy();
    const splitBps = inForce.splitBps;

    // A new product of the brand (every demo product is already in the square).
    const created = await brand.post(`/api/orgs/${brandOrg}/products`, { title: '玉兰凝肌修护眼霜', category: '美妆/护肤', returnPolicy: 'standard', skus: [{ spec: { 容量: '15g' }, priceFen: 12_800, stock: 100 }] });
    expect(created.status).toBe(201);
    const product = created.json().product as { id: string; skus: { id: string; priceFen: number }[] };

    // --- the brand lists it in 商品招商: a rate over 90 % is refused as the server says; 22.5 % is sent as 2250 ---
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=offers`, DESKTOP);
      await page.locator('[data-testid="tab-offers"][aria-selected="true"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="tab-offers"]').innerText()).toBe('商品招商');
      await page.locator('[data-testid="brand-offer"]').first().waitFor({ timeout: 10_000 });
      await page.locator('[data-testid="offer-new"]:not([disabled])').click();
      await page.selectOption('[data-testid="offer-product"]', product.id);
      await page.fill('[data-testid="offer-commission-input"]', '95');
      await page.fill('[data-testid="offer-floor-input"]', '99');
      await page.check('[data-testid="offer-samples-input"]');
      await page.fill('[data-testid="offer-max-input"]', '1');
      await page.fill('[data-testid="offer-note-input"]', '<b>新品</b> 眼霜，欢迎美食主播跨品类带货');
      await page.click('[data-testid="offer-save"]');
      const refused = await expectRefusal(page, '[data-testid="offer-form"]', 'COMMISSION_RATE_INVALID');
      expect(refused).toMatch(/佣金/);
      expect((await brand.get(`/api/orgs/${brandOrg}/offers`)).json().offers.some((o: { product: { id: string } }) => o.product.id === product.id)).toBe(false);
      await page.fill('[data-testid="offer-commission-input"]', '22.5');
      await page.click('[data-testid="offer-save"]');
      const row = page.locator(`[data-testid="brand-offer"][data-product-id="${product.id}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getAttribute('data-commission-bps')).toBe('2250');
      expect(await row.innerText()).toContain('22.5%');
      expect(await row.innerText()).toContain('<b>新品</b>');
      expect(await row.locator('b').count()).toBe(0);
      await shot(page, 'coop-brand-offers-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const offer = ((await brand.get(`/api/orgs/${brandOrg}/offers`)).json().offers as { id: string; product: { id: string }; commissionBps: number; priceFloorFen: number; samples: { available: boolean; maxPerStreamer: number } }[]).find((o) => o.product.id === product.id)!;
    expect(offer).toMatchObject({ commissionBps: 2250, priceFloorFen: 9900, samples: { available: true, maxPerStreamer: 1 } });

    // --- the streamer, on a phone: finds it in 选品广场, compares, applies, asks for a sample (one only) ---
    {
      const { page, errors } = await open(streamer, '/streamer?tab=square', PHONE);
      await page.locator('[data-testid="offer-list"] [data-testid="offer-card"]').first().waitFor({ timeout: 15_000 });
      // Sorted by commission, the first card is the best paid offer of the square.
      await page.selectOption('[data-testid="offer-sort"]', 'commission');
      await expect.poll(async () => page.locator('[data-testid="offer-card"]').first().getAttribute('data-commission-bps'), { timeout: 10_000 }).toBe('3000');
      await noSideways(page);
      // The demo's products have pictures: the square shows their 240 px thumbnails, not the 800 px pictures.
      const pictures = page.locator('[data-testid="offer-card"] img.offer-img');
      await expect.poll(() => pictures.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      for (const src of await pictures.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).getAttribute('src')))) expect(src).toMatch(/\/thumb\.webp$/);
      await expect.poll(() => pictures.first().evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(240);
      await shot(page, 'coop-streamer-square-list-phone');
      // Two to compare, side by side.
      await page.locator('[data-testid="offer-card"]').nth(0).locator('[data-testid="offer-compare"]').check();
      await page.locator('[data-testid="offer-card"]').nth(1).locator('[data-testid="offer-compare"]').check();
      await page.click('[data-testid="compare-open"]');
      await expect.poll(() => page.locator('[data-testid="compare-column"]').count(), { timeout: 10_000 }).toBe(2);
      expect(await page.locator('[data-testid="compare-row-commission"]').innerText()).toContain('30%');
      await noSideways(page);
      await page.locator('[data-testid="offer-compare-panel"]').screenshot({ path: screenshotPath('coop-streamer-compare-phone'), animations: 'disabled' });
      await page.click('[data-testid="offer-compare-close"]');
      // Search by keyword, with a commission floor typed in percent.
      await page.fill('[data-testid="offer-search"]', '眼霜');
      await page.fill('[data-testid="offer-commission-min"]', '20');
      await page.click('[data-testid="offer-search-submit"]');
      const card = page.locator(`[data-testid="offer-card"][data-offer-id="${offer.id}"]`);
      await card.waitFor({ timeout: 10_000 });
      await expect.poll(() => page.locator('[data-testid="offer-card"]').count(), { timeout: 10_000 }).toBe(1);
      expect(await card.locator('[data-testid="offer-commission"]').innerText()).toContain('22.5%');
      expect(await card.locator('[data-testid="offer-floor"]').innerText()).toBe('¥99.00');
      expect(await card.locator('[data-testid="offer-price"]').innerText()).toBe('¥128.00');
      await card.locator('[data-testid="offer-apply"]').click();
      await card.locator('[data-testid="apply-message"]').fill('美食号也有不少女性粉丝，想试试眼霜。');
      await card.locator('[data-testid="apply-submit"]').click();
      await card.locator('[data-testid="apply-form"] [data-testid="form-success"]').waitFor({ timeout: 10_000 });
      await card.locator('[data-testid="offer-sample"]').click();
      await card.locator('[data-testid="sample-name"]').fill('林晓');
      await card.locator('[data-testid="sample-phone"]').fill('13800000001');
      await card.locator('[data-testid="sample-region"]').fill('上海市 黄浦区');
      await card.locator('[data-testid="sample-detail"]').fill('南京东路 100 号');
      await card.locator('[data-testid="sample-submit"]').click();
      await card.locator('[data-testid="sample-form"] [data-testid="form-success"]').waitFor({ timeout: 10_000 });
      // A second sample of the same offer: beyond the brand's limit of one.
      await card.locator('[data-testid="offer-sample"]').click();
      await card.locator('[data-testid="offer-sample"]').click();
      for (const [id, v] of [['sample-name', '林晓'], ['sample-phone', '13800000001'], ['sample-region', '上海市 黄浦区'], ['sample-detail', '南京东路 100 号']]) await card.locator(`[data-testid="${id}"]`).fill(v!);
      await card.locator('[data-testid="sample-submit"]').click();
      await expectRefusal(page, '[data-testid="sample-form"]', 'SAMPLE_LIMIT_REACHED');
      await noSideways(page);
      await shot(page, 'coop-streamer-square-phone');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const application = ((await streamer.get('/api/me/cooperation/applications')).json().applications as { id: string; offerId: string; status: string }[]).find((a) => a.offerId === offer.id)!;
    expect(application.status).toBe('pending');
    expect(((await streamer.get('/api/me/cooperation/samples')).json().samples as { offerId: string }[]).filter((s) => s.offerId === offer.id)).toHaveLength(1);

    // --- the MCN sees its streamer's application (read only) ---
    {
      const { page, errors } = await open(mcn, `/orgs/${mcnOrg}?tab=applications`, DESKTOP);
      const item = page.locator(`[data-testid="application"][data-application-id="${application.id}"]`);
      await item.waitFor({ timeout: 15_000 });
      expect(await item.getAttribute('data-status')).toBe('pending');
      expect(await item.locator('[data-testid="application-approve-open"]').count()).toBe(0);
      // Its streamers' samples and slot fees, read only.
      await page.click('[data-testid="tab-samples"]');
      await page.locator('[data-testid="samples-mcn"] [data-testid="sample"]').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="sample-approve"]').count()).toBe(0);
      await page.click('[data-testid="tab-slotFees"]');
      await page.locator('[data-testid="slot-fees-mcn"] [data-testid="slot-fee"]').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="slot-fee-new"], [data-testid="slot-fee-settle"]').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // --- the brand approves in 带货申请 (at the offer's rate), and sends the sample ---
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=applications`, DESKTOP);
      const item = page.locator(`[data-testid="application"][data-application-id="${application.id}"]`);
      await item.waitFor({ timeout: 15_000 });
      expect(await item.innerText()).toContain('小林说吃');
      expect(await item.innerText()).toContain('美食号也有不少女性粉丝');
      await shot(page, 'coop-brand-applications-desktop');
      await item.locator('[data-testid="application-approve-open"]').click();
      await item.locator('[data-testid="application-approve-submit"]').click();
      await item.waitFor({ state: 'detached', timeout: 10_000 }); // it leaves the pending list
      await page.click('[data-testid="applications-filter-approved"]');
      const approved = page.locator(`[data-testid="application"][data-application-id="${application.id}"][data-status="approved"]`);
      await approved.waitFor({ timeout: 10_000 });
      expect(await approved.locator('[data-testid="application-rate-value"]').innerText()).toBe('22.5%');

      await page.click('[data-testid="tab-samples"]');
      const sample = page.locator('[data-testid="sample"][data-status="requested"]').filter({ hasText: '玉兰凝肌修护眼霜' });
      await sample.waitFor({ timeout: 10_000 });
      await sample.locator('[data-testid="sample-approve"]').click();
      const approvedSample = page.locator('[data-testid="sample"][data-status="approved"]').filter({ hasText: '玉兰凝肌修护眼霜' });
      await approvedSample.waitFor({ timeout: 10_000 });
      await approvedSample.locator('[data-testid="sample-ship-open"]').click();
      await approvedSample.locator('[data-testid="sample-ship-carrier"]').fill('顺丰速运');
      await approvedSample.locator('[data-testid="sample-ship-tracking"]').fill('SF9876543210');
      await approvedSample.locator('[data-testid="sample-ship-submit"]').click();
      const shipped = page.locator('[data-testid="sample"][data-status="shipped"]').filter({ hasText: 'SF9876543210' });
      await shipped.waitFor({ timeout: 10_000 });
      await shot(page, 'coop-brand-samples-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect((await streamer.get(`/api/me/cooperation/applications/${application.id}`)).json().application).toMatchObject({ status: 'approved', commissionBps: 2250 });

    // --- the streamer: 我的带货 says it may go in the 小黄车; applying again is refused; 我的样品 receives ---
    {
      const { page, errors } = await open(streamer, '/streamer?tab=applications', PHONE);
      const item = page.locator(`[data-testid="application"][data-application-id="${application.id}"]`);
      await item.waitFor({ timeout: 15_000 });
      expect(await item.getAttribute('data-status')).toBe('approved');
      expect(await item.locator('[data-testid="application-rate-value"]').innerText()).toBe('22.5%');
      await item.locator('[data-testid="application-cart-hint"]').waitFor();
      await noSideways(page);
      await shot(page, 'coop-streamer-applications-phone');

      await page.click('[data-testid="tab-samples"]');
      const sample = page.locator('[data-testid="sample"][data-status="shipped"]').filter({ hasText: 'SF9876543210' });
      await sample.waitFor({ timeout: 10_000 });
      await sample.locator('[data-testid="sample-receive"]').click();
      const received = page.locator('[data-testid="sample"][data-status="received"]').filter({ hasText: 'SF9876543210' });
      await received.waitFor({ timeout: 10_000 });
      // Tried it; sends it back with a tracking number.
      await received.locator('[data-testid="sample-return-open"]').click();
      await received.locator('[data-testid="sample-return-carrier"]').fill('中通快递');
      await received.locator('[data-testid="sample-return-tracking"]').fill('ZT5566778899');
      await received.locator('[data-testid="sample-return-submit"]').click();
      await page.locator('[data-testid="sample"][data-status="returning"]').filter({ hasText: 'ZT5566778899' }).waitFor({ timeout: 10_000 });
      await noSideways(page);
      await shot(page, 'coop-streamer-samples-phone');

      await page.click('[data-testid="tab-contracts"]');
      const current = page.locator('[data-testid="contract-in-force"]');
      await current.waitFor({ timeout: 10_000 });
      expect(await current.getAttribute('data-contract-id')).toBe(inForce.id);
      expect(await current.innerText()).toContain('30%');
      await page.locator('[data-testid="my-contract"][data-state="offered"]').waitFor();
      await noSideways(page);
      await shot(page, 'coop-streamer-contracts-phone');

      await page.click('[data-testid="tab-square"]');
      await page.fill('[data-testid="offer-search"]', '眼霜');
      await page.click('[data-testid="offer-search-submit"]');
      const card = page.locator(`[data-testid="offer-card"][data-offer-id="${offer.id}"]`);
      await card.waitFor({ timeout: 10_000 });
      await card.locator('[data-testid="offer-apply"]').click();
      await card.locator('[data-testid="apply-submit"]').click();
      await expectRefusal(page, '[data-testid="apply-form"]', 'APPLICATION_ALREADY_APPROVED');

      // The same square in English: labels from the catalogue, the server's refusal in English too.
      await page.click('[data-testid="lang-switch"]');
      await expect.poll(() => page.locator('[data-testid="tab-square"]').innerText(), { timeout: 10_000 }).toBe('Product square');
      await card.waitFor({ timeout: 10_000 });
      expect(await card.locator('[data-testid="offer-commission"]').innerText()).toBe('Commission 22.5%');
      await card.locator('[data-testid="apply-submit"]').click();
      const english = await expectRefusal(page, '[data-testid="apply-form"]', 'APPLICATION_ALREADY_APPROVED');
      expect(english).toMatch(/[A-Za-z]/);
      expect(english).not.toMatch(/[\u4e00-\u9fff]{4}/);
      await noSideways(page);
      await shot(page, 'coop-streamer-square-en-phone');
      await page.click('[data-testid="lang-switch"]');
      await expect.poll(() => page.locator('[data-testid="tab-square"]').innerText(), { timeout: 10_000 }).toBe('选品广场');
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // --- the streamer adds it to a live's 小黄车 in the live console (at the agreed rate) ---
    const sessions = (await streamer.get('/api/streamer/live-sessions')).json().sessions as { id: string; status: string; brand: { id: string } | null }[];
    const live = sessions.find((s) => s.status === 'scheduled' && s.brand?.id !== brandOrg)!;
    expect(live).toBeTruthy();
    {
      const { page, errors } = await open(streamer, `/streamer/sessions/${live.id}/console`, DESKTOP);
      const candidate = page.locator(`[data-testid="catalogue-product"][data-product-id="${product.id}"]`);
      await candidate.waitFor({ timeout: 15_000 });
      await candidate.locator('[data-testid="catalogue-add"]').click();
      await page.locator(`[data-testid="shop-item"][data-product-id="${product.id}"]`).waitFor();
      await page.click('[data-testid="shop-save"]');
      await expect
        .poll(async () => ((await server.client().get(`/api/rooms/${live.id}/products`)).json().products as { id: string }[]).some((p) => p.id === product.id), { timeout: 10_000 })
        .toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const cartRow = await server.database.db.selectFrom('session_products').select(['commission_bps']).where('session_id', '=', live.id).where('product_id', '=', product.id).executeTakeFirstOrThrow();
    expect(cartRow.commission_bps).toBe(2250);

    // --- the MCN console: the roster with its streamers, and the calendar of their upcoming lives ---
    const rosterBefore = (await mcn.get(`/api/orgs/${mcnOrg}/roster`)).json();
    {
      const { page, errors } = await open(mcn, `/orgs/${mcnOrg}?tab=roster`, DESKTOP);
      const row = page.locator(`[data-testid="roster-row"][data-streamer-id="${streamer.userId}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="roster-row"]').count()).toBe(rosterBefore.streamers.length);
      expect(await page.locator('[data-testid="roster-mcn-share"]').getAttribute('data-fen')).toBe(String(rosterBefore.totals.mcnShareFen));
      const calendar = (await mcn.get(`/api/orgs/${mcnOrg}/calendar`)).json();
      expect(calendar.sessions.length).toBeGreaterThan(0);
      await page.locator('[data-testid="calendar-session"]').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="calendar-session"]').count()).toBe(calendar.sessions.length);
      expect(await page.locator(`[data-testid="calendar-session"][data-session-id="${live.id}"]`).count()).toBe(1);
      await shot(page, 'coop-mcn-roster-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // --- 坑位费: the brand proposes ¥200.00 for the product in her live; she accepts on her phone; it is paid at once ---
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=slotFees`, DESKTOP);
      await page.locator('[data-testid="slot-fee"]').first().waitFor({ timeout: 15_000 });
      await page.click('[data-testid="slot-fee-new"]');
      await page.locator(`[data-testid="slot-fee-session"] option[value="${live.id}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await page.selectOption('[data-testid="slot-fee-session"]', live.id);
      await page.locator(`[data-testid="slot-fee-product"] option[value="${product.id}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await page.selectOption('[data-testid="slot-fee-product"]', product.id);
      await page.fill('[data-testid="slot-fee-fee"]', '200');
      await page.fill('[data-testid="slot-fee-target"]', '1000');
      await page.fill('[data-testid="slot-fee-refund"]', '50');
      await page.click('[data-testid="slot-fee-submit"]');
      await page.locator('[data-testid="slot-fee"][data-status="proposed"]').filter({ hasText: '玉兰凝肌修护眼霜' }).waitFor({ timeout: 10_000 });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const slotFee = ((await streamer.get('/api/me/cooperation/slot-fees')).json().slotFees as { id: string; productId: string; status: string; feeFen: number; gmvTargetFen: number; refundBps: number }[]).find((f) => f.productId === product.id)!;
    expect(slotFee).toMatchObject({ status: 'proposed', feeFen: 20_000, gmvTargetFen: 100_000, refundBps: 5000 });
    {
      const { page, errors } = await open(streamer, '/streamer?tab=slotFees', PHONE);
      const item = page.locator(`[data-testid="slot-fee"][data-slot-fee-id="${slotFee.id}"]`);
      await item.waitFor({ timeout: 15_000 });
      expect(await item.locator('[data-testid="slot-fee-amount"]').innerText()).toBe('¥200.00');
      await item.locator('[data-testid="slot-fee-accept"]').click();
      await page.locator(`[data-testid="slot-fee"][data-slot-fee-id="${slotFee.id}"][data-status="accepted"]`).waitFor({ timeout: 10_000 });
      await noSideways(page);
      await shot(page, 'coop-streamer-slot-fees-phone');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    // She proposes one herself: the same product again is refused (one open fee per live and product); the live
    // brand's 鲜肉月饼 is proposed, waiting for 德兴斋.
    {
      const { page, errors } = await open(streamer, '/streamer?tab=slotFees', PHONE);
      await page.locator(`[data-testid="slot-fee"][data-slot-fee-id="${slotFee.id}"]`).waitFor({ timeout: 15_000 });
      await page.click('[data-testid="slot-fee-new"]');
      await page.locator(`[data-testid="slot-fee-session"] option[value="${live.id}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await page.selectOption('[data-testid="slot-fee-session"]', live.id);
      await page.locator(`[data-testid="slot-fee-product"] option[value="${product.id}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await page.selectOption('[data-testid="slot-fee-product"]', product.id);
      await page.fill('[data-testid="slot-fee-fee"]', '50');
      await page.fill('[data-testid="slot-fee-target"]', '500');
      await page.fill('[data-testid="slot-fee-refund"]', '100');
      await page.click('[data-testid="slot-fee-submit"]');
      await expectRefusal(page, '[data-testid="slot-fee-form"]', 'SLOT_FEE_EXISTS');
      const mooncake = page.locator('[data-testid="slot-fee-product"] option', { hasText: '鲜肉月饼' });
      await page.selectOption('[data-testid="slot-fee-product"]', (await mooncake.getAttribute('value'))!);
      await page.click('[data-testid="slot-fee-submit"]');
      await page.locator('[data-testid="slot-fee"][data-status="proposed"]').filter({ hasText: '鲜肉月饼' }).waitFor({ timeout: 10_000 });
      await noSideways(page);
      expect(errors).toEqual([]);
      await page.context().close();
    }
    {
      const slotTransfer = await server.database.db.selectFrom('ledger_transfers').select(['id']).where('key', '=', `slotfee:${slotFee.id}:fee`).executeTakeFirstOrThrow();
      const slotPostings = new Map((await server.database.db.selectFrom('ledger_postings').select(['account_id', 'amount_fen']).where('transfer_id', '=', slotTransfer.id).execute()).map((p) => [p.account_id, Number(p.amount_fen)]));
      expect(slotPostings.get(`brand:${brandOrg}`)).toBe(-20_000);
      expect(slotPostings.get(`mcn:${mcnOrg}`)).toBe(share(20_000, splitBps));
      expect(slotPostings.get(`streamer:${streamer.userId}`)).toBe(20_000 - share(20_000, splitBps));
      // Settling before the live has ended: refused, in the brand's console.
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=slotFees`, DESKTOP);
      const item = page.locator(`[data-testid="slot-fee"][data-slot-fee-id="${slotFee.id}"][data-status="accepted"]`);
      await item.waitFor({ timeout: 15_000 });
      await item.locator('[data-testid="slot-fee-settle"]').click();
      await expectRefusal(page, `[data-testid="slot-fee"][data-slot-fee-id="${slotFee.id}"]`, 'SLOT_FEE_NOT_DUE');
      await shot(page, 'coop-brand-slot-fees-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // --- a viewer buys two in that live and pays in the sandbox; the brand ships; delivered; the buyer confirms ---
    const addressId = (await viewer.post('/api/me/addresses', { name: '王小明', phone: '13912345678', region: '上海市 静安区', detail: '南京西路 1 号' })).json().address.id as string;
    const placed = await viewer.post('/api/orders', { items: [{ productId: product.id, skuId: product.skus[0]!.id, quantity: 2 }], sessionId: live.id, addressId }, { 'idempotency-key': `coop-${Date.now()}` });
    expect(placed.status).toBe(201);
    const orderId = placed.json().order.id as string;
    const paidOrder = await payInSandbox(server, viewer, orderId);
    const paidFen = paidOrder.totalFen as number;
    expect((await brand.post(`/api/orgs/${brandOrg}/orders/${orderId}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1122334455' })).status).toBe(200);
    expect((await brand.post(`/api/orgs/${brandOrg}/orders/${orderId}/deliver`)).status).toBe(200);
    const confirmed = await viewer.post(`/api/orders/${orderId}/confirm-receipt`);
    expect(confirmed.json().order.status).toBe('completed');
    await server.services.events.drain();

    // Inside the return window the operator cannot settle it; past T+7 (the test server's clock), settlement runs.
    expect((await operator.post('/api/admin/ledger/settlement-runs', { orderId })).errorCode).toBe('LEDGER_NOT_DUE');
    server.clock.advance(server.config.SETTLEMENT_DELAY_DAYS * DAY + 60_000);
    const settled = await operator.post('/api/admin/ledger/settlement-runs', { orderId });
    // (The minutely sweep may have settled it in the instant since the clock moved: then it says so.)
    if (settled.status !== 201) expect(settled.errorCode).toBe('LEDGER_ALREADY_SETTLED');

    // The ledger's postings for the settlement of this order, and the arithmetic of docs/LEDGER.md.
    const db = server.database.db;
    const transfer = await db.selectFrom('ledger_transfers').select(['id']).where('key', '=', `settle:${orderId}`).executeTakeFirstOrThrow();
    const postings = new Map((await db.selectFrom('ledger_postings').select(['account_id', 'amount_fen']).where('transfer_id', '=', transfer.id).execute()).map((p) => [p.account_id, Number(p.amount_fen)]));
    const itemsFen = 2 * 12_800;
    const commission = share(itemsFen, 2250);
    const fee = share(paidFen, server.config.PLATFORM_FEE_BPS);
    const mcnShare = share(commission, splitBps);
    const expected = {
      brand: paidFen - commission - fee,
      streamer: commission - mcnShare,
      mcn: mcnShare,
      fee,
    };
    expect(postings.get(`brand:${brandOrg}`)).toBe(expected.brand);
    expect(postings.get(`streamer:${streamer.userId}`)).toBe(expected.streamer);
    expect(postings.get(`mcn:${mcnOrg}`)).toBe(expected.mcn);
    expect(postings.get('platform:fees')).toBe(expected.fee);
    expect(postings.get('clearing')).toBe(-paidFen);
    expect(expected.brand + expected.streamer + expected.mcn + expected.fee).toBe(paidFen);
    expect((await operator.get('/api/admin/ledger')).json().verify).toMatchObject({ journalSum: 0, mismatches: [] });

    /** The statement's line for this order, in the browser: its amount (attribute and text), and its word. */
    async function orderLine(page: Page, scope: string) {
      const root = page.locator(scope);
      await root.locator('[data-testid="ledger-period-all"]').check();
      const row = root.locator(`[data-testid="ledger-entry"][data-order-id="${orderId}"]`);
      await row.first().waitFor({ timeout: 15_000 });
      expect(await row.count()).toBe(1);
      const fen = Number(await row.getAttribute('data-fen'));
      const amountCell = row.locator('td.num').first();
      expect(fenOf(await amountCell.innerText())).toBe(fen);
      expect(await row.innerText()).toContain(orderId);
      return { fen, word: await row.getAttribute('data-word') };
    }

    // --- the four statements, each opened by its party ---
    const seen: Record<string, number> = {};
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=ledger`, DESKTOP);
      const line = await orderLine(page, '[data-testid="org-money"]');
      expect(line.word).toBe('settlement');
      seen.brand = line.fen;
      await shot(page, 'coop-brand-statement-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    {
      const { page, errors } = await open(mcn, `/orgs/${mcnOrg}?tab=ledger`, DESKTOP);
      const line = await orderLine(page, '[data-testid="org-money"]');
      expect(line.word).toBe('mcnShare');
      seen.mcn = line.fen;
      await shot(page, 'coop-mcn-statement-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    {
      const { page, errors } = await open(streamer, '/streamer?tab=earnings', DESKTOP);
      const line = await orderLine(page, '[data-testid="my-earnings"]');
      expect(line.word).toBe('commission');
      seen.streamer = line.fen;
      await shot(page, 'coop-streamer-statement-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    {
      const { page, errors } = await open(operator, '/admin?tab=ledger', DESKTOP);
      const line = await orderLine(page, '[data-testid="fee-statement"]');
      expect(line.word).toBe('platformFee');
      seen.fee = line.fen;
      await shot(page, 'coop-operator-statement-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect(seen).toEqual(expected);
    expect(seen.brand! + seen.streamer! + seen.mcn! + seen.fee!).toBe(paidFen);
    expect(seen.brand).toBe(paidFen - (seen.streamer! + seen.mcn!) - seen.fee!);

    // --- the MCN console after settlement: its share of the order in the roster; refusals of the contract form ---
    {
      const { page, errors } = await open(mcn, `/orgs/${mcnOrg}?tab=roster`, DESKTOP);
      // The page shows the API's figure as it was when the page loaded: at least what it was once our order was
      // settled, and at most what the API says now (the minutely sweep may settle other due orders meanwhile,
      // and the page does not reload itself).
      const atLeast = (await mcn.get(`/api/orgs/${mcnOrg}/roster`)).json().totals.mcnShareFen as number;
      expect(atLeast).toBeGreaterThanOrEqual(rosterBefore.totals.mcnShareFen + expected.mcn);
      await page.locator('[data-testid="roster-mcn-share"]').waitFor({ timeout: 15_000 });
      const shown = Number(await page.locator('[data-testid="roster-mcn-share"]').getAttribute('data-fen'));
      const atMost = (await mcn.get(`/api/orgs/${mcnOrg}/roster`)).json().totals.mcnShareFen as number;
      expect(shown).toBeGreaterThanOrEqual(rosterBefore.totals.mcnShareFen + expected.mcn);
      expect(shown).toBeLessThanOrEqual(atMost);

      await page.click('[data-testid="tab-contracts"]');
      await page.locator('[data-testid="contract"]').first().waitFor({ timeout: 10_000 });
      await page.click('[data-testid="contract-new"]');
      await page.fill('[data-testid="contract-login"]', DEMO_ACCOUNTS.streamerBeauty.login);
      await page.fill('[data-testid="contract-split-input"]', '150');
      await page.click('[data-testid="contract-submit"]');
      await expectRefusal(page, '[data-testid="contract-form"]', 'SPLIT_INVALID');
      await page.fill('[data-testid="contract-split-input"]', '30');
      await page.click('[data-testid="contract-submit"]');
      await expectRefusal(page, '[data-testid="contract-form"]', 'CONTRACT_OVERLAP');
      await shot(page, 'coop-mcn-contracts-desktop');

      await page.click('[data-testid="tab-square"]');
      await page.locator('[data-testid="act-for"]').waitFor({ timeout: 10_000 });
      await page.selectOption('[data-testid="act-for"]', streamer.userId);
      await page.fill('[data-testid="offer-search"]', '眼霜');
      await page.click('[data-testid="offer-search-submit"]');
      const card = page.locator(`[data-testid="offer-card"][data-offer-id="${offer.id}"]`);
      await card.waitFor({ timeout: 10_000 });
      await card.locator('[data-testid="offer-apply"]').click();
      await card.locator('[data-testid="apply-submit"]').click();
      await expectRefusal(page, '[data-testid="apply-form"]', 'APPLICATION_ALREADY_APPROVED');
      await shot(page, 'coop-mcn-square-desktop');
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // --- the brand edits the offer (a new rate for new approvals only) and pauses it: gone from the square ---
    {
      const { page, errors } = await open(brand, `/orgs/${brandOrg}?tab=offers`, DESKTOP);
      const row = page.locator(`[data-testid="brand-offer"][data-offer-id="${offer.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      await row.locator('[data-testid="offer-edit"]').click();
      await page.fill('[data-testid="offer-commission-input"]', '25');
      await page.click('[data-testid="offer-save"]');
      await page.locator(`[data-testid="brand-offer"][data-offer-id="${offer.id}"][data-commission-bps="2500"]`).waitFor({ timeout: 10_000 });
      await row.locator('[data-testid="offer-toggle"]').click();
      await page.locator(`[data-testid="brand-offer"][data-offer-id="${offer.id}"][data-status="paused"]`).waitFor({ timeout: 10_000 });
      // The sample she sent back: the brand confirms it came back.
      await page.click('[data-testid="tab-samples"]');
      const back = page.locator('[data-testid="sample"][data-status="returning"]').filter({ hasText: 'ZT5566778899' });
      await back.waitFor({ timeout: 10_000 });
      await back.locator('[data-testid="sample-confirm-return"]').click();
      await page.locator('[data-testid="sample"][data-status="returned"]').filter({ hasText: 'ZT5566778899' }).waitFor({ timeout: 10_000 });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect((await streamer.get(`/api/offers?q=${encodeURIComponent('眼霜')}`)).json().total).toBe(0);
    expect((await streamer.get(`/api/me/cooperation/applications/${application.id}`)).json().application.commissionBps).toBe(2250);

    // --- another MCN cannot sign her over an exclusive contract ---
    {
      const rival = server.client();
      const rivalUser = await rival.register(`rival-mcn-${Date.now()}@example.com`, 'Secret123x', '对手机构');
      const org = (await rival.post('/api/orgs', { kind: 'mcn', name: '晨光传媒 MCN', licenceName: '上海晨光传媒有限公司', licenceNo: '91310000MA1FL0XX2X' })).json().org as { id: string };
      expect((await operator.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' })).status).toBe(200);
      const { page, errors } = await open(Object.assign(rival, { userId: rivalUser.id }), `/orgs/${org.id}?tab=contracts`, DESKTOP);
      await page.locator('[data-testid="contracts-empty"]').waitFor({ timeout: 15_000 });
      await page.click('[data-testid="contract-new"]');
      await page.fill('[data-testid="contract-login"]', DEMO_ACCOUNTS.streamerFood.login);
      await page.fill('[data-testid="contract-split-input"]', '25');
      await page.click('[data-testid="contract-submit"]');
      await expectRefusal(page, '[data-testid="contract-form"]', 'CONTRACT_OVERLAP_EXCLUSIVE');
      expect((await rival.get(`/api/orgs/${org.id}/contracts`)).json().contracts).toEqual([]);

      // A streamer under no contract: offered one (25 %, a year, exclusive, two rights), she accepts it in 我的签约.
      const newcomer = await newStreamer(server);
      const phone = (await server.database.db.selectFrom('users').select('phone').where('id', '=', newcomer.id).executeTakeFirstOrThrow()).phone!;
      const nextYear = new Date(Date.now() + 365 * DAY);
      const to = `${nextYear.getFullYear()}-${String(nextYear.getMonth() + 1).padStart(2, '0')}-${String(nextYear.getDate()).padStart(2, '0')}`;
      await page.fill('[data-testid="contract-login"]', phone);
      await page.fill('[data-testid="contract-to"]', to);
      await page.click('[data-testid="contract-submit"]');
      const offered = page.locator(`[data-testid="contract"][data-streamer-id="${newcomer.id}"][data-state="offered"]`);
      await offered.waitFor({ timeout: 10_000 });
      expect(await offered.locator('[data-testid="contract-split"]').getAttribute('data-bps')).toBe('2500');
      await shot(page, 'coop-rival-mcn-contracts-desktop');
      expect(errors).toEqual([]);
      await page.context().close();

      const mine = await open(Object.assign(newcomer.client, { userId: newcomer.id }), '/streamer?tab=contracts', PHONE);
      const item = mine.page.locator('[data-testid="my-contract"][data-state="offered"]');
      await item.waitFor({ timeout: 15_000 });
      expect(await item.innerText()).toContain('晨光传媒 MCN');
      await item.locator('[data-testid="contract-accept"]').click();
      const inForceNow = mine.page.locator('[data-testid="contract-in-force"]');
      await expect.poll(() => inForceNow.innerText(), { timeout: 10_000 }).toContain('晨光传媒 MCN');
      expect(await inForceNow.innerText()).toContain('25%');
      await mine.page.locator('[data-testid="my-contract"][data-state="active"] [data-testid="contract-rights"]').waitFor();
      expect(await mine.page.locator('[data-testid="my-contract"][data-state="active"] [data-testid="contract-rights"]').innerText()).toContain('申请寄样');
      await noSideways(mine.page);
      await shot(mine.page, 'coop-newcomer-contract-phone');
      expect(mine.errors).toEqual([]);
      await mine.page.context().close();
      expect((await rival.get(`/api/orgs/${org.id}/contracts`)).json().contracts).toMatchObject([{ state: 'active', splitBps: 2500, exclusive: true, rights: ['manage_products', 'request_samples'] }]);
    }
  });
});
