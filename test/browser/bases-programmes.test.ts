// City programmes in the operator console, in Chromium (docs/BASES.md, "City programmes"): the demo operator opens
// 城市政策 (/admin?tab=programmes) on a desktop, sees the demo's three programmes (last year's retired), edits a
// threshold (a negative one refused first, on its row), adds a programme and retires it. Then applications to
// programmes: each shows its programme's year, and 已停止受理 once retired, on the base's report, the operator's
// review and the commission's portal (both filtered by year); a retired programme takes no application from the UI.
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
    // The row shows it once the list has reloaded (the save's answer comes first).
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('公共直播间数 ≥ 6');

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

  it('applications show their programme’s year and 已停止受理 once it is retired; a retired programme takes no application', async () => {
    const signIn = async (account: keyof typeof DEMO_ACCOUNTS) => {
      const client = suite.server.client();
      await client.login(DEMO_ACCOUNTS[account].login, DEMO_PASSWORD);
      return client;
    };
    const [op, base, commission] = [await signIn('operator'), await signIn('base'), await signIn('commission')];
    type Programme = { id: string; year: number; retiredAt: string | null; applications: { pending: number; approved: number; rejected: number } };
    const programmes = async () => (await op.get('/api/admin/base-programmes')).json().programmes as Programme[];
    const baseOrg = ((await base.get('/api/me/orgs')).json().memberships as { org: { id: string; kind: string } }[]).find((m) => m.org.kind === 'base')!.org.id;
    // The demo's programmes in force are this (Beijing) year's; its retired one is last year's.
    const year = (await programmes()).find((p) => !p.retiredAt)!.year;
    const errors: string[] = [];

    // 徐汇区's programme of two years ago: the base applies, then it is retired (the application stays pending).
    // 长宁区's of this year: retired while the base's report is open on screen.
    const criteria = [{ metric: 'public_studios', min: 1 }];
    const older = (await op.post('/api/admin/base-programmes', { name: '徐汇区直播电商基地扶持（测试）', region: '徐汇区', year: year - 2, criteria })).json().programme as Programme;
    const current = (await op.post('/api/admin/base-programmes', { name: '长宁区直播电商基地扶持（测试）', region: '长宁区', year, criteria })).json().programme as Programme;
    expect((await base.post(`/api/orgs/${baseOrg}/base/applications`, { programmeId: older.id, note: '申报徐汇区扶持' })).status).toBe(201);
    expect((await op.post(`/api/admin/base-programmes/${older.id}/retire`)).status).toBe(200);

    // --- The base's report: programmes in force with their year; applications to retired ones below, with evidence ---
    const basePage = await suite.pageAs(base, DESKTOP);
    basePage.on('pageerror', (e) => errors.push(e.message));
    await basePage.goto(`${suite.base}/orgs/${baseOrg}?tab=baseReport`);
    const changning = basePage.locator('[data-testid="report-programme"]', { hasText: '长宁区直播电商基地扶持（测试）' });
    await changning.locator('[data-testid="programme-apply-button"]').waitFor({ timeout: 15_000 });
    expect(await changning.locator('[data-testid="report-programme-name"]').innerText()).toBe(`长宁区直播电商基地扶持（测试） · ${year}年度`);
    const retiredOnes = basePage.locator('[data-testid="retired-programme-application"]');
    await retiredOnes.first().waitFor({ timeout: 10_000 });
    expect(await retiredOnes.count()).toBe(2);
    const xuhui = retiredOnes.filter({ hasText: '徐汇区直播电商基地扶持（测试）' });
    expect(await xuhui.locator('[data-testid="application-programme"]').innerText()).toContain(`徐汇区直播电商基地扶持（测试） · ${year - 2}年度`);
    expect(await xuhui.locator('[data-testid="programme-retired-badge"]').innerText()).toBe('已停止受理');
    expect(await xuhui.innerText()).toContain('待审核');
    expect(await xuhui.locator('[data-testid="application-criteria"]').innerText()).toContain('公共直播间');
    // The demo's application for last year's programme, rejected then: its evidence of that November.
    const lastYear = retiredOnes.filter({ hasText: `上海市直播电商示范基地（示例） · ${year - 1}年度` });
    expect(await lastYear.locator('[data-testid="programme-retired-badge"]').innerText()).toBe('已停止受理');
    expect(await lastYear.innerText()).toContain(`${year - 1}-11`);
    expect(await lastYear.innerText()).toContain('未通过');
    expect(await lastYear.locator('[data-testid="application-criteria"] tr').count()).toBe(3);
    expect(await lastYear.locator('[data-testid="application-retired-note"]').innerText()).toContain('停止受理新的申报');
    // No apply button for a retired programme, even after a rejection.
    expect(await basePage.locator('[data-testid="retired-programme-applications"] [data-testid="programme-apply-button"]').count()).toBe(0);

    // 长宁区's is retired while the page is open: applying is refused with the server's message, and the button goes.
    expect((await op.post(`/api/admin/base-programmes/${current.id}/retire`)).status).toBe(200);
    await changning.locator('[data-testid="programme-apply-button"]').click();
    const refused = changning.locator('[data-testid="form-error"]');
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.getAttribute('data-code')).toBe('BASE_PROGRAMME_RETIRED');
    expect(await refused.innerText()).toContain('该项目已停用，不再受理申报');
    expect(await changning.locator('[data-testid="programme-apply-button"]').count()).toBe(0);
    expect(await changning.locator('[data-testid="programme-apply-closed"]').innerText()).toBe('该项目已停止受理，不能再申报');
    expect((await programmes()).find((p) => p.id === current.id)!.applications).toEqual({ pending: 0, approved: 0, rejected: 0 });
    await basePage.screenshot({ path: screenshotPath('bases-programmes-base-retired'), fullPage: true });

    // --- The operator's review: pending applications with their year, by year; a retired one still decided ---
    const opPage = await suite.pageAs(op, DESKTOP);
    opPage.on('pageerror', (e) => errors.push(e.message));
    await opPage.goto(`${suite.base}/admin?tab=talent`);
    const items = opPage.locator('[data-testid="application-review-item"]');
    await items.first().waitFor({ timeout: 15_000 });
    expect(await items.count()).toBe(2);
    const pendingXuhui = items.filter({ hasText: '徐汇区直播电商基地扶持（测试）' });
    expect(await pendingXuhui.locator('[data-testid="application-programme"]').innerText()).toContain(`· ${year - 2}年度`);
    expect(await pendingXuhui.locator('[data-testid="programme-retired-badge"]').innerText()).toBe('已停止受理');
    const minhang = items.filter({ hasText: '闵行区直播电商基地扶持（示例）' });
    expect(await minhang.locator('[data-testid="application-programme"]').innerText()).toBe(`闵行区直播电商基地扶持（示例） · ${year}年度`);
    expect(await minhang.locator('[data-testid="programme-retired-badge"]').count()).toBe(0);
    const opYears = opPage.locator('[data-testid="talent-review"] [data-testid="application-year-filter"]');
    expect(await opYears.locator('option').allInnerTexts()).toEqual(['全部年度', `${year}年度`, `${year - 2}年度`]);
    await opYears.selectOption(String(year - 2));
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    expect(await items.first().innerText()).toContain('徐汇区直播电商基地扶持（测试）');
    await opPage.screenshot({ path: screenshotPath('bases-programmes-operator-review'), fullPage: true });
    // Approved on its evidence: the year has no pending application left, so every year is listed again.
    await pendingXuhui.locator('[data-testid="approve"]').click();
    await expect.poll(() => items.allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringContaining('闵行区直播电商基地扶持（示例）')]);
    expect(await opYears.inputValue()).toBe('');
    expect((await programmes()).find((p) => p.id === older.id)!.applications).toEqual({ pending: 0, approved: 1, rejected: 0 });

    // --- The commission's portal: every application, by year; last year's retired programme's with its evidence ---
    const cPage = await suite.pageAs(commission, DESKTOP);
    cPage.on('pageerror', (e) => errors.push(e.message));
    await cPage.goto(`${suite.base}/commission`);
    const cards = cPage.locator('[data-testid="commission-application"]');
    await cards.first().waitFor({ timeout: 15_000 });
    expect(await cards.count()).toBe(3);
    expect(await cards.filter({ has: cPage.locator('[data-testid="programme-retired-badge"]') }).count()).toBe(2);
    const cYears = cPage.locator('[data-testid="commission-applications"] [data-testid="application-year-filter"]');
    expect(await cYears.locator('option').allInnerTexts()).toEqual(['全部年度', `${year}年度`, `${year - 1}年度`, `${year - 2}年度`]);
    await cYears.selectOption(String(year - 1));
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);
    const card = cards.first();
    expect(await card.locator('[data-testid="application-programme"]').innerText()).toContain(`上海市直播电商示范基地（示例） · ${year - 1}年度`);
    expect(await card.locator('[data-testid="programme-retired-badge"]').innerText()).toBe('已停止受理');
    expect(await card.locator('[data-testid="application-retired-note"]').isVisible()).toBe(true);
    expect(await card.locator('[data-testid="application-criteria"]').innerText()).toContain('公共直播间');
    await cPage.screenshot({ path: screenshotPath('bases-programmes-commission-by-year'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
