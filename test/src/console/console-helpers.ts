import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../harness/app';
import { CONSOLE_STANDALONE_DIR, launchBrowser, startConsole, type BrowserHandle, type ConsoleHandle } from '../harness/browser';

/** The machine is shared and slow: page-level waits are generous, never the thing tested. */
export const UI_TIMEOUT_MS = 45_000;

export interface ConsoleFixture {
  app: TestApp;
  console: ConsoleHandle;
  browser: BrowserHandle;
  stop(): Promise<void>;
}

/** The real API (own database) and the built console pointed at it, plus a Chromium. */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  if (!existsSync(CONSOLE_STANDALONE_DIR)) {
    throw new Error(`${CONSOLE_STANDALONE_DIR} not found: build the console first with "npm run build -w client".`);
  }
  const app = await startTestApp();
  let consoleApp: ConsoleHandle | undefined;
  let browser: BrowserHandle | undefined;
  try {
    consoleApp = await startConsole({ apiUrl: app.url });
    browser = await launchBrowser();
  } catch (error) {
    await consoleApp?.stop();
    await app.stop();
    throw error;
  }
  const c = consoleApp;
  const b = browser;
  return {
    app,
    console: c,
    browser: b,
    async stop() {
      await b.close();
      await c.stop();
      await app.stop();
    },
  };
}

/** A fresh browser context (its own cookies) for one person. */
export async function personPage(fx: ConsoleFixture): Promise<{ page: Page; context: BrowserContext }> {
  const page = await fx.browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
  return { page, context: page.context() };
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.waitForFunction(() => document.querySelector('div[hidden][id^="S:"]') === null);
}

/** Waits for a live pane's badge to say it is connected. */
export async function waitLive(page: Page, panel: string): Promise<void> {
  await page.getByRole('region', { name: panel }).getByRole('status').filter({ hasText: 'Live' }).first().waitFor();
}

/**
 * Navigates and waits until React has revealed every streamed Suspense boundary: until
 * then a page holds a hidden copy of streamed content (`<div hidden id="S:…">`), which
 * text and label locators would also match.
 */
export async function open(page: Page, url: string): Promise<Awaited<ReturnType<Page['goto']>>> {
  const response = await page.goto(url);
  await page.waitForFunction(() => document.querySelector('div[hidden][id^="S:"]') === null);
  return response;
}
