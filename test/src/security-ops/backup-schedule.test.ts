import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { checkBackup, createLogger, scheduledBackup } from '@latchkey/server';
import { BACKUP_RUN_JOB, createBackupProcessor } from '@latchkey/jobs';
import { startTestApp, type TestApp } from '../harness/app';

jest.setTimeout(120_000);

describe('scheduled backups', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the backup job writes a verifiable platform backup and keeps only BACKUP_RETAIN of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-scheduled-'));
    const config = { ...app.config, BACKUP_DIR: dir, BACKUP_RETAIN: 2 };
    const services = { ...app.server.services, config };
    const processor = createBackupProcessor(services);
    const first = (await processor({ name: BACKUP_RUN_JOB, data: {} } as Job)) as { file: string; documents: number };
    expect(first.documents).toBeGreaterThan(0);
    await expect(checkBackup(first.file, config)).resolves.toMatchObject({ header: { scope: { kind: 'all' } } });

    writeFileSync(join(dir, 'before-upgrade.lkbak'), 'kept by hand');
    const logger = createLogger({ level: 'silent', name: 'backup-test' });
    const t0 = Date.now() + 3_600_000;
    for (let i = 1; i <= 3; i++) await scheduledBackup(app.server.services.mongo.conn, config, logger, 'test', new Date(t0 + i * 3_600_000));
    const left = readdirSync(dir).sort();
    // The newest two scheduled ones survive; a file someone put there by hand is never touched.
    expect(left).toHaveLength(3);
    expect(left).toContain('before-upgrade.lkbak');
    expect(left.filter((n) => /^latchkey-\d{8}T\d{6}Z\.lkbak$/.test(n))).toHaveLength(2);
    expect(left).not.toContain(first.file.split('/').pop());
    await expect(processor({ name: 'something-else', data: {} } as Job)).rejects.toThrow(/unknown backup job/);
  });
});
