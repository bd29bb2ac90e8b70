import { OWNER } from '../keys/key-helpers';
import { personPage, signIn, startConsoleFixture, type ConsoleFixture } from './console-helpers';

jest.setTimeout(120_000);

describe('console sign-in against the real API', () => {
  let fx: ConsoleFixture;

  beforeAll(async () => {
    fx = await startConsoleFixture();
  });

  afterAll(async () => {
    await fx?.stop();
  });

  it('shows the API error message after a wrong password and sets no session', async () => {
    const { page, context } = await personPage(fx);
    await page.goto(`${fx.console.url}/login`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the password at all');
    await Promise.all([page.waitForURL(/\/login\?error=/), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).textContent()).toMatch(/invalid/i);
    expect((await context.cookies()).find((c) => c.name === 'lk_session')).toBeUndefined();
  });

  it('signs in, lands on the dashboard and keeps the token in an httpOnly cookie out of page scripts', async () => {
    const { page, context } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    const session = (await context.cookies()).find((c) => c.name === 'lk_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.value).toMatch(/^lks_/);
    expect(await page.evaluate<string>('document.cookie')).not.toContain(session?.value as string);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await fx.browser.screenshot(page, 'dashboard');
  });

  it('names the runtime API origin in the CSP and hands the ws ticket only to same-origin scripts', async () => {
    const { page } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    const response = await page.goto(`${fx.console.url}/keys`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    const api = new URL(fx.app.url);
    expect(csp).toContain(`connect-src 'self' ${api.origin} ws://${api.host}`);

    // A navigation (what a link from another site would be) never gets the token.
    const nav = await page.goto(`${fx.console.url}/api/ws-ticket`);
    expect(nav?.status()).toBe(403);
    const fromScript = await page.evaluate(async () => (await fetch('/api/ws-ticket', { headers: { 'x-latchkey-console': '1' } })).status);
    expect(fromScript).toBe(200);
  });

  it('without fetch metadata (plain-http deployments) hands the ticket only to requests carrying the console header from its own origin', async () => {
    const { page, context } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    const cookie = `lk_session=${(await context.cookies()).find((c) => c.name === 'lk_session')?.value}`;
    const ticket = (headers: Record<string, string>) => fetch(`${fx.console.url}/api/ws-ticket`, { headers: { cookie, ...headers } }).then((r) => r.status);
    expect(await ticket({})).toBe(403);
    expect(await ticket({ 'x-latchkey-console': '1', origin: 'https://evil.example' })).toBe(403);
    expect(await ticket({ 'x-latchkey-console': '1' })).toBe(200);
  });
});
