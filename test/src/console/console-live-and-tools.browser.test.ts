import { gqlOk } from '../harness/graphql';
import { loginOwner, OWNER } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { open, personPage, signIn, startConsoleFixture, UI_TIMEOUT_MS, waitLive, type ConsoleFixture } from './console-helpers';

jest.setTimeout(240_000);

describe('console live panes, tools and sessions against the real API', () => {
  let fx: ConsoleFixture;
  let ownerToken: string;

  beforeAll(async () => {
    fx = await startConsoleFixture();
    ownerToken = await loginOwner(fx.app);
  });

  afterAll(async () => {
    await fx?.stop();
  });

  it('shows a rate-limit alert on the dashboard within a second of it being raised, without a reload', async () => {
    const { page } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    await waitLive(page, 'Security alerts');
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    const { verifier } = await verifierSetup(fx.app);
    const limited = await serviceKey(fx.app, ownerToken, { name: 'noisy-client', rateLimit: { perSecond: 2, perMinute: 5 } });
    let denied = 0;
    for (let i = 0; i < 20; i++) {
      const r = await verifyHttp(fx.app, verifier, { key: limited.secret });
      if (r.body.code === 'RATE_LIMITED') denied++;
    }
    expect(denied).toBeGreaterThan(0);

    const row = page.locator('.alert-feed li[data-raised-at]').filter({ hasText: /rate limit/i }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const raisedAt = Number(await row.getAttribute('data-raised-at'));
    const receivedAt = Number(await row.getAttribute('data-received-at'));
    // Same machine, same clock: from the API publishing the alert to this tab rendering it.
    expect(receivedAt - raisedAt).toBeLessThan(1_000);
    expect(navigations).toEqual([]);
    await fx.browser.screenshot(page, 'dashboard-live-alert');
  });

  it('answers the permission checker with the decision and the reason', async () => {
    const key = await serviceKey(fx.app, ownerToken, { name: 'reader', scopes: ['applications:read'] });
    const { page } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    await open(page, `${fx.console.url}/tools/permissions`);
    await page.getByLabel('Key or user id').fill(key.id);
    await page.getByLabel('Resource', { exact: true }).fill('applications');
    await page.getByLabel('Action').fill('read');
    await page.getByRole('button', { name: 'Check permission' }).click();
    const decision = page.getByTestId('permission-decision');
    await decision.getByText('Allowed').waitFor();
    expect(await page.getByTestId('permission-reason').textContent()).toBe('granted by applications:read');
    expect(await decision.textContent()).toContain('applications:read');

    await page.getByLabel('Action').fill('delete');
    await page.getByRole('button', { name: 'Check permission' }).click();
    await decision.getByText('Denied').waitFor();
    expect(await page.getByTestId('permission-reason').textContent()).toBe('missing scope applications:delete');
    expect(await decision.textContent()).toContain('applications:delete');
    await fx.browser.screenshot(page, 'tools-permission-checker');
  });

  it('sends a visitor whose session ended back to sign-in with a message', async () => {
    const { page, context } = await personPage(fx);
    await page.goto(`${fx.console.url}/keys`);
    await page.waitForURL((url) => url.pathname === '/login');

    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    const token = (await context.cookies()).find((c) => c.name === 'lk_session')?.value as string;
    await gqlOk(fx.app.url, 'mutation { logout }', {}, { token });
    // The dashboard's live socket may notice first (the API closes it) and navigate on
    // its own; otherwise the next page load finds the session gone.
    await page.goto(`${fx.console.url}/keys`).catch(() => undefined);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('expired') === '1');
    await page.getByText('Your session has expired').waitFor();
  });

  it('signs out through the API and clears the session cookie', async () => {
    const { page, context } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    const token = (await context.cookies()).find((c) => c.name === 'lk_session')?.value as string;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have been signed out').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'lk_session')).toBeUndefined();
    const me = await fetch(`${fx.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await me.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
