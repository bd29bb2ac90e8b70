import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startConsole, CONSOLE_STANDALONE_DIR, type ConsoleHandle } from '../harness/browser';

const API = 'http://127.0.0.1:4999';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name as string, values]));
}

/**
 * Security case 10: the console's headers on every kind of response (page, redirect,
 * API route, 404, static asset), and the Content-Security-Policy directive by directive.
 * HSTS over HTTPS is in security-ops/console-tls.test.ts (console) and
 * security-ops/tls.test.ts (API); over plain HTTP it is not sent (meaningless there).
 * console/console-skeleton.browser.test.ts checks /login in a real browser.
 */
describe('console security headers', () => {
  let consoleApp: ConsoleHandle;
  const paths: string[] = ['/login', '/', '/keys', '/api/session', '/no-such-page'];
  beforeAll(async () => {
    // No API is needed for headers: the configured URL only has to be named in the CSP.
    consoleApp = await startConsole({ apiUrl: API });
    const manifest = JSON.parse(readFileSync(path.join(CONSOLE_STANDALONE_DIR, 'client', '.next', 'build-manifest.json'), 'utf8')) as { rootMainFiles?: string[] };
    const asset = manifest.rootMainFiles?.[0];
    if (asset) paths.push(`/_next/${asset}`);
  }, 60_000);
  afterAll(() => consoleApp?.stop());

  const get = (p: string) => fetch(`${consoleApp.url}${p}`, { redirect: 'manual' });

  it('every response carries X-Frame-Options DENY, Referrer-Policy no-referrer and nosniff', async () => {
    const table: string[] = [];
    for (const p of paths) {
      const r = await get(p);
      await r.arrayBuffer();
      const h = { xfo: r.headers.get('x-frame-options'), referrer: r.headers.get('referrer-policy'), nosniff: r.headers.get('x-content-type-options') };
      table.push(`${p} ${r.status} csp=${r.headers.has('content-security-policy')} hsts=${r.headers.has('strict-transport-security')}`);
      expect({ p, ...h }).toEqual({ p, xfo: 'DENY', referrer: 'no-referrer', nosniff: 'nosniff' });
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
    process.stdout.write(`console headers:\n${table.join('\n')}\n`);
    expect(paths.length).toBeGreaterThanOrEqual(6);
  });

  it('pages, redirects and 404s carry a strict CSP naming only self and the API', async () => {
    for (const p of ['/login', '/', '/keys', '/no-such-page']) {
      const r = await get(p);
      await r.arrayBuffer();
      const csp = r.headers.get('content-security-policy');
      expect({ p, csp: typeof csp }).toEqual({ p, csp: 'string' });
      const d = directives(csp as string);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'self'"]);
      expect(d.get('form-action')).toEqual(["'self'"]);
      // Production build: no eval; connections only to self and the configured API (fetch and ws).
      expect(d.get('script-src')).not.toContain("'unsafe-eval'");
      expect(new Set(d.get('connect-src'))).toEqual(new Set(["'self'", API, 'ws://127.0.0.1:4999']));
      for (const [name, values] of d) expect({ name, wildcard: values.some((v) => v === '*' || v === 'http:' || v === 'https:') }).toEqual({ name, wildcard: false });
    }
  });

  it('sends no HSTS over plain HTTP (it is sent by the HTTPS server; see security-ops)', async () => {
    const r = await get('/login');
    await r.arrayBuffer();
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });
});
