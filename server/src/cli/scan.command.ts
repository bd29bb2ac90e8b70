import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { maskKey, scanBlobs, scanPaths, type Finding, type ScanStats } from './key-scanner';
import { postJson } from './http-client';
import type { CliIo } from './cli-io';

export const SCAN_USAGE = `latchkey scan [--staged] [--report <api-url>] [--reporter-secret <secret>] [--ca <pem>] <paths…>

Finds Latchkey API keys (format AND checksum, so look-alikes are ignored) in files and
directories (.git and node_modules skipped), or with --staged in what git would commit.
Prints file:line:column and a masked value; exits 1 when any key is found, 0 otherwise.
--report sends the findings to <api-url>/v1/leaks (the keys are then suspended or revoked
per organization policy); the reporter secret comes from LATCHKEY_REPORTER_SECRET (preferred:
command lines end up in shell history) or --reporter-secret.`;

interface ScanArgs {
  staged: boolean;
  report: string | null;
  secret: string | null;
  ca: string | null;
  paths: string[];
}

function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): ScanArgs {
  const a: ScanArgs = { staged: false, report: null, secret: env.LATCHKEY_REPORTER_SECRET || null, ca: null, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--staged') a.staged = true;
    else if (arg === '--report') a.report = value();
    else if (arg === '--reporter-secret') a.secret = value();
    else if (arg === '--ca') a.ca = value();
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else a.paths.push(arg);
  }
  if (!a.staged && a.paths.length === 0) throw new Error('name at least one file or directory (or --staged)');
  if (a.report && !a.secret) throw new Error('--report needs a reporter secret: set LATCHKEY_REPORTER_SECRET (or pass --reporter-secret)');
  return a;
}

/** The staged content of every added/changed file (what the commit will contain, not the working tree). */
function stagedBlobs(): { name: string; content: Buffer }[] {
  const names = execFileSync('git', ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  return names.map((name) => ({ name, content: execFileSync('git', ['show', `:${name}`], { maxBuffer: 64 * 1024 * 1024 }) }));
}

/** Exit code: 0 clean, 1 keys found, 2 usage or I/O problem. */
export async function runScan(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ScanArgs;
  try {
    args = parseArgs(argv, io.env);
  } catch (e) {
    io.err(`latchkey scan: ${(e as Error).message}\n\n${SCAN_USAGE}\n`);
    return 2;
  }
  const stats: ScanStats = { files: 0, skipped: 0 };
  const findings: Finding[] = args.staged ? scanBlobs(stagedBlobs(), stats) : await scanPaths(args.paths, stats);
  for (const f of findings) io.out(`${f.file}:${f.line}:${f.column}: Latchkey API key ${maskKey(f.key)}\n`);
  if (findings.length === 0) {
    io.err(`latchkey scan: no API keys in ${stats.files} file(s)${stats.skipped ? ` (${stats.skipped} binary or oversized skipped)` : ''}\n`);
    return 0;
  }
  io.err(
    `latchkey scan: ${findings.length} API key(s) found. Keys belong in environment variables or a secret manager, never in source control:\n` +
      `  remove them from these files (and from history if already committed), then rotate or revoke the keys.\n` +
      (args.staged ? '  The commit was stopped; `git commit --no-verify` skips this check (don\'t).\n' : ''),
  );
  if (args.report && args.secret) await report(args, findings, io);
  return 1;
}

async function report(args: ScanArgs, findings: Finding[], io: CliIo): Promise<void> {
  const url = new URL(args.report as string);
  if (!url.pathname.endsWith('/v1/leaks')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/leaks`;
  const items = findings.map((f) => ({ token: f.key, type: 'latchkey_api_key', url: `${pathToFileURL(resolve(f.file)).href}#L${f.line}`, source: 'latchkey-cli' }));
  const ca = args.ca ? readFileSync(args.ca) : undefined;
  for (let i = 0; i < items.length; i += 1000) {
    const r = await postJson(url, items.slice(i, i + 1000), { authorization: `Bearer ${args.secret as string}` }, ca);
    if (r.status !== 200) {
      io.err(`latchkey scan: the leak endpoint answered ${r.status}: ${r.body.slice(0, 300)}\n`);
      return;
    }
    const labels = JSON.parse(r.body) as { label: string }[];
    const confirmed = labels.filter((l) => l.label === 'true_positive').length;
    io.err(`latchkey scan: reported ${labels.length} finding(s) to ${url.origin}; ${confirmed} matched a key, which was suspended or revoked per policy\n`);
  }
}
