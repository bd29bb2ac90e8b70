import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, uniqueName, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { dbOf, login, OWNER } from './access-helpers';

describe('first start', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
  });

  it('without configured credentials it creates admin@latchkey.local with a generated password, shown once and written 0600', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lk-cred-')), 'nested', 'admin-credentials.txt');
    const app = await startTestApp({ env: { LATCHKEY_ADMIN_EMAIL: '', LATCHKEY_ADMIN_PASSWORD: '', LATCHKEY_ADMIN_CREDENTIALS_FILE: file, LOG_LEVEL: 'info' } });
    apps.push(app);
    // Sign-in waits for the first-start task, so by now the file exists.
    await login(app, 'admin@latchkey.local', 'not the password at all').catch(() => undefined);
    const text = readFileSync(file, 'utf8');
    const m = /^email: (.+)\npassword: (.+)\n$/.exec(text);
    expect(m?.[1]).toBe('admin@latchkey.local');
    const password = m?.[2] as string;
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const banner = app.logs.filter((l) => l.includes(password));
    expect(banner).toHaveLength(1);
    expect(banner[0]).toContain('FIRST START');
    expect(JSON.parse(banner[0] as string).level).toBe(40); // warn
    const token = await login(app, 'admin@latchkey.local', password);
    const me = await gqlOk<{ me: { isPlatformAdmin: boolean; scopes: string[]; organization: { name: string; slug: string; keyPrefix: string } } }>(
      app.url,
      '{ me { isPlatformAdmin scopes organization { name slug keyPrefix } } }',
      {},
      { token },
    );
    expect(me.me).toEqual({ isPlatformAdmin: true, scopes: ['*:*'], organization: { name: 'Default', slug: 'default', keyPrefix: 'lk' } });
  });

  it('two nodes booting at once on one database seed exactly one organization and owner', async () => {
    const db = uniqueName('lkt');
    const prefix = uniqueName('lkt');
    const [n1, n2] = await Promise.all([startTestApp({ db, prefix }), startTestApp({ db, prefix })]);
    apps.push(n1 as TestApp, n2 as TestApp);
    await login(n1 as TestApp, OWNER.email, OWNER.password);
    await login(n2 as TestApp, OWNER.email, OWNER.password);
    const conn = await dbOf(n1 as TestApp);
    try {
      expect(await conn.collection('organizations').countDocuments()).toBe(1);
      expect(await conn.collection('users').countDocuments()).toBe(1);
      expect(await conn.collection('roles').countDocuments()).toBe(5);
    } finally {
      await conn.close();
    }
    // A later restart does not seed again.
    const n3 = await startTestApp({ db, prefix });
    apps.push(n3);
    await login(n3, OWNER.email, OWNER.password);
    const conn2 = await dbOf(n3);
    try {
      expect(await conn2.collection('organizations').countDocuments()).toBe(1);
    } finally {
      await conn2.close();
    }
  });

  it('a platform administrator creates further organizations, with a generated owner password when none is given', async () => {
    const app = await startTestApp();
    apps.push(app);
    const token = await login(app, OWNER.email, OWNER.password);
    const r = await gqlOk<{
      createOrganization: {
        organization: { slug: string; keyPrefix: string; name: string };
        owner: { email: string; isPlatformAdmin: boolean };
        ownerInitialPassword: string;
      };
    }>(
      app.url,
      'mutation{ createOrganization(input:{name:"Acme Widgets Ltd", keyPrefix:"acme", ownerEmail:"Founder@Acme.test"}){ ' +
        'organization { name slug keyPrefix } owner { email isPlatformAdmin } ownerInitialPassword } }',
      {},
      { token },
    );
    expect(r.createOrganization).toMatchObject({
      organization: { name: 'Acme Widgets Ltd', slug: 'acme-widgets-ltd', keyPrefix: 'acme' },
      owner: { email: 'founder@acme.test', isPlatformAdmin: false },
    });
    const acme = await login(app, 'founder@acme.test', r.createOrganization.ownerInitialPassword);
    const me = await gqlOk<{ me: { scopes: string[]; isPlatformAdmin: boolean } }>(app.url, '{ me { scopes isPlatformAdmin } }', {}, { token: acme });
    expect(me.me).toEqual({ scopes: ['*:*'], isPlatformAdmin: false });
    const taken =
      'mutation{ createOrganization(input:{name:"x", slug:"acme-widgets-ltd", ownerEmail:"other@acme.test", ownerPassword:"plum orchard lantern 7 velvet"}){ ' +
      'owner { id } } }';
    const dup = await gqlOk<{ createOrganization: unknown }>(app.url, taken, {}, { token }).catch((e: Error) => e.message);
    expect(String(dup)).toContain('is already taken');
  });
});
