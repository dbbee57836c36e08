// City programmes in the operator console, in Chromium (docs/BASES.md, "City programmes"): the demo operator opens
// 城市政策 (/admin?tab=programmes) on a desktop, sees the demo's three programmes (last year's retired), edits a
// threshold (a negative one refused first, on its row), adds a programme and retires it.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');
const DESKTOP = { width: 1366, height: 900 };

describe.skipIf(!chromiumAvailable.ok)('city programmes in the operator console (Chromium)', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('the operator lists, edits, adds and retires programmes', async () => {
    const op = suite.server.client();
    await op.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
    type Programme = { id: string; name: string; region: string; retiredAt: string | null; criteria: { metric: string; min: number }[] };
    const programmes = async () => (await op.get('/api/admin/base-programmes')).json().programmes as Programme[];
    const errors: string[] = [];
    const page = await suite.pageAs(op, DESKTOP);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());

    await page.goto(`${suite.base}/admin?tab=programmes`);
    const panel = page.locator('[data-testid="base-programmes"]');
    await panel.waitFor({ timeout: 15_000 });
    const rows = panel.locator('[data-testid="base-programme-row"]');
    expect(await rows.count()).toBe(3);
    expect(await panel.locator('[data-testid="base-programme-row"][data-retired="true"]').count()).toBe(1);
    expect(await rows.first().innerText()).toContain('公共直播间数 ≥ 10');

    // Edit the 闵行区 programme's public studios: -1 refused on its row, then 6 saved.
    const district = (await programmes()).find((p) => p.region === '闵行区')!;
    const row = panel.locator(`[data-testid="base-programme-row"][data-programme-id="${district.id}"]`);
    await row.locator('[data-testid="base-programme-edit"]').click();
    const form = panel.locator('[data-testid="base-programme-edit-form"]');
    const studios = form.locator('[data-testid="base-programme-metric-public_studios"] input[inputmode]');
    expect(await studios.inputValue()).toBe('5');
    await studios.fill('-1');
    await form.locator('[data-testid="base-programme-save"]').click();
    await form.locator('[data-testid="base-programme-metric-public_studios"] [data-testid="field-error"]').waitFor({ timeout: 10_000 });
    expect((await programmes()).find((p) => p.id === district.id)!.criteria[0]).toEqual({ metric: 'public_studios', min: 5 });
    await studios.fill('6');
    await form.locator('[data-testid="base-programme-save"]').click();
    await panel.locator('[data-testid="form-success"]').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await programmes()).find((p) => p.id === district.id)!.criteria[0], { timeout: 10_000 }).toEqual({ metric: 'public_studios', min: 6 });
    expect(await row.innerText()).toContain('公共直播间数 ≥ 6');

    // Add one (GMV typed in yuan), then retire it.
    const add = panel.locator('[data-testid="base-programme-add-form"]');
    await add.locator('[data-testid="base-programme-name"]').fill('浦东新区直播电商基地扶持（测试）');
    await add.locator('[data-testid="base-programme-region"]').fill('浦东新区');
    await add.locator('[data-testid="base-programme-metric-monthly_gmv_fen"] input[type="checkbox"]').check();
    await add.locator('[data-testid="base-programme-metric-monthly_gmv_fen"] input[inputmode]').fill('5000');
    await add.locator('[data-testid="base-programme-save"]').click();
    await expect.poll(async () => (await programmes()).find((p) => p.region === '浦东新区')?.criteria, { timeout: 10_000 }).toEqual([{ metric: 'monthly_gmv_fen', min: 500_000 }]);
    const added = (await programmes()).find((p) => p.region === '浦东新区')!;
    const addedRow = panel.locator(`[data-testid="base-programme-row"][data-programme-id="${added.id}"]`);
    await addedRow.waitFor({ timeout: 10_000 });
    expect(await addedRow.innerText()).toContain('¥5,000.00');
    await addedRow.locator('[data-testid="base-programme-retire"]').click();
    await expect.poll(() => addedRow.getAttribute('data-retired'), { timeout: 10_000 }).toBe('true');
    expect((await programmes()).find((p) => p.id === added.id)!.retiredAt).not.toBeNull();
    await page.screenshot({ path: screenshotPath('bases-programmes-operator-desktop'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
