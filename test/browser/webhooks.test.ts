// The 开放平台 tab of a brand's console (docs/WEBHOOKS.md), in Chromium: the demo's key and endpoint,
// a new key shown once and revoked, a webhook endpoint added, its delivery in the log, and a resend.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { newId } from '../../server/platform/ids.ts';
import { verifySignature } from '../../server/webhooks/signature.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { waitFor } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('the open platform tab, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('a brand owner creates and revokes a key, adds an endpoint, sees a delivery and resends it', async () => {
    const { server, base } = suite;
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/zhibo`;
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const [membership] = (await brand.get('/api/me/orgs')).json().memberships;
    const orgId = membership.org.id as string;

    const page = await suite.pageAs(brand, { width: 1280, height: 900 });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${base}/orgs/${orgId}?tab=openPlatform`);
    await page.locator('[data-testid="open-platform"]').waitFor();
    expect(await page.locator('[role="tab"][aria-selected="true"]').innerText()).toBe('开放平台');
    // The demo's key and (disabled) endpoint; an empty log.
    await page.locator('[data-testid="api-key-row"]').first().waitFor();
    expect(await page.locator('[data-testid="api-key-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="webhook-endpoint"]').getAttribute('data-enabled')).toBe('false');
    await page.locator('[data-testid="webhook-log-empty"]').waitFor();
    await page.screenshot({ path: screenshotPath('open-platform-demo'), fullPage: true });

    // A new key is shown once, works, and stops working once revoked.
    await page.fill('[data-testid="api-key-name"]', '库存同步');
    await page.click('[data-testid="api-key-submit"]');
    const secret = await page.locator('[data-testid="api-key-secret-value"]').innerText();
    expect(secret).toMatch(/^zb_live_[A-Za-z0-9_-]{43}$/);
    await waitFor(async () => (await page.locator('[data-testid="api-key-row"]').count()) === 2);
    const open = server.client();
    expect((await open.get('/api/open/v1/orders', { authorization: `Bearer ${secret}` })).status).toBe(200);
    const newRow = page.locator('[data-testid="api-key-row"]', { hasText: '库存同步' });
    await newRow.locator('[data-testid="api-key-revoke"]').click();
    await waitFor(async () => (await newRow.getAttribute('data-revoked')) === 'true');
    expect((await open.get('/api/open/v1/orders', { authorization: `Bearer ${secret}` })).errorCode).toBe('APIKEY_REVOKED');
    expect(await page.locator('[data-testid="api-key-row"][data-revoked="false"]').count()).toBe(1);

    // An endpoint: a self URL is refused with its message, a local receiver is accepted and its secret shown.
    const selfPort = new URL(base).port;
    await page.fill('[data-testid="webhook-url"]', `http://127.0.0.1:${selfPort}/api/x`);
    await page.click('[data-testid="webhook-submit"]');
    await page.locator('[data-testid="webhook-form"] [data-testid="form-error"][data-code="WEBHOOK_URL_SELF"]').waitFor();
    await page.fill('[data-testid="webhook-url"]', hookUrl);
    await page.click('[data-testid="webhook-submit"]');
    const hookSecret = await page.locator('[data-testid="webhook-secret-value"]').innerText();
    expect(hookSecret).toMatch(/^whsec_/);
    await waitFor(async () => (await page.locator('[data-testid="webhook-endpoint"][data-enabled="true"]').count()) === 1);

    // An order of the brand is paid (written to the outbox as commerce writes it): delivered, signed.
    const orderId = newId();
    const at = server.clock.now().toISOString();
    await server.database.db
      .insertInto('business_events')
      .values({ id: newId(), type: 'order.paid', subject_id: orderId, payload: JSON.stringify({ orderId, buyerId: 'someone', brandOrgId: orgId, sessionId: null, flashSaleId: null, status: 'paid', totalFen: 6800, refundedFen: 0, paidAt: at, items: [] }), occurred_at: at })
      .execute();
    await server.services.events.drain();
    await server.services.webhooks.worker.runDue();
    await waitFor(async () => received.length === 1);
    expect(verifySignature(hookSecret, received[0]!.headers['zhibo-signature'] as string, received[0]!.body)).toBe(true);
    expect(received[0]!.body).not.toContain('someone');

    await page.click('[data-testid="webhook-log"] button:has-text("刷新")');
    const row = page.locator('[data-testid="webhook-delivery"]');
    await row.first().waitFor();
    expect(await row.first().getAttribute('data-status')).toBe('delivered');
    await page.screenshot({ path: screenshotPath('open-platform-delivery'), fullPage: true });
    await row.first().locator('[data-testid="webhook-resend"]').click();
    await page.locator('[data-testid="webhook-log"] [data-testid="form-success"]').waitFor();
    await server.services.webhooks.worker.runDue();
    await waitFor(async () => received.length === 2);
    expect(received[1]!.headers['zhibo-event-id']).toBe(received[0]!.headers['zhibo-event-id']);
  });
});
