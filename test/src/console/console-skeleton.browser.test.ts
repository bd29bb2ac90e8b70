import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { CONSOLE_STANDALONE_DIR, launchBrowser, startConsole, type BrowserHandle, type ConsoleHandle } from '../harness/browser';

jest.setTimeout(60_000);

// Port 1 is never listening, so the console must cope with an API it cannot reach.
const UNREACHABLE_API = 'http://127.0.0.1:1';

describe('console without a reachable API', () => {
  let consoleApp: ConsoleHandle | undefined;
  let browser: BrowserHandle | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_STANDALONE_DIR)) {
      throw new Error(`${CONSOLE_STANDALONE_DIR} not found: build the console first with "npm run build -w client".`);
    }
    consoleApp = await startConsole({ apiUrl: UNREACHABLE_API });
    browser = await launchBrowser();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
  });

  it('sends a visitor without a session to the sign-in page, which says the API is unavailable', async () => {
    const response = await page.goto(`${consoleApp?.url}/`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/login');
    const status = page.getByRole('status');
    await status.waitFor({ state: 'visible' });
    expect(await status.textContent()).toContain('API: unavailable');
    await browser?.screenshot(page, 'console-login');
  });

  it('sends security headers with every page', async () => {
    const response = await page.goto(`${consoleApp?.url}/login`);
    const headers = response?.headers() ?? {};
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain('connect-src');
  });

  it('offers a sign-in form with labelled email and password inputs', async () => {
    await page.goto(`${consoleApp?.url}/login`);
    const email = page.getByLabel('Email');
    const password = page.getByLabel('Password');
    await email.waitFor({ state: 'visible' });
    expect(await email.getAttribute('type')).toBe('email');
    expect(await password.getAttribute('type')).toBe('password');
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
  });

  it('returns to the sign-in page with a message when the API cannot sign the user in', async () => {
    await page.goto(`${consoleApp?.url}/login`);
    await page.getByLabel('Email').fill('someone@example.com');
    await page.getByLabel('Password').fill('not-a-real-password');
    await Promise.all([page.waitForURL(/\/login\?error=/), page.getByRole('button', { name: 'Sign in' }).click()]);
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('unavailable');
    await browser?.screenshot(page, 'console-login-error');
  });

  it('refuses a cross-site sign-in post', async () => {
    const r = await fetch(`${consoleApp?.url}/api/session`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.c&password=x',
      redirect: 'manual',
    });
    expect(r.status).toBe(403);
  });
});
