import { randomBytes } from 'node:crypto';
import { kekFromConfig, open, rewrapAll, withEntityLock, type Kek, type Sealed } from '@latchkey/server';
import { startTestApp, type TestApp } from '../harness/app';
import { approveRaw, createApp, createKey, createUser, customValue, loginOwner, requestKey, setPolicy } from './key-helpers';

/** KEK rotation: every sealed value is re-wrapped under the new KEK and still opens to the same plaintext. */
describe('rewrapping sealed keys under a new KEK', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('re-wraps recoverable copies, unclaimed secrets and imported values waiting for approval', async () => {
    const owner = await loginOwner(app);
    await setPolicy(app, owner, { recoverableKeysAllowed: true });
    const appId = await createApp(app, owner, 'rewrap-app');
    const recoverable = await createKey(app, owner, { name: 'rk', type: 'application', subtype: 'service', applicationId: appId, scopes: ['keys:read'], recoverable: true });
    const requester = await createUser(app, owner, ['admin']);
    const unclaimed = await requestKey(app, requester.token, { name: 'unclaimed', type: 'system', subtype: 'backup', scopes: ['keys:read'] });
    await approveRaw(app, owner, unclaimed.id);
    const imported = customValue();
    const pending = await requestKey(app, requester.token, { name: 'pending-import', type: 'system', subtype: 'backup', scopes: ['keys:read'], customKey: imported });

    const conn = app.server.services.mongo.conn;
    const oldKek = kekFromConfig(app.config);
    const newKek: Kek = { id: 'kek-test-2', key: randomBytes(32) };
    // The servers' own entity locks, as the CLI takes them.
    const lock = <T>(id: string, fn: () => Promise<T>) => withEntityLock(app.server.services.redis, app.config.REDIS_PREFIX, id, fn);
    const report = await rewrapAll(conn, [oldKek], newKek, { lock });
    expect(report.failed).toEqual([]);
    expect(report.rewrapped).toBe(3);

    const keys = conn.collection('api_keys');
    const rk = await keys.findOne({ _id: recoverable.apiKey.id as never });
    expect((rk?.sealed as Sealed).kekId).toBe('kek-test-2');
    expect(open([newKek], recoverable.apiKey.id, rk?.sealed as Sealed)).toBe(recoverable.secret);
    expect(() => open([oldKek], recoverable.apiKey.id, rk?.sealed as Sealed)).toThrow();
    const un = await keys.findOne({ requestId: unclaimed.id });
    expect((un?.claimSealed as Sealed).kekId).toBe('kek-test-2');
    expect(open([newKek], un?._id as unknown as string, un?.claimSealed as Sealed)).toMatch(/^lk_prd_/);
    const req = await conn.collection('key_requests').findOne({ _id: pending.id as never });
    expect(open([newKek], pending.id, req?.customSealed as Sealed)).toBe(imported);

    const again = await rewrapAll(conn, [oldKek], newKek);
    expect(again).toEqual({ rewrapped: 0, alreadyCurrent: 3, failed: [] });
    // Without the KEK a value was wrapped with, it is reported, not skipped silently.
    const lost = await rewrapAll(conn, [], { id: 'kek-test-3', key: randomBytes(32) });
    expect(lost.failed).toHaveLength(3);
  });
});
