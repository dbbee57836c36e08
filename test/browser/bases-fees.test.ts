// Live-streaming bases charge through the ledger, in Chromium (docs/BASES.md, "Charging", "Refunds", "Withdrawals"):
// after the sweep has charged the demo's ended bookings, 虹桥基地's console shows its studio income (desktop and
// phone) to the fen of the API, and 星火互娱's ledger statement lists the studio fees in words; then the base's
// owner refunds part of a booking of 星火互娱 and asks for a withdrawal from the 直播间收入 panel (refused amounts
// first), and 星火互娱's statement shows the refund as 直播间退款.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable.ok)('bases fees: the base sees its studio income, the booker its studio fees, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return client;
  };
  const orgOf = async (client: Awaited<ReturnType<typeof login>>, kind: string) =>
    ((await client.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === kind)!.org.id;

  it('shows the studio income and the fees in words', async () => {
    // The demo is seeded after this test server started: charge what `npm start` charges at start.
    expect(await suite.server.services.bases.fees.chargeDue()).toBeGreaterThan(0);
    const baseUser = await login('base');
    const baseOrg = await orgOf(baseUser, 'base');
    const income = (await baseUser.get(`/api/orgs/${baseOrg}/base/income`)).json().income;
    expect(income.balanceFen).toBeGreaterThan(0);
    const errors: string[] = [];

    for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const page = await suite.pageAs(baseUser, viewport);
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${suite.base}/orgs/${baseOrg}?tab=baseReport`);
      const panel = page.locator('[data-testid="base-income"]');
      await panel.waitFor({ timeout: 15_000 });
      expect(await panel.locator('[data-testid="income-balance"]').getAttribute('data-fen')).toBe(String(income.balanceFen));
      expect(await panel.locator('[data-testid="income-studioFees"]').getAttribute('data-fen')).toBe(String(income.studioFeesFen));
      expect(await panel.locator('[data-testid="income-cancelFees"]').getAttribute('data-fen')).toBe(String(income.cancelFeesFen));
      expect(await panel.locator('[data-testid="income-toCharge"]').getAttribute('data-fen')).toBe(String(income.toChargeFen));
      expect(await panel.locator('[data-testid="income-entry"]').count()).toBe(income.entries.length);
      expect(await panel.locator('[data-testid="income-entry"][data-kind="studio_fee"]').first().innerText()).toContain('直播间租用费');
      await page.locator('[data-testid="kpi-bookingCharged"]').waitFor({ timeout: 10_000 });
      // Nothing wider than the phone's screen but the tables' own scrolling.
      if (name === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: screenshotPath(`bases-income-${name}`), fullPage: true });
      await page.context().close();
    }

    // 星火互娱 booked studios: its statement lists the studio fees (and the late cancellation's fee) in words.
    const mcn = await login('mcn');
    const mcnOrg = await orgOf(mcn, 'mcn');
    const statement = (await mcn.get(`/api/orgs/${mcnOrg}/ledger`)).json();
    expect(statement.entries.some((e: { kind: string }) => e.kind === 'studio_fee')).toBe(true);
    const page = await suite.pageAs(mcn, DESKTOP);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/orgs/${mcnOrg}?tab=ledger`);
    const entry = page.locator('[data-testid="ledger-entry"][data-kind="studio_fee"]').first();
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.getAttribute('data-word')).toBe('studioFee');
    expect(await entry.innerText()).toContain('直播间租用费');
    await page.screenshot({ path: screenshotPath('bases-fees-mcn-ledger'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the base refunds part of a booking and asks for a withdrawal in its console; the booker sees the refund in words', async () => {
    const baseUser = await login('base');
    const baseOrg = await orgOf(baseUser, 'base');
    type Charged = { id: string; bookerName: string | null; status: string; chargedFen: number; refundedFen: number; refundableFen: number };
    const incomeNow = async () => (await baseUser.get(`/api/orgs/${baseOrg}/base/income`)).json().income;
    const before = await incomeNow();
    // The demo's own refund and paid withdrawal are there from the start.
    expect(before.refunds.length).toBeGreaterThanOrEqual(1);
    expect(before.withdrawals.some((w: { status: string }) => w.status === 'paid')).toBe(true);
    const target = (before.charged as Charged[]).find((b) => b.status === 'booked' && b.refundedFen === 0 && b.refundableFen > 10_000 && b.bookerName?.startsWith('星火互娱'));
    expect(target, 'a charged booking of 星火互娱 to refund').toBeTruthy();
    const errors: string[] = [];
    const page = await suite.pageAs(baseUser, DESKTOP);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}/orgs/${baseOrg}?tab=baseReport`);
    const panel = page.locator('[data-testid="base-income"]');
    await panel.waitFor({ timeout: 15_000 });
    for (const key of ['refunds', 'inWithdrawal', 'withdrawn'] as const) expect(await panel.locator(`[data-testid="income-${key}"]`).getAttribute('data-fen')).toBe(String(before[`${key}Fen`]));
    expect(await panel.locator('[data-testid="refund"]').count()).toBe(before.refunds.length);
    expect(await panel.locator('[data-testid="withdrawal"][data-status="paid"]').count()).toBeGreaterThanOrEqual(1);

    // --- a refund: the server's refusals are shown as they come, then ¥100.00 with a reason ---
    const row = panel.locator(`[data-testid="charged-booking"][data-booking-id="${target!.id}"]`);
    await row.locator('[data-testid="refund-open"]').click();
    const form = panel.locator('[data-testid="refund-form"]');
    await form.waitFor();
    // Prefilled with what can be refunded.
    expect(await form.locator('[data-testid="refund-amount"]').inputValue()).toBe((target!.refundableFen / 100).toFixed(2));
    await form.locator('[data-testid="refund-reason-input"]').fill('直播中断 20 分钟');
    await form.locator('[data-testid="refund-amount"]').fill(((target!.refundableFen + 1) / 100).toFixed(2));
    await form.locator('[data-testid="refund-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="BOOKING_REFUND_EXCEEDS"]').waitFor({ timeout: 10_000 });
    await form.locator('[data-testid="refund-amount"]').fill('1.234');
    await form.locator('[data-testid="refund-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="CLIENT_INVALID"]').waitFor();
    await form.locator('[data-testid="refund-amount"]').fill('100');
    await form.locator('[data-testid="refund-reason-input"]').fill('   ');
    await form.locator('[data-testid="refund-submit"]').click();
    await form.locator('[data-testid="form-error"][data-code="VALIDATION_FAILED"]').waitFor({ timeout: 10_000 });
    expect((await incomeNow()).refundsFen).toBe(before.refundsFen);
    await page.screenshot({ path: screenshotPath('bases-refund-form-desktop'), fullPage: true });
    await form.locator('[data-testid="refund-reason-input"]').fill('直播中断 20 分钟');
    await form.locator('[data-testid="refund-submit"]').click();
    await panel.locator('[data-testid="base-refunds"] [data-testid="form-success"]').waitFor({ timeout: 10_000 });
    await panel.locator(`[data-testid="refund"][data-booking-id="${target!.id}"]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getAttribute('data-refunded-fen'), { timeout: 10_000 }).toBe('10000');
    expect(await panel.locator(`[data-testid="refund"][data-booking-id="${target!.id}"] [data-testid="refund-reason"]`).innerText()).toBe('直播中断 20 分钟');
    const afterRefund = await incomeNow();
    expect(afterRefund.refundsFen).toBe(before.refundsFen + 10_000);
    expect(afterRefund.balanceFen).toBe(before.balanceFen - 10_000);
    expect(await panel.locator('[data-testid="income-refunds"]').getAttribute('data-fen')).toBe(String(afterRefund.refundsFen));
    expect(await panel.locator('[data-testid="income-entry"][data-kind="studio_refund"]').first().innerText()).toContain('直播间退款');

    // --- a withdrawal: more than the balance is refused, then ¥1.00 is held and waits for the operator ---
    const withdrawForm = panel.locator('[data-testid="withdraw-form"]');
    await withdrawForm.locator('[data-testid="withdraw-amount"]').fill(((afterRefund.balanceFen + 100) / 100).toFixed(2));
    await withdrawForm.locator('[data-testid="withdraw-submit"]').click();
    await withdrawForm.locator('[data-testid="form-error"][data-code="LEDGER_INSUFFICIENT_BALANCE"]').waitFor({ timeout: 10_000 });
    await withdrawForm.locator('[data-testid="withdraw-amount"]').fill('1');
    await withdrawForm.locator('[data-testid="withdraw-submit"]').click();
    await panel.locator('[data-testid="withdrawal"][data-status="requested"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => panel.locator('[data-testid="income-inWithdrawal"]').getAttribute('data-fen'), { timeout: 10_000 }).toBe('100');
    const afterWithdrawal = await incomeNow();
    expect(afterWithdrawal.balanceFen).toBe(afterRefund.balanceFen - 100);
    expect(afterWithdrawal.withdrawals[0]).toMatchObject({ status: 'requested', amountFen: 100, accountId: `base:${baseOrg}` });
    expect(await panel.locator('[data-testid="income-balance"]').getAttribute('data-fen')).toBe(String(afterWithdrawal.balanceFen));
    await page.screenshot({ path: screenshotPath('bases-refund-withdrawal-desktop'), fullPage: true });
    await page.context().close();

    // The operator's queue has it, as the base's account.
    const operator = await login('operator');
    const queue = (await operator.get('/api/admin/ledger/withdrawals?status=requested')).json().withdrawals as { accountId: string; amountFen: number }[];
    expect(queue).toContainEqual(expect.objectContaining({ accountId: `base:${baseOrg}`, amountFen: 100 }));
    expect((await operator.get('/api/admin/ledger')).json().verify).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [], orphanPostings: [] });

    // 星火互娱's statement: the refund, in words.
    const mcn = await login('mcn');
    const mcnOrg = await orgOf(mcn, 'mcn');
    const mcnPage = await suite.pageAs(mcn, DESKTOP);
    mcnPage.on('pageerror', (e) => errors.push(e.message));
    await mcnPage.goto(`${suite.base}/orgs/${mcnOrg}?tab=ledger`);
    const entry = mcnPage.locator('[data-testid="ledger-entry"][data-kind="studio_refund"]').first();
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.getAttribute('data-word')).toBe('studioRefund');
    expect(await entry.innerText()).toContain('直播间退款');
    await mcnPage.screenshot({ path: screenshotPath('bases-refund-mcn-ledger'), fullPage: true });
    await mcnPage.context().close();
    expect(errors).toEqual([]);
  });
});
