import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createMongo, waitForMongo } from '../infra/mongo';
import { BackupRejected } from '../backup/backup-format';
import { checkBackup, createBackup, restoreFromBackup } from '../backup/backup.service';
import type { CliIo } from './cli-io';

export const BACKUP_USAGE = `latchkey backup (--org <orgId> | --all) --out <file>
latchkey restore --in <file> [--verify-only]

Backups are encrypted (AES-256-GCM; key from scrypt over LATCHKEY_BACKUP_PASSPHRASE, or the KEK
when no passphrase is set) and integrity-checked (GCM tag + a SHA-256 manifest inside). They
hold keys as stored (hashes, KEK-wrapped ciphertexts; never a plaintext key), users with
password hashes, roles, policies, requests, webhooks and the audit chain. Restoring needs the
same LATCHKEY_KEY_PEPPER (keys verify) and LATCHKEY_KEK (recoverable keys, webhook secrets).
restore writes only into an EMPTY database (MONGODB_URI / MONGODB_DB) and only after the whole
file verified; start the server afterwards (it creates the indexes).`;

function option(argv: readonly string[], name: string): string | null {
  const i = argv.indexOf(name);
  if (i < 0) return null;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = (require('../../package.json') as { version: string }).version;

export async function runBackupCommand(command: 'backup' | 'restore', argv: readonly string[], io: CliIo): Promise<number> {
  let plan: { kind: 'backup'; file: string; orgId: string | null } | { kind: 'restore'; file: string; verifyOnly: boolean };
  try {
    if (command === 'backup') {
      const file = option(argv, '--out');
      const orgId = option(argv, '--org');
      const all = argv.includes('--all');
      if (!file || (orgId === null) === !all) throw new Error('say --org <orgId> or --all, and --out <file>');
      plan = { kind: 'backup', file, orgId };
    } else {
      const file = option(argv, '--in');
      if (!file) throw new Error('say --in <file>');
      plan = { kind: 'restore', file, verifyOnly: argv.includes('--verify-only') };
    }
  } catch (e) {
    io.err(`latchkey ${command}: ${(e as Error).message}\n\n${BACKUP_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  if (plan.kind === 'restore' && plan.verifyOnly) {
    return report(io, () =>
      checkBackup(plan.file, config).then(
        (v) => `backup verified: ${v.manifest.documents} documents in ${v.manifest.collections.length} collections, written ${v.header.createdAt}`,
      ),
    );
  }
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name: 'latchkey-cli' });
  const mongo = createMongo(config, logger);
  try {
    if (!(await waitForMongo(mongo, logger, 30_000))) throw new Error('MongoDB is not reachable (MONGODB_URI)');
    if (plan.kind === 'backup') {
      const scope = plan.orgId ? { kind: 'organization' as const, orgId: plan.orgId } : { kind: 'all' as const };
      return await report(io, async () => {
        const r = await createBackup(mongo.conn, config, { file: plan.file, scope, serverVersion: VERSION });
        return `backup written: ${r.file} (${r.manifest.documents} documents in ${r.manifest.collections.length} collections, ${r.bytes} bytes)`;
      });
    }
    return await report(io, async () => {
      const r = await restoreFromBackup(mongo.conn, plan.file, config);
      return `restored ${r.manifest.documents} documents into ${config.MONGODB_DB}; start the server to create indexes`;
    });
  } finally {
    await mongo.close();
  }
}

async function report(io: CliIo, fn: () => Promise<string>): Promise<number> {
  try {
    io.out(`${await fn()}\n`);
    return 0;
  } catch (e) {
    io.err(`latchkey: ${(e as Error).message}\n`);
    return e instanceof BackupRejected ? 3 : 1;
  }
}
