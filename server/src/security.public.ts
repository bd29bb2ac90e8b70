/** What jobs (scheduled backups) and tests may use of security operations (docs/SECURITY-OPERATIONS.md). */
export { createBackup, checkBackup, restoreFromBackup, scheduledBackup } from './backup/backup.service';
export { BackupRejected, BACKUP_EXTENSION, type BackupScope, type BackupManifest } from './backup/backup-format';
export { nonEmptyCollections } from './backup/backup-reader';
export { scanText, scanPaths, maskKey, type Finding } from './cli/key-scanner';
export { main as latchkeyCli } from './cli/latchkey';
export type { CliIo } from './cli/cli-io';
export { truncateIp, parseIpTruncation, type IpTruncation } from './privacy/ip-truncation';
export { tlsEnabled, hstsValue, plainHttpWarning } from './tls/tls-server';
export { reporterSecretHash, REPORTER_SECRET_PREFIX } from './leaks/leak-reporters';
