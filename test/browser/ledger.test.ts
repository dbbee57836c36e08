import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

type Entry = { transferId: string; kind: string; orderId: string | null; amountFen: number; balanceAfterFen: number };
type Statement = { account: { id: string; kind: string; balanceFen: number }; openingFen: number; closingFen: number; count: number; entries: Entry[]; withdrawals: { id: string; status: string; amountFen: number }[] };

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/** "¥1,234.56" / "-¥0.05" → fen, from the digits shown (so a formatting difference cannot hide a wrong figure). */
function fenOf(text: string): number {
  const negative = /[-−]/.test(text);
  const digits = text.replace(/[^\d]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

describe.skipIf(!chromiumAvailable.ok)('money consoles: statements and withdrawals, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
    const client = suite.server.client();
    await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
    return client;
  };
  type Client = Awaited<ReturnType<typeof login>>;
  const orgOf = async (client: Client) => (await client.get('/api/me/orgs')).json().memberships[0].org.id as string;

  async function open(client: Client, url: string, viewport: { width: number; height: number }) {
    const page = await pageAs(client, viewport);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.base}${url}`);
    return { page, errors };
  }

  /** The balance card shows exactly the API's balance, to the fen. */
  async function expectBalance(page: Page, fen: number) {
    const card = page.locator('[data-testid="ledger-available"]');
    await card.waitFor({ timeout: 15_000 });
    await expect.poll(() => card.getAttribute('data-fen'), { timeout: 10_000 }).toBe(String(fen));
    expect(fenOf(await card.locator('[data-testid="ledger-available-value"]').innerText())).toBe(fen);
  }

  /** Every period: the lines, the order ids and the totals shown agree with the API's statement. */
  async function expectAllTimeLines(page: Page, api: Statement, word: string, wordText: string) {
    await page.locator('[data-testid="ledger-period-all"]').check();
    await page.locator('[data-testid="ledger-period"][data-choice="all"]').waitFor();
    await page.locator('[data-testid="ledger-statement"][data-ready="true"][data-period="/"] [data-testid="ledger-totals"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid="ledger-entry"]').count(), { timeout: 10_000 }).toBe(api.count);
    const rows = page.locator('[data-testid="ledger-entry"]');
    for (let i = 0; i < api.entries.length; i++) {
      const e = api.entries[i]!;
      const row = rows.nth(i);
      expect(await row.getAttribute('data-fen')).toBe(String(e.amountFen));
      expect(await row.getAttribute('data-order-id')).toBe(e.orderId ?? '');
      if (e.kind === 'settlement') {
        expect(await row.getAttribute('data-word')).toBe(word);
        expect(await row.innerText()).toContain(wordText);
      }
      if (e.orderId) expect(await row.innerText()).toContain(e.orderId);
    }
    const totals = page.locator('[data-testid="ledger-totals"]');
    expect(fenOf(await totals.locator('[data-testid="ledger-closing"]').innerText())).toBe(api.closingFen);
    expect(fenOf(await totals.locator('[data-testid="ledger-opening"]').innerText())).toBe(api.openingFen);
    expect(Number(await totals.getAttribute('data-count'))).toBe(api.count);
    const inFen = api.entries.filter((e) => e.amountFen > 0).reduce((s, e) => s + e.amountFen, 0);
    expect(fenOf(await totals.locator('[data-testid="ledger-in"]').innerText())).toBe(inFen);
  }

  /** The CSV link downloads the period shown: its rows sum to the period's net. */
  async function expectCsvAgrees(page: Page) {
    const href = await page.locator('[data-testid="ledger-csv"]').getAttribute('href');
    expect(href).toContain('format=csv');
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('time,transfer_kind,order_id,memo,amount_fen,balance_after_fen');
    const amounts = lines.slice(1).map((l) => Number(l.split(',').at(-2)));
    const net = Number(await page.locator('[data-testid="ledger-net"]').getAttribute('data-fen'));
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(net);
    expect(lines.length - 1).toBe(Number(await page.locator('[data-testid="ledger-totals"]').getAttribute('data-count')));
  }

  it('a streamer sees 我的收益 to the fen, withdraws, and the operator pays it out; the MCN and the brand see their statements', async () => {
    const streamer = await login('streamerFood');
    const mine = (await streamer.get('/api/me/ledger')).json() as Statement;
    expect(mine.account.balanceFen).toBeGreaterThan(0);

    // --- the streamer: 我的收益 ---
    {
      const { page, errors } = await open(streamer, '/streamer?tab=earnings', DESKTOP);
      await page.locator('[data-testid="tab-earnings"][aria-selected="true"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="tab-earnings"]').innerText()).toBe('我的收益');
      await expectBalance(page, mine.account.balanceFen);
      await expectCsvAgrees(page);
      await expectAllTimeLines(page, mine, 'commission', '佣金');
      await expectCsvAgrees(page);
      await page.screenshot({ path: screenshotPath('ledger-streamer-earnings-desktop'), fullPage: true, animations: 'disabled' });

      // More than the balance: the server's refusal, shown as it comes.
      await page.fill('[data-testid="withdraw-amount"]', ((mine.account.balanceFen + 100) / 100).toFixed(2));
      await page.click('[data-testid="withdraw-submit"]');
      const refusal = page.locator('[data-testid="withdraw-form"] [data-testid="form-error"][data-code="LEDGER_INSUFFICIENT_BALANCE"]');
      await refusal.waitFor({ timeout: 10_000 });
      expect(await refusal.innerText()).toContain('余额不足');
      // Not an amount in yuan: refused before anything is sent.
      await page.fill('[data-testid="withdraw-amount"]', '1.234');
      await page.click('[data-testid="withdraw-submit"]');
      await page.locator('[data-testid="withdraw-form"] [data-testid="form-error"][data-code="CLIENT_INVALID"]').waitFor();
      expect(((await streamer.get('/api/me/ledger')).json() as Statement).withdrawals).toEqual([]);

      // ¥1.00 → 100 fen, held at once.
      await page.fill('[data-testid="withdraw-amount"]', '1');
      await page.click('[data-testid="withdraw-submit"]');
      await page.locator('[data-testid="withdrawal"][data-status="requested"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="withdrawal"]').getAttribute('data-fen')).toBe('100');
      expect(await page.locator('[data-testid="withdrawal"] [data-testid="withdrawal-status"]').innerText()).toBe('待审核');
      await expectBalance(page, mine.account.balanceFen - 100);
      expect(((await streamer.get('/api/me/ledger')).json() as Statement).account.balanceFen).toBe(mine.account.balanceFen - 100);
      expect(await page.locator('[data-testid="ledger-in-withdrawal"]').getAttribute('data-fen')).toBe('100');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    {
      const { page } = await open(streamer, '/streamer?tab=earnings', PHONE);
      await expectBalance(page, mine.account.balanceFen - 100);
      await page.locator('[data-testid="ledger-entry"], [data-testid="ledger-empty"]').first().waitFor();
      // Nothing wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: screenshotPath('ledger-streamer-earnings-phone'), fullPage: true, animations: 'disabled' });
      await page.context().close();
    }
    const requested = ((await streamer.get('/api/me/ledger')).json() as Statement).withdrawals[0]!;
    expect(requested).toMatchObject({ status: 'requested', amountFen: 100 });

    // --- the MCN and the brand: their organisation's statement ---
    for (const [key, word, wordText, shot] of [
      ['mcn', 'mcnShare', 'MCN 分成', 'ledger-mcn'],
      ['foodBrand', 'settlement', '货款结算', 'ledger-brand'],
    ] as const) {
      const client = await login(key);
      const orgId = await orgOf(client);
      const statement = (await client.get(`/api/orgs/${orgId}/ledger`)).json() as Statement;
      expect(statement.account.balanceFen).toBeGreaterThan(0);
      const { page, errors } = await open(client, `/orgs/${orgId}?tab=ledger`, DESKTOP);
      await expectBalance(page, statement.account.balanceFen);
      await expectAllTimeLines(page, statement, word, wordText);
      await expectCsvAgrees(page);
      await page.locator('[data-testid="withdraw-form"]').waitFor();
      await page.screenshot({ path: screenshotPath(`${shot}-statement-desktop`), fullPage: true, animations: 'disabled' });
      expect(errors).toEqual([]);
      await page.context().close();
      const phone = await open(client, `/orgs/${orgId}?tab=ledger`, PHONE);
      await expectBalance(phone.page, statement.account.balanceFen);
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await phone.page.screenshot({ path: screenshotPath(`${shot}-statement-phone`), fullPage: true, animations: 'disabled' });
      await phone.page.context().close();
    }

    // --- the operator: fee income, the journal check, the runs, the withdrawal queue ---
    const operator = await login('operator');
    const books = (await operator.get('/api/admin/ledger')).json();
    expect(books.platformFeesFen).toBeGreaterThan(0);
    {
      const { page, errors } = await open(operator, '/admin?tab=ledger', DESKTOP);
      const fees = page.locator('[data-testid="ledger-fees"]');
      await fees.waitFor({ timeout: 15_000 });
      expect(await fees.getAttribute('data-fen')).toBe(String(books.platformFeesFen));
      expect(fenOf(await fees.locator('[data-testid="ledger-fees-value"]').innerText())).toBe(books.platformFeesFen);
      expect(await page.locator('[data-testid="ledger-clearing"]').getAttribute('data-fen')).toBe(String(books.clearingFen));
      expect(await page.locator('[data-testid="ledger-payouts-pending"]').getAttribute('data-fen')).toBe('100');
      expect(await page.locator('[data-testid="ledger-check"]').getAttribute('data-ok')).toBe('true');
      // The demo's settlement run (and the automatic sweeps since, one a minute).
      expect(await page.locator('[data-testid="settlement-run"]').count()).toBeGreaterThanOrEqual(books.runs.length);
      expect(await page.locator('[data-testid="settlement-run"][data-trigger="operator"]').count()).toBe(0);
      // The fee statement: the platform's balance, the same figure.
      const feeStatement = page.locator('[data-testid="fee-statement"]');
      await feeStatement.locator('[data-testid="ledger-available"]').waitFor();
      expect(await feeStatement.locator('[data-testid="ledger-available"]').getAttribute('data-fen')).toBe(String(books.platformFeesFen));
      // Settle now: nothing else is due, the run is recorded and the books still balance.
      await page.click('[data-testid="settlement-run-now"]');
      await page.locator('[data-testid="settlement-run"][data-trigger="operator"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="ledger-check"]').getAttribute('data-ok')).toBe('true');
      await page.screenshot({ path: screenshotPath('ledger-operator-books-desktop'), fullPage: true, animations: 'disabled' });

      // The queue: approve → paid through the sandbox provider.
      await page.click('[data-testid="tab-withdrawals"]');
      const item = page.locator(`[data-testid="queue-withdrawal"][data-withdrawal-id="${requested.id}"]`);
      await item.waitFor({ timeout: 10_000 });
      expect(await item.getAttribute('data-account-id')).toBe(mine.account.id);
      expect(await item.innerText()).toContain('主播');
      await page.screenshot({ path: screenshotPath('ledger-operator-withdrawals-desktop'), fullPage: true, animations: 'disabled' });
      await item.locator('[data-testid="queue-approve"]').click();
      await page.locator('[data-testid="withdrawal-queue"] [data-testid="form-success"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="withdrawal-queue"] [data-testid="form-success"]').innerText()).toContain('已打款');
      await item.waitFor({ state: 'detached', timeout: 10_000 });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const paid = ((await operator.get('/api/admin/ledger/withdrawals?status=paid')).json().withdrawals as { id: string; payoutNo: string }[]).find((w) => w.id === requested.id);
    expect(paid?.payoutNo).toBeTruthy();

    // A second request, rejected with a reason that looks like HTML: it comes back as text.
    const second = (await streamer.post('/api/me/ledger/withdrawals', { amountFen: 50 })).json().withdrawal;
    {
      const { page } = await open(operator, '/admin?tab=withdrawals', PHONE);
      const item = page.locator(`[data-testid="queue-withdrawal"][data-withdrawal-id="${second.id}"]`);
      await item.waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: screenshotPath('ledger-operator-withdrawals-phone'), fullPage: true, animations: 'disabled' });
      await item.locator('[data-testid="queue-reject-open"]').click();
      await item.locator('[data-testid="queue-reason"]').fill('<img src=x onerror="window.__pwned=1">账户信息不符');
      await item.locator('[data-testid="queue-reject"]').click();
      await item.waitFor({ state: 'detached', timeout: 10_000 });
      await page.context().close();
    }

    // --- the streamer again: paid, rejected (the money back), and the balance to the fen ---
    const after = (await streamer.get('/api/me/ledger')).json() as Statement;
    expect(after.account.balanceFen).toBe(mine.account.balanceFen - 100);
    {
      const { page, errors } = await open(streamer, '/streamer?tab=earnings', DESKTOP);
      await expectBalance(page, after.account.balanceFen);
      const paidRow = page.locator(`[data-testid="withdrawal"][data-withdrawal-id="${requested.id}"]`);
      await paidRow.waitFor();
      expect(await paidRow.getAttribute('data-status')).toBe('paid');
      expect(await paidRow.innerText()).toContain('已打款');
      expect(await paidRow.innerText()).toContain(paid!.payoutNo);
      const rejectedRow = page.locator(`[data-testid="withdrawal"][data-withdrawal-id="${second.id}"]`);
      expect(await rejectedRow.getAttribute('data-status')).toBe('rejected');
      expect(await rejectedRow.innerText()).toContain('<img src=x onerror="window.__pwned=1">账户信息不符');
      expect(await rejectedRow.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('[data-testid="ledger-withdrawn"]').getAttribute('data-fen')).toBe('100');
      expect(await page.locator('[data-testid="ledger-in-withdrawal"]').getAttribute('data-fen')).toBe('0');
      // The journal shows the hold and the reversal in words.
      await page.locator('[data-testid="ledger-period-all"]').check();
      await page.locator('[data-testid="ledger-entry"][data-word="withdrawalReturned"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="ledger-entry"][data-word="withdrawal"]').count()).toBe(2);
      await page.screenshot({ path: screenshotPath('ledger-streamer-paid-desktop'), fullPage: true, animations: 'disabled' });

      // The same page in English.
      await page.click('[data-testid="lang-switch"]');
      await expect.poll(() => page.locator('[data-testid="tab-earnings"]').innerText(), { timeout: 10_000 }).toBe('My earnings');
      await expectBalance(page, after.account.balanceFen);
      expect(await page.locator('[data-testid="ledger-entry"][data-word="commission"]').first().innerText()).toContain('Commission');
      await page.screenshot({ path: screenshotPath('ledger-streamer-paid-en-desktop'), fullPage: true, animations: 'disabled' });
      expect(errors).toEqual([]);
      await page.context().close();
    }

    // An operator reads an organisation's statement but cannot withdraw its money.
    const mcn = await login('mcn');
    const mcnOrg = await orgOf(mcn);
    {
      const { page } = await open(operator, `/orgs/${mcnOrg}?tab=ledger`, DESKTOP);
      await expectBalance(page, ((await mcn.get(`/api/orgs/${mcnOrg}/ledger`)).json() as Statement).account.balanceFen);
      await page.locator('[data-testid="withdraw-not-allowed"]').waitFor();
      expect(await page.locator('[data-testid="withdraw-form"]').count()).toBe(0);
      await page.context().close();
    }
  });
});
