#!/usr/bin/env node
import { ConfigError } from '../infra/config';
import { processIo, type CliIo } from './cli-io';
import { runScan, SCAN_USAGE } from './scan.command';
import { HOOK_USAGE, runInstallHook } from './hook.command';

type BackupCommand = typeof import('./backup.command');

/**
 * `latchkey` — the operator's command line (docs/SECURITY-OPERATIONS.md):
 *   scan <paths…> | scan --staged   find API keys in files (format + checksum)
 *   install-hook                    git pre-commit hook running `scan --staged`
 *   backup / restore                encrypted, integrity-checked backups
 * Commands load only what they need, so `scan` in a pre-commit hook starts fast and
 * needs no database or configuration.
 */
const USAGE = `usage: latchkey <command> [options]

  scan <paths…>         find Latchkey API keys in files; exit 1 when any is found
  scan --staged         the same over what git is about to commit
  install-hook          install a git pre-commit hook running \`scan --staged\`
  backup                write an encrypted backup of an organization or the platform
  restore               restore a backup into an empty database

\`latchkey <command> --help\` explains one command.
`;

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const help = rest.includes('--help') || rest.includes('-h');
  switch (command) {
    case 'scan':
      return help ? usage(io, SCAN_USAGE) : runScan(rest, io);
    case 'install-hook':
      return help ? usage(io, HOOK_USAGE) : runInstallHook(rest, io, __filename);
    case 'backup':
    case 'restore': {
      // Loaded on demand: mongoose and the configuration are not needed to scan files.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require('./backup.command') as BackupCommand;
      if (help) return usage(io, m.BACKUP_USAGE);
      return m.runBackupCommand(command, rest, io);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`latchkey: unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

function usage(io: CliIo, text: string): number {
  io.out(`${text}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`latchkey: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
