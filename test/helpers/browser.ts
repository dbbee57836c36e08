import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_PATH } from './env.ts';
import { startTestServer, type StartOptions, type TestClient, type TestServer } from './server.ts';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export function screenshotPath(name: string) {
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

export type Viewport = { width: number; height: number };

/**
 * The usual browser suite: in `beforeAll` a listening test server (with the given options) and Chromium; both closed in
 * `afterAll`. Call inside a `describe`. `pageAs` opens a page in a new zh-CN context signed in as the client (its
 * zhibo_session cookie).
 */
export function useBrowserServer(options: Omit<StartOptions, 'listen'>) {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ ...options, listen: true });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function pageAs(client: TestClient, viewport: Viewport): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    return context.newPage();
  }

  return {
    get server() {
      return server;
    },
    get base() {
      return base;
    },
    get browser() {
      return browser;
    },
    pageAs,
  };
}
