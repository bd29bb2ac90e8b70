import type { Page } from 'playwright-core';
import { gqlOk } from '../harness/graphql';
import { createUser, loginOwner, OWNER, setPolicy } from '../keys/key-helpers';
import { serviceKey } from '../verify/verify-helpers';
import { open, personPage, signIn, startConsoleFixture, type ConsoleFixture } from './console-helpers';

jest.setTimeout(240_000);

describe('console key workflows against the real API', () => {
  let fx: ConsoleFixture;
  let ownerToken: string;

  beforeAll(async () => {
    fx = await startConsoleFixture();
    ownerToken = await loginOwner(fx.app);
    // Every user key needs one approval, so a developer's request goes to the queue.
    await setPolicy(fx.app, ownerToken, { approvalRules: [{ keyType: 'user', approvals: 1 }, { keyType: 'system', approvals: 1 }] });
  });

  afterAll(async () => {
    await fx?.stop();
  });

  async function requestThroughWizard(page: Page, name: string): Promise<void> {
    await open(page, `${fx.console.url}/keys/new`);
    await page.getByRole('radio', { name: /^user/ }).check();
    await page.getByRole('radio', { name: /^personal/ }).check();
    await page.getByRole('button', { name: 'Next' }).click(); // → environment
    await page.getByRole('button', { name: 'Next' }).click(); // → permissions
    const add = page.getByLabel('Add scope');
    await add.fill('applications:read');
    await add.press('Enter');
    await page.getByRole('button', { name: 'Remove scope applications:read' }).waitFor();
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Next' }).click(); // restrictions, limits, expiry, rotation, review
    await page.getByLabel('Key name').fill(name);
    await page.getByLabel('Justification for approvers').fill('CLI scripts for the release');
    expect(await page.getByTestId('approval-note').textContent()).toContain('Needs 1 approval');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByRole('heading', { name: 'Request sent' }).waitFor();
  }

  it('a developer requests a key, an approver approves it, the developer claims it once and uses it', async () => {
    const developer = await createUser(fx.app, ownerToken, ['developer']);
    const approver = await createUser(fx.app, ownerToken, ['approver']);

    const dev = await personPage(fx);
    await signIn(dev.page, fx.console.url, developer.email, developer.password);
    await requestThroughWizard(dev.page, 'release scripts');
    await fx.browser.screenshot(dev.page, 'keys-request-sent');

    const appr = await personPage(fx);
    await signIn(appr.page, fx.console.url, approver.email, approver.password);
    await open(appr.page, `${fx.console.url}/requests?view=queue`);
    const row = appr.page.getByRole('row').filter({ hasText: 'release scripts' });
    await fx.browser.screenshot(appr.page, 'requests-approval-queue');
    await row.getByRole('button', { name: 'Review' }).click();
    await appr.page.getByLabel('Comment').fill('Looks fine');
    await appr.page.getByRole('button', { name: 'Approve' }).click();
    await appr.page.getByRole('dialog').waitFor({ state: 'detached' });
    await appr.page.getByText('Nothing waiting for your approval').waitFor();

    // Two tabs of the developer show the approved request; only the first claim reveals it.
    await open(dev.page, `${fx.console.url}/requests?view=mine`);
    const second = await dev.context.newPage();
    await open(second, `${fx.console.url}/requests?view=mine`);
    await dev.page.getByRole('row').filter({ hasText: 'release scripts' }).getByRole('button', { name: 'Claim' }).click();
    await dev.page.getByRole('button', { name: 'Reveal the key' }).click();
    const secretField = dev.page.getByTestId('secret-value');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^lk_/);
    await dev.page.getByRole('dialog').getByText('you will not see this again').waitFor();
    await fx.browser.screenshot(dev.page, 'keys-one-time-reveal');
    // Nothing of the secret may reach browser storage.
    const stored = await dev.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(secret);

    await second.getByRole('row').filter({ hasText: 'release scripts' }).getByRole('button', { name: 'Claim' }).click();
    await second.getByRole('button', { name: 'Reveal the key' }).click();
    await second.getByRole('dialog').getByRole('alert').filter({ hasText: /claimed/i }).waitFor();
    expect(await second.getByTestId('secret-value').count()).toBe(0);

    await dev.page.getByRole('button', { name: 'I have stored it — done' }).click();
    await dev.page.getByRole('row').filter({ hasText: 'release scripts' }).getByText('claimed').waitFor();

    const res = await fetch(`${fx.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ applications(first: 1) { nodes { id } } }' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ applications: { nodes: expect.any(Array) } });
  });

  it('rotates and revokes a key from the key page and shows each status change', async () => {
    const key = await serviceKey(fx.app, ownerToken, { name: 'billing-service' });
    const { page } = await personPage(fx);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
    await open(page, `${fx.console.url}/keys/${key.id}`);
    await page.getByRole('heading', { level: 1, name: 'billing-service' }).waitFor();
    await fx.browser.screenshot(page, 'key-detail');

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Per minute').fill('600');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('50/s · 600/min').waitFor();

    await page.getByRole('button', { name: 'Rotate' }).click();
    await page.getByLabel('Grace period for the old key').selectOption('3600');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const successorSecret = await page.getByTestId('secret-value').inputValue();
    expect(successorSecret).toMatch(/^lk_/);
    await page.getByRole('button', { name: 'I have stored it — done' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/keys/') && !url.pathname.endsWith(key.id));
    const successorId = new URL(page.url()).pathname.split('/').pop() as string;

    await open(page, `${fx.console.url}/keys/${key.id}`);
    await page.getByTestId('key-status').filter({ hasText: 'rotating' }).waitFor();

    await open(page, `${fx.console.url}/keys/${successorId}`);
    await page.getByTestId('key-status').filter({ hasText: 'active' }).waitFor();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByLabel('Reason').fill('Leaked in a CI log');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByTestId('key-status').filter({ hasText: 'revoked' }).waitFor();
    await page.getByText('Leaked in a CI log').first().waitFor();

    const after = await gqlOk<{ apiKey: { status: string } }>(fx.app.url, 'query($id:ID!){ apiKey(id:$id){ status } }', { id: successorId }, { token: ownerToken });
    expect(after.apiKey.status).toBe('revoked');
  });
});
