import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';

const chromiumAvailable = await requireService('chromium');

/** A picture a brand might take: a green plate with a mooncake on it, 900×700. */
const photo = () =>
  sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="700">
      <rect width="900" height="700" fill="#2e7d4f"/><circle cx="450" cy="350" r="300" fill="#f4f1e8"/>
      <circle cx="450" cy="350" r="200" fill="#e0a040"/><circle cx="450" cy="350" r="40" fill="#b3261e"/></svg>`),
  )
    .jpeg({ quality: 85 })
    .toBuffer();

describe.skipIf(!chromiumAvailable.ok)('product pictures, in Chromium', { timeout: 150_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, realTime: true });
  const { pageAs } = suite;

  it('a brand uploads a picture in its console, makes it the main one, and viewers see it in the 小黄车', async () => {
    const { server, base } = suite;
    const brand = server.client();
    await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const org = (await server.services.orgs.list()).find((o) => o.name === '德兴斋')!;
    const mooncakeImages = async (): Promise<string[]> =>
      (await brand.get(`/api/orgs/${org.id}/products`)).json().products.find((p: { title: string }) => p.title === '德兴斋鲜肉月饼').images;
    const mooncakeId = (await brand.get(`/api/orgs/${org.id}/products`)).json().products.find((p: { title: string }) => p.title === '德兴斋鲜肉月饼').id as string;
    const before = await mooncakeImages();
    expect(before).toHaveLength(2);

    const page = await pageAs(brand, { width: 1366, height: 900 });
    await page.goto(`${base}/orgs/${org.id}?tab=products`);
    const card = page.locator(`[data-testid="product"][data-product-id="${mooncakeId}"]`);
    const pictures = card.locator('[data-testid="pictures"]');
    await pictures.waitFor({ timeout: 10_000 });
    expect(await pictures.locator('[data-testid="picture"]').count()).toBe(2);

    // A text file named .jpg: the server's message is shown and nothing changes.
    await pictures.locator('[data-testid="picture-input"]').setInputFiles({ name: '月饼.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture at all') });
    const error = pictures.locator('[data-testid="form-error"][data-code="PICTURE_NOT_IMAGE"]');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('「月饼.jpg」不是可识别的图片');
    expect(await mooncakeImages()).toEqual(before);

    // A real photo: a third thumbnail, then moved to the front.
    await pictures.locator('[data-testid="picture-input"]').setInputFiles({ name: '新品实拍.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await pictures.locator('[data-testid="picture"]').nth(2).waitFor({ timeout: 15_000 });
    const after = await mooncakeImages();
    expect(after).toHaveLength(3);
    const added = after.find((u) => !before.includes(u))!;
    expect(after[2]).toBe(added);
    const addedItem = pictures.locator(`[data-testid="picture"][data-url="${added}"]`);
    await page.waitForFunction((url) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="picture"][data-url="${url}"] img`);
      return !!img && img.complete && img.naturalWidth === 240;
    }, added);
    await addedItem.locator('[data-testid="picture-move-before"]').click();
    await pictures.locator('[data-testid="picture"]').nth(1).and(page.locator(`[data-url="${added}"]`)).waitFor({ timeout: 10_000 });
    await addedItem.locator('[data-testid="picture-move-before"]').click();
    await pictures.locator('[data-testid="picture"]').first().and(page.locator(`[data-url="${added}"]`)).waitFor({ timeout: 10_000 });
    expect(await mooncakeImages()).toEqual([added, before[0], before[1]]);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('pictures-brand-console-desktop'), animations: 'disabled' });

    // A new product with a picture chosen in the form: uploaded once the product exists.
    await page.locator('[data-testid="product-create-open"]').click();
    const form = page.locator('[data-testid="product-form"]');
    await form.locator('[data-testid="product-title"]').fill('德兴斋青团');
    await form.locator('[data-testid="product-category"]').fill('食品/糕点');
    await form.locator('[data-testid="product-sku-spec"]').first().fill('6 只装');
    await form.locator('[data-testid="product-sku-price"]').first().fill('32');
    await form.locator('[data-testid="picture-queue-input"]').setInputFiles({ name: '青团.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await form.locator('[data-testid="picture-queued"]').waitFor();
    await form.locator('[data-testid="product-submit"]').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    const created = (await brand.get(`/api/orgs/${org.id}/products`)).json().products.find((p: { title: string }) => p.title === '德兴斋青团');
    expect(created.images).toHaveLength(1);
    await page.locator(`[data-testid="product"][data-product-id="${created.id}"] [data-testid="picture"]`).waitFor({ timeout: 10_000 });

    // A viewer on a phone opens a live room that carries the product: the 小黄车 shows the new thumbnail.
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const sessions = (await host.get('/api/streamer/live-sessions')).json().sessions as { id: string; status: string }[];
    let sessionId: string | undefined;
    for (const s of sessions.filter((s) => s.status !== 'ended')) {
      const { products } = (await server.client().get(`/api/rooms/${s.id}/products`)).json();
      if (products.some((p: { id: string }) => p.id === mooncakeId)) sessionId ??= s.id;
    }
    expect(sessionId).toBeTruthy();
    const viewer = server.client();
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const phone = await pageAs(viewer, { width: 390, height: 844 });
    await phone.goto(`${base}/watch/${sessionId}`);
    await phone.locator('[data-testid="cart-button"]').click({ timeout: 15_000 });
    const item = phone.locator(`[data-testid="cart-product"][data-product-id="${mooncakeId}"]`);
    await item.waitFor({ timeout: 10_000 });
    const img = item.locator('img').first();
    const thumb = added.replace('display.webp', 'thumb.webp');
    await phone.waitForFunction(
      ({ id, src }) => {
        const el = document.querySelector<HTMLImageElement>(`[data-testid="cart-product"][data-product-id="${id}"] img`);
        return !!el && el.getAttribute('src') === src && el.complete && el.naturalWidth === 240;
      },
      { id: mooncakeId, src: thumb },
      { timeout: 10_000 },
    );
    expect(await img.getAttribute('alt')).toBe('德兴斋鲜肉月饼');
    expect(await img.getAttribute('loading')).toBe('lazy');
    expect([await img.getAttribute('width'), await img.getAttribute('height')]).toEqual(['240', '240']);
    // Every demo product in the room has a picture, none the pink placeholder.
    expect(await phone.locator('[data-testid="cart-sheet"] .room-product-img-empty').count()).toBe(0);
    await phone.screenshot({ path: screenshotPath('pictures-cart-phone'), animations: 'disabled' });
  });
});
