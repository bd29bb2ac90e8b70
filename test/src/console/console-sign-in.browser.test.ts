import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  CONSOLE_STANDALONE_DIR,
  launchBrowser,
  startConsole,
  type BrowserHandle,
  type ConsoleHandle,
} from '../harness/browser';
import { startFakeApi, type FakeApi } from './fake-api';

jest.setTimeout(60_000);

const USER = { email: 'owner@example.com', password: 'correct horse battery', token: 'lk_test_session_token' };

describe('console sign-in against a reachable API', () => {
  let api: FakeApi | undefined;
  let consoleApp: ConsoleHandle | undefined;
  let browser: BrowserHandle | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_STANDALONE_DIR)) {
      throw new Error(`${CONSOLE_STANDALONE_DIR} not found: build the console first with "npm run build -w client".`);
    }
    api = await startFakeApi(USER);
    consoleApp = await startConsole({ apiUrl: api.url });
    browser = await launchBrowser();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await api?.close();
  });

  async function submit(email: string, password: string, expectedUrl: RegExp | ((url: URL) => boolean)): Promise<void> {
    await page.goto(`${consoleApp?.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL(expectedUrl), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  it('shows the API as ready on the dashboard', async () => {
    await page.goto(`${consoleApp?.url}/`);
    const status = page.getByRole('status');
    await status.waitFor({ state: 'visible' });
    expect((await status.textContent())?.trim()).toBe('API: ready');
  });

  it('shows the API error message after a wrong password and sets no session', async () => {
    await submit(USER.email, 'wrong', /\/login\?error=/);
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).textContent()).toContain('Invalid email or password.');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'lk_session')).toBeUndefined();
  });

  it('signs in, lands on the dashboard and keeps the token in an httpOnly cookie', async () => {
    await submit(USER.email, USER.password, (url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ state: 'visible' });

    const session = (await page.context().cookies()).find((c) => c.name === 'lk_session');
    expect(session).toMatchObject({ value: USER.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    // The token must not be readable by page scripts.
    expect(await page.evaluate<string>('document.cookie')).not.toContain(USER.token);

    const last = api?.graphqlRequests.at(-1);
    expect(last?.headers['apollo-require-preflight']).toBe('true');
    expect(last?.body).toMatchObject({ variables: { e: USER.email, p: USER.password } });
  });
});
