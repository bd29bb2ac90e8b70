import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { CliIo } from './cli-io';

export const HOOK_USAGE = `latchkey install-hook [--force]

Installs a git pre-commit hook in the current repository that runs \`latchkey scan --staged\`:
a commit whose staged content holds a Latchkey API key is stopped. An existing hook of
your own is left alone unless --force (it is then kept as pre-commit.before-latchkey).`;

const MARKER = '# latchkey-pre-commit';

/** The hook script: this very CLI when it is still there, else whatever `npx latchkey` finds. */
export function hookScript(cliPath: string): string {
  return `#!/bin/sh
${MARKER} (installed by \`latchkey install-hook\`; keys belong in environment variables, never in source control)
CLI=${shellQuote(cliPath)}
if [ -f "$CLI" ]; then exec node "$CLI" scan --staged; fi
exec npx --no-install latchkey scan --staged
`;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** The hooks directory git uses here (core.hooksPath honoured). */
function hooksDir(cwd: string): string {
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const configured = (() => {
    try {
      return git(['config', '--get', 'core.hooksPath']);
    } catch {
      return '';
    }
  })();
  if (configured) return isAbsolute(configured) ? configured : resolve(git(['rev-parse', '--show-toplevel']), configured);
  const dir = git(['rev-parse', '--git-path', 'hooks']);
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

export function runInstallHook(argv: readonly string[], io: CliIo, cliPath: string, cwd = process.cwd()): number {
  const force = argv.includes('--force');
  const unknown = argv.filter((a) => a !== '--force');
  if (unknown.length) {
    io.err(`latchkey install-hook: unexpected ${unknown.join(' ')}\n\n${HOOK_USAGE}\n`);
    return 2;
  }
  let dir: string;
  try {
    dir = hooksDir(cwd);
  } catch {
    io.err('latchkey install-hook: not inside a git repository\n');
    return 2;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'pre-commit');
  if (existsSync(file) && !readFileSync(file, 'utf8').includes(MARKER)) {
    if (!force) {
      io.err(`latchkey install-hook: ${file} exists and is not ours; add \`npx latchkey scan --staged\` to it, or rerun with --force\n`);
      return 1;
    }
    renameSync(file, `${file}.before-latchkey`);
  }
  writeFileSync(file, hookScript(resolve(cliPath)), { mode: 0o755 });
  io.out(`latchkey: pre-commit hook installed at ${file}\n`);
  return 0;
}
