import type { Page } from 'playwright-core';
import { loginOwner, OWNER } from '../keys/key-helpers';
import { verifyHttp } from '../verify/verify-helpers';
import { open, signIn, startConsoleFixture, UI_TIMEOUT_MS, waitLive, type ConsoleFixture } from './console-helpers';
import { seedOrganization, type Seeded } from './console-seed';

jest.setTimeout(300_000);

/** The size README screenshots are taken at (docs/screenshots). */
const README_VIEWPORT = { width: 1280, height: 800 };

describe('every console screen renders against a lived-in organization', () => {
  let fx: ConsoleFixture;
  let seeded: Seeded;
  let page: Page;

  beforeAll(async () => {
    fx = await startConsoleFixture();
    seeded = await seedOrganization(fx.app, await loginOwner(fx.app));
    page = await fx.browser.newPage(README_VIEWPORT);
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await signIn(page, fx.console.url, OWNER.email, OWNER.password);
  });

  afterAll(async () => {
    seeded?.receiver.close();
    await fx?.stop();
  });

  /** Opens a screen, checks it rendered (its heading, no error page), saves both screenshots. */
  async function screen(path: string, name: string, heading: string, ready?: () => Promise<unknown>): Promise<void> {
    const response = await open(page, `${fx.console.url}${path}`);
    expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    if (ready) await ready();
    expect(await page.getByText('Application error').count()).toBe(0);
    await fx.browser.screenshot(page, `screen-${name}`);
    await fx.browser.screenshot(page, `readme-${name}`, { fullPage: false });
  }

  it('dashboard, keys, key detail and the create wizard', async () => {
    await screen('/', 'dashboard', 'Dashboard', async () => {
      await page.getByRole('region', { name: 'Busiest keys — rate-limit status' }).getByRole('meter').first().waitFor();
      // Traffic while the page is open, so the live volume chart has ticks to draw.
      await waitLive(page, 'Request volume (live)');
      const until = Date.now() + 12_000;
      while (Date.now() < until) {
        await Promise.all(seeded.secrets.slice(0, 3).map((key) => verifyHttp(fx.app, seeded.verifier, { key })));
        await new Promise((r) => setTimeout(r, 150));
      }
      await page.getByText(/req\/s in the last tick/).waitFor();
    });
    await screen('/keys', 'keys', 'Keys', () => page.getByRole('link', { name: 'checkout-api' }).waitFor());
    await screen(`/keys/${seeded.busiestKeyId}`, 'key-detail', 'checkout-api', () => page.getByRole('img', { name: 'Requests' }).waitFor());
    await screen('/keys/new', 'key-wizard', 'New key', async () => {
      await page.getByRole('radio', { name: /^system/ }).check();
      await page.getByTestId('approval-note').filter({ hasText: 'Needs 1 approval' }).waitFor();
    });
  });

  it('requests, access and policy', async () => {
    await screen('/requests?view=queue', 'approval-queue', 'Requests', () => page.getByRole('row').filter({ hasText: 'release-bot' }).waitFor());
    await screen('/access/members', 'members', 'Access', () => page.getByRole('table', { name: 'Members' }).waitFor());
    await screen('/access/roles', 'roles', 'Access', () => page.getByText('support').first().waitFor());
    await screen('/access/applications', 'applications', 'Access', () => page.getByText('storefront').waitFor());
    await screen('/access/policy', 'policy', 'Access', () => page.getByRole('button', { name: 'Save policy' }).waitFor());
  });

  it('analytics, alerts, audit, reports and webhooks', async () => {
    await screen('/analytics', 'analytics', 'Analytics', () => page.getByRole('region', { name: 'Geography' }).getByRole('meter').first().waitFor());
    await screen(`/analytics?key=${seeded.busiestKeyId}&period=24h`, 'analytics-key', 'Analytics', () => page.getByRole('img', { name: 'Latency percentiles (ms)' }).waitFor());
    await screen('/alerts', 'alerts', 'Alerts', () => page.getByText('Rate limit or quota exceeded').first().waitFor());
    await screen('/audit', 'audit', 'Audit log', () => page.getByTestId('chain-status').filter({ hasText: 'Chain intact' }).waitFor());
    await screen('/reports?kind=COMPLIANCE', 'reports', 'Reports', () => page.getByRole('link', { name: 'Download CSV' }).waitFor());
    await screen('/webhooks', 'webhooks', 'Webhooks', () => page.getByText('/hooks/latchkey').first().waitFor());

    const csv = await page.evaluate(async () => {
      const r = await fetch('/api/export/audit?format=CSV');
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    });
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('action');
    expect(csv.body).toContain('key.created');
  });

  it('tools: the bundled GraphiQL explorer runs a query through the console, and the other tools render', async () => {
    await screen('/tools/explorer', 'explorer', 'Tools', async () => {
      await page.locator('.graphiql-container').waitFor();
      await page.getByRole('button', { name: /execute query/i }).click();
      await page.locator('.graphiql-container').getByText('"kind": "user"').waitFor();
    });
    await screen('/tools/permissions', 'permission-checker', 'Tools');
    await screen(`/tools/rate-limits?key=${seeded.busiestKeyId}`, 'rate-limit-monitor', 'Tools', () => page.getByRole('meter').first().waitFor());
    await screen(`/tools/usage?key=${seeded.busiestKeyId}&period=24h`, 'usage-analyzer', 'Tools', () => page.getByRole('region', { name: /Buckets with traffic/ }).waitFor());
    await screen('/tools/logs', 'log-viewer', 'Tools', () => page.getByLabel('Log lines').waitFor());
  });
});
