import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Connection } from 'mongoose';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { BACKUP_EXTENSION, backupSecretFrom, type BackupScope } from './backup-format';
import { writeBackup, type BackupResult } from './backup-writer';
import { restoreBackup, verifyBackup, type VerifiedBackup } from './backup-reader';

type BackupConfig = Pick<Config, 'LATCHKEY_BACKUP_PASSPHRASE' | 'LATCHKEY_KEK' | 'LATCHKEY_KEK_ID' | 'BACKUP_DIR' | 'BACKUP_RETAIN'>;

/** Backup and restore of the platform's data (docs/SECURITY-OPERATIONS.md); the CLI and the backup job call these. */
export function createBackup(conn: Connection, config: BackupConfig, opts: { file: string; scope: BackupScope; serverVersion: string }): Promise<BackupResult> {
  return writeBackup(conn, { ...opts, file: resolve(opts.file), secret: backupSecretFrom(config) });
}

export function checkBackup(file: string, config: BackupConfig): Promise<VerifiedBackup> {
  return verifyBackup(resolve(file), config);
}

export function restoreFromBackup(conn: Connection, file: string, config: BackupConfig): Promise<VerifiedBackup> {
  return restoreBackup(conn, resolve(file), config);
}

const SCHEDULED = /^latchkey-\d{8}T\d{6}Z\.lkbak$/;

/**
 * One scheduled platform backup into BACKUP_DIR, then retention: the newest
 * BACKUP_RETAIN scheduled backups stay, older ones are deleted (files written by hand
 * with other names are never touched). Safe to rerun: a retry writes another file and
 * retention trims.
 */
export async function scheduledBackup(
  conn: Connection,
  config: BackupConfig,
  logger: Logger,
  serverVersion: string,
  now = new Date(),
): Promise<{ file: string; documents: number; deleted: string[] }> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const file = join(resolve(config.BACKUP_DIR), `latchkey-${stamp}${BACKUP_EXTENSION}`);
  const r = await createBackup(conn, config, { file, scope: { kind: 'all' }, serverVersion });
  const names = (await readdir(resolve(config.BACKUP_DIR))).filter((n) => SCHEDULED.test(n)).sort();
  const doomed = names.slice(0, Math.max(0, names.length - config.BACKUP_RETAIN));
  for (const n of doomed) await rm(join(resolve(config.BACKUP_DIR), n), { force: true });
  logger.info({ file, documents: r.manifest.documents, bytes: r.bytes, deleted: doomed.length }, 'scheduled backup written');
  return { file, documents: r.manifest.documents, deleted: doomed };
}
