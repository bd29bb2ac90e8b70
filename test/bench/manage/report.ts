import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OpResult } from './measure';
import { ROOT } from './stack';

/** Results of `npm run bench:manage`, and the section of docs/PERFORMANCE.md made from them. */

export interface SizeResult {
  keys: number;
  /** The neighbour organization's keys (its data is in every collection too). */
  otherOrgKeys: number;
  auditEvents: number;
  sessions: number;
  users: number;
  seedSeconds: number;
  /** The first audit append after seeding (the API re-reads the chain head once), not sampled. */
  settleSeconds?: number;
  deepPage: { depthKeys: number; walkSeconds: number };
  ops: Record<string, OpResult>;
}

export interface ManageResults {
  startedAt: string;
  finishedAt?: string;
  machine: { cores: number; node: string; loadAverage1m?: number };
  store: string;
  samplesPlanned: number;
  opBudgetSeconds: number;
  workers: boolean;
  sizes: SizeResult[];
  /** Why the run stopped early, when it did (watchdog, an error). */
  partial?: string;
}

const START = '<!-- bench-manage:start -->';
const END = '<!-- bench-manage:end -->';
export const TARGET_P95_MS = 100;
export const TARGET_GROWTH = 1.5;

export function resultsFile(startedAt: string): string {
  return path.join(ROOT, 'bench', 'results', `manage-${startedAt.replace(/[:.]/g, '-')}.json`);
}

export function writeResults(r: ManageResults, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
}

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x >= 100 ? String(Math.round(x)) : String(x));
const n = (x: number) => x.toLocaleString('en-US');

function cell(o: OpResult | undefined): string {
  if (!o) return '—';
  if (o.error && o.samples === 0) return 'error';
  const note = o.error ? ' (error)' : o.truncated ? ` (${o.samples} samples)` : '';
  return `${fmt(o.p50Ms)} / ${fmt(o.p95Ms)}${note}`;
}

/** The Markdown section: p50 / p95 per size, and the issue's targets checked at the largest size. */
export function section(r: ManageResults, file: string): string {
  const sizes = [...r.sizes].sort((a, b) => a.keys - b.keys);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const names = [...new Set(sizes.flatMap((s) => Object.keys(s.ops)))];
  const at = last ? `at ${n(last.keys)}` : '';
  const growthHead = sizes.length < 2 ? `p95 ≤ ${TARGET_GROWTH}× the smallest size (needs two sizes)` : `p95 ${at} ≤ ${TARGET_GROWTH}× at ${n(first?.keys ?? 0)}`;
  const head = `| operation | ${sizes.map((s) => `${n(s.keys)} keys p50 / p95 ms`).join(' | ')} | p95 ≤ ${TARGET_P95_MS} ms ${at} | ${growthHead} |`;
  const rows = names.map((name) => {
    const p95 = last?.ops[name]?.p95Ms;
    const base = first?.ops[name]?.p95Ms;
    const okAbs = p95 === undefined || Number.isNaN(p95) ? '—' : p95 <= TARGET_P95_MS ? 'yes' : `**no** (${fmt(p95)})`;
    const growth = p95 !== undefined && base ? p95 / base : undefined;
    const okGrowth =
      sizes.length < 2 || growth === undefined || Number.isNaN(growth)
        ? '—'
        : growth <= TARGET_GROWTH
          ? `yes (${growth.toFixed(2)}×)`
          : `**no** (${growth.toFixed(2)}×)`;
    return `| ${name} | ${sizes.map((s) => cell(s.ops[name])).join(' | ')} | ${okAbs} | ${okGrowth} |`;
  });
  const seeded = sizes
    .map(
      (s) =>
        `${n(s.keys)} keys (+ ${n(s.otherOrgKeys)} in a second organization), ${n(s.auditEvents)} audit events, ${n(s.sessions)} sessions, ${n(s.users)} users; ` +
        `deep page ${n(s.deepPage.depthKeys)} keys in (seeded in ${s.seedSeconds} s` +
        `${s.settleSeconds === undefined ? '' : `; the first audit append after seeding, not sampled, took ${s.settleSeconds} s`})`,
    )
    .join('; ');
  const errors = sizes.flatMap((s) => Object.entries(s.ops).filter(([, o]) => o.error).map(([k, o]) => `- ${n(s.keys)} keys, ${k}: ${o.error}`));
  return [
    START,
    `Measured ${r.startedAt} by \`npm run bench:manage\` (${r.machine.cores} cores shared with other work, 1-min load ${r.machine.loadAverage1m ?? '?'} at the start; ` +
      `Node ${r.machine.node}; store: ${r.store}; API${r.workers ? ', workers' : ''} and console on core 0, the client on core 1).`,
    `Each figure: ${r.samplesPlanned} sequential samples (one request in flight) after 2 warm-up calls, ` +
      `unless the operation's ${r.opBudgetSeconds} s budget ran out first (then the count is shown). Raw: \`${path.relative(ROOT, file)}\`.`,
    `Seeded: ${seeded}.`,
    ...(r.partial ? ['', `**Partial run:** ${r.partial}`] : []),
    '',
    head,
    `|---|${sizes.map(() => '---').join('|')}|---|---|`,
    ...rows,
    ...(errors.length ? ['', 'Errors:', ...errors] : []),
    END,
  ].join('\n');
}

export function writeSection(r: ManageResults, file: string): void {
  const doc = path.join(ROOT, 'docs', 'PERFORMANCE.md');
  const current = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n';
  const text = section(r, file);
  const next = current.includes(START)
    ? current.replace(new RegExp(`${START}[\\s\\S]*${END}`), () => text)
    : `${current.trimEnd()}\n\n## Management at scale (\`npm run bench:manage\`)\n\n${text}\n`;
  writeFileSync(doc, next);
}
