// Live-streaming bases charge through the ledger, in Chromium (docs/BASES.md, "Charging"): after the sweep
// has charged the demo's ended bookings, 虹桥基地's console shows its studio income (desktop and phone) to
// the fen of the API, and 星火互娱's ledger statement lists the studio fees in words.
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
});
