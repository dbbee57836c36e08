// The commission's portal in Chromium (docs/TALENT.md): the demo's commission reviewer reads the base
// applications with their evidence and their programme's year (last year's retired), the registries, the
// talent catalogue and the campaigns tab; the operator's review tab and the centre's 人才推荐 tab show
// the evidence too.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('talent catalogue and commission portal, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });

  it('the commission reads every tab of its portal', async () => {
    const { server, base } = suite;
    const commission = server.client();
    await commission.login(DEMO_ACCOUNTS.commission.login, DEMO_PASSWORD);
    const page = await suite.pageAs(commission, { width: 1280, height: 900 });
    await page.goto(`${base}/`);
    await page.click('[data-testid="nav-commission"]');
    await page.locator('[data-testid="commission-read-only"]').waitFor();
    await page.locator('[data-testid="commission-application"]').first().waitFor();
    expect(await page.locator('[data-testid="commission-application"]').first().textContent()).toContain('虹桥直播电商基地');
    // Each application names its programme's year; the demo's for last year's programme, retired since, says so.
    const programmes = await page.locator('[data-testid="commission-application"] [data-testid="application-programme"]').allInnerTexts();
    expect(programmes.length).toBe(2);
    for (const text of programmes) expect(text).toMatch(/ · \d{4}年度/);
    const retired = page.locator('[data-testid="commission-application"]', { has: page.locator('[data-testid="programme-retired-badge"]') });
    expect(await retired.count()).toBe(1);
    expect(await retired.locator('[data-testid="application-programme"]').innerText()).toMatch(/^上海市直播电商示范基地（示例） · \d{4}年度\s+已停止受理$/);
    expect(await retired.locator('[data-testid="application-criteria"] tr').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('commission-applications'), fullPage: true });
    await page.getByRole('tab', { name: '机构名录' }).click();
    await page.locator('[data-testid="registry-row"]').first().waitFor();
    expect(await page.locator('[data-testid="registry-table"]').textContent()).toContain('星火互娱');
    await page.click('[data-testid="registry-talent"]');
    await page.locator('[data-testid="registry-table"] a').first().waitFor();
    expect(await page.locator('[data-testid="registry-table"] a').first().textContent()).toMatch(/^ZB-\d{4}-\d{6}$/);
    await page.getByRole('tab', { name: '人才目录' }).click();
    await page.locator('[data-testid="commission-nomination"]').first().waitFor();
    expect(await page.locator('[data-testid="commission-nomination"]').first().textContent()).toContain('小林说吃');
    expect(await page.locator('[data-testid="talent-evidence"]').first().textContent()).toMatch(/ZB-\d{4}-\d{6}/);
    await page.screenshot({ path: screenshotPath('commission-talent'), fullPage: true });
    await page.getByRole('tab', { name: '活动统计' }).click();
    await page.locator('[data-testid="commission-campaign"]').first().waitFor();
    expect(await page.locator('[data-testid="commission-campaigns"]').textContent()).toContain('五五购物节');
    await page.screenshot({ path: screenshotPath('commission-campaigns'), fullPage: true });
    await page.context().close();
  });

  it('the operator changes the criteria in the review tab', async () => {
    const { server, base } = suite;
    const operator = server.client();
    await operator.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
    const page = await suite.pageAs(operator, { width: 1280, height: 900 });
    await page.goto(`${base}/admin?tab=talent`);
    await page.locator('[data-testid="criteria-editor"]').waitFor();
    // The demo base's pending application, with its programme's year.
    await page.locator('[data-testid="application-review-item"]').first().waitFor();
    expect(await page.locator('[data-testid="application-review-item"] [data-testid="application-programme"]').allInnerTexts()).toEqual([expect.stringMatching(/^闵行区直播电商基地扶持（示例） · \d{4}年度$/)]);
    await page.locator('[data-testid="criteria-gmv"]').fill('2000');
    await page.locator('[data-testid="criteria-editor"] button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="criteria-editor"] [data-testid="talent-criteria"]').innerText(), { timeout: 10_000 }).toContain('¥2,000.00');
    expect((await operator.get('/api/talent/criteria')).json().criteria.minGmvFen).toBe(200_000);
    await page.screenshot({ path: screenshotPath('talent-criteria-editor'), fullPage: true });
    // Back to the demo's criteria for the other tests of this file.
    await operator.put('/api/admin/talent/criteria', { minLevels: { seller: 5, creator: 5, selector: 5 }, minGmvFen: 100_000, windowDays: 365, maxViolations: 0 });
    // No nomination waits, and the decided one (小林说吃's, approved) is listed below instead of an empty tab.
    await page.locator('[data-testid="talent-review-empty"]').waitFor();
    expect(await page.locator('[data-testid="talent-decided-item"][data-status="approved"]').allInnerTexts()).toEqual([expect.stringContaining('小林说吃')]);
    // The audit log names these decisions in words, never as their codes (talent.approve, talent.criteria, base.apply).
    await page.getByRole('tab', { name: '审核日志' }).click();
    await page.locator('[data-testid="audit-entry"][data-action="talent.criteria"]').first().waitFor();
    for (const [action, words] of [['talent.criteria', '修改人才推荐条件'], ['talent.approve', '通过人才推荐'], ['base.apply', '申报城市政策']] as const) {
      expect(await page.locator(`[data-testid="audit-entry"][data-action="${action}"] td`).nth(2).first().innerText()).toBe(words);
    }
    await page.context().close();
  });

  it('the training centre sees its candidates with the evidence', async () => {
    const { server, base } = suite;
    const trainer = server.client();
    await trainer.login(DEMO_ACCOUNTS.training.login, DEMO_PASSWORD);
    const orgId = (await trainer.get('/api/me/orgs')).json().memberships[0].org.id as string;
    const page = await suite.pageAs(trainer, { width: 1280, height: 900 });
    await page.goto(`${base}/orgs/${orgId}`);
    await page.getByRole('tab', { name: '人才推荐' }).click();
    await page.locator('[data-testid="talent-candidate"]').first().waitFor();
    expect(await page.locator('[data-testid="talent-candidate"][data-eligible="true"]').first().textContent()).toContain('小林说吃');
    await page.screenshot({ path: screenshotPath('talent-centre'), fullPage: true });
    await page.context().close();
  });
});
