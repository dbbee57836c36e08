import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { RoomSocket } from '../helpers/room-client.ts';

const chromiumAvailable = await requireService('chromium');

describe.skipIf(!chromiumAvailable.ok)('the live room in two Chromium pages', { timeout: 120_000 }, () => {
  // Write groups of one viewer: the two pages make a room of two groups, so ordinary chat reaches the
  // pages the way it does in a large room, in unnumbered `chat` frames.
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, env: { ROOM_VIEWERS_PER_GROUP: '1' } });
  const { pageAs } = suite;

  it('the streamer pins a product and starts a lucky bag; the viewer sees both, chats HTML as text, and wins', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions;

    const consolePage = await pageAs(host, { width: 1366, height: 900 });
    await consolePage.goto(`${base}/streamer/sessions/${session.id}/console`);
    await consolePage.waitForSelector('[data-testid="console-page"]');
    const viewerPage = await pageAs(viewer, { width: 390, height: 844 });
    await viewerPage.goto(`${base}/watch/${session.id}`);
    await viewerPage.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });

    // Pin the first product from the console: the viewer's page shows the "讲解中" card.
    await consolePage.locator('[data-testid="pin-product"]').first().click();
    const card = viewerPage.locator('[data-testid="pinned-card"]');
    await card.waitFor({ timeout: 10_000 });
    expect(await card.innerText()).toContain('德兴斋鲜肉月饼');
    expect(await card.innerText()).toContain('39.80');

    // Start a lucky bag whose condition is posting a keyword, through the console's form.
    await consolePage.fill('[data-testid="luckybag-prize-input"]', '德兴斋月饼礼盒');
    await consolePage.check('[data-testid="luckybag-kind-keyword"]');
    await consolePage.fill('[data-testid="luckybag-keyword"]', '想要月饼');
    await consolePage.click('[data-testid="luckybag-start"]');
    const bag = (await server.client().get(`/api/rooms/${session.id}`)).json().luckyBag ?? (await (async () => {
      await viewerPage.locator('[data-testid="luckybag-popup"]').waitFor({ timeout: 10_000 });
      return (await server.client().get(`/api/rooms/${session.id}`)).json().luckyBag;
    })());
    expect(bag).toMatchObject({ prize: '德兴斋月饼礼盒', condition: { kind: 'keyword', keyword: '想要月饼' }, status: 'open' });
    const popup = viewerPage.locator('[data-testid="luckybag-popup"]');
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.innerText()).toContain('德兴斋月饼礼盒');
    expect(await viewerPage.locator('[data-testid="luckybag-commitment"]').innerText()).toContain(bag.commitment.slice(0, 8));
    await viewerPage.screenshot({ path: screenshotPath('room-viewer-luckybag-phone') });

    // Chat with an HTML payload: it shows as text, and nothing runs.
    let dialogs = 0;
    viewerPage.on('dialog', async (dialog) => {
      dialogs++;
      await dialog.dismiss();
    });
    const payload = '<img src=x onerror="alert(1)">想要月饼<b>粗体</b>';
    await viewerPage.click('[data-testid="luckybag-close"]');
    await viewerPage.fill('[data-testid="chat-input"]', payload);
    await viewerPage.click('[data-testid="chat-send"]');
    const message = viewerPage.locator('[data-testid="chat-message"]', { hasText: '想要月饼' });
    await message.waitFor({ timeout: 10_000 });
    expect(await message.innerText()).toContain('<img src=x onerror="alert(1)">');
    expect(await viewerPage.locator('[data-testid="chat-list"] img[src="x"]').count()).toBe(0);
    expect(await viewerPage.locator('[data-testid="chat-list"] b').count()).toBe(0);
    // The streamer's console sees it too.
    await consolePage.locator('text=粗体').first().waitFor({ timeout: 10_000 });

    // Draw now from the console: the only entrant wins and is told so.
    await consolePage.locator('[data-testid="luckybag-draw"]').first().click();
    await viewerPage.locator('[data-testid="luckybag-won"], [data-testid="luckybag-result"][data-won="true"]').first().waitFor({ timeout: 10_000 });
    const audit = (await server.client().get(`/api/rooms/${session.id}/lucky-bags/${bag.id}`)).json();
    expect(audit.winnerIds).toEqual([(await viewer.get('/api/auth/session')).json().user.id]);
    expect(dialogs).toBe(0);
    await viewerPage.screenshot({ path: screenshotPath('room-viewer-won-phone') });
    await consolePage.screenshot({ path: screenshotPath('room-console-desktop'), fullPage: true });
  });
});

describe.skipIf(!chromiumAvailable.ok)('a thinned room in Chromium', { timeout: 120_000 }, () => {
  // A chat budget of one delivery a second: with two sockets in two write groups, each viewer may
  // see one ordinary message every two seconds, so the server thins out nearly everything.
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, env: { ROOM_VIEWERS_PER_GROUP: '1', ROOM_CHAT_DELIVERIES_PER_SECOND: '1' } });

  it('always shows the viewer their own message, even when the server thins it out of their chat', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions;
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const other = server.client();
    await other.login(DEMO_ACCOUNTS.training.login, DEMO_PASSWORD);

    const page = await suite.pageAs(viewer, { width: 390, height: 844 });
    // The ordinary chat the server sends the page's write group, read off the page's own socket.
    type ChatFrame = { events: { text?: string }[]; thinned?: number };
    const chatFrames: ChatFrame[] = [];
    const carries = (frame: ChatFrame, text: string) => frame.events.some((e) => e.text === text);
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const frame = typeof payload === 'string' ? JSON.parse(payload) : null;
        if (frame?.t === 'chat') chatFrames.push(frame);
      }),
    );
    await page.goto(`${base}/watch/${session.id}`);
    await page.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });
    const otherSocket = await RoomSocket.open(server, session.id, { client: other });
    expect(server.services.hubs.peek(session.id)!.groupCount()).toBe(2);

    // After two quiet seconds the viewer's group may see one message: someone else's uses it up, so the
    // viewer's own, sent right after, is thinned out of what its write group gets. A machine too slow to
    // send it within the next two seconds gives the group its allowance back first, and the message is
    // simply delivered: then the test tries again, until the server has thinned the viewer's own message.
    for (let attempt = 1; ; attempt++) {
      await new Promise((r) => setTimeout(r, 2500));
      if (attempt > 1) server.clock.advance(2000); // the per-user chat rate limit runs on the server's (test) clock
      const warmUp = `预热一下${attempt}`;
      const own = `我自己的话${attempt}`;
      await page.fill('[data-testid="chat-input"]', own);
      expect((await otherSocket.chat(warmUp)).t).toBe('ack');
      await page.locator('[data-testid="chat-message"]', { hasText: warmUp }).waitFor({ timeout: 10_000 });
      await expect.poll(() => chatFrames.some((f) => carries(f, warmUp)), { timeout: 10_000 }).toBe(true);
      const seen = chatFrames.findIndex((f) => carries(f, warmUp)) + 1;
      await page.click('[data-testid="chat-send"]');
      // The group's next chat frame either carries the message or counts it as thinned.
      await expect.poll(() => chatFrames.length > seen, { timeout: 10_000 }).toBe(true);
      const verdict = chatFrames[seen]!;
      if (carries(verdict, own)) {
        expect(attempt, 'the viewer’s own message was never thinned').toBeLessThan(5);
        continue;
      }
      expect(verdict.thinned).toBeGreaterThan(0);
      await page.locator('[data-testid="chat-thinned"]').waitFor({ timeout: 10_000 });
      // and the page still shows it, from the server's acknowledgement.
      await page.locator('[data-testid="chat-message"]', { hasText: own }).waitFor({ timeout: 10_000 });
      break;
    }
    await page.screenshot({ path: screenshotPath('room-viewer-thinned-own-message-phone') });
    otherSocket.close();
  });
});
