import { cpus, loadavg } from 'node:os';
import mongoose from 'mongoose';
import { startConsole } from '../../src/harness/browser';
import { deepCursor, operations, sample } from './measure';
import { resultsFile, writeResults, writeSection, type ManageResults, type SizeResult } from './report';
import { startNode } from './stack';
import { LOGIN } from './console-operations';
import { buildWorld, call, grow, OWNER, type OrgWorld } from './world';

/**
 * `npm run bench:manage` (issue 16, item 6), started by scripts/bench-manage.mjs with the
 * store and Redis up: the API, workers and console from their builds, two organizations
 * made through the API, then for each size the first organization is grown to that many
 * keys (10 audit events, 1 session per key) and every management operation is sampled.
 *
 * BENCH_MANAGE_SIZES=1000,10000   sizes (default 1000,10000,100000)
 * BENCH_MANAGE_SAMPLES=50         samples per operation and size
 * BENCH_MANAGE_OP_SECONDS=300     time budget of one operation at one size
 * BENCH_MANAGE_WORKERS=0          leave the job workers out
 * BENCH_WATCHDOG_MINUTES=180      the whole run; then partial results are written
 * BENCH_MANAGE_DOCS=0             write the JSON only, not docs/PERFORMANCE.md
 */

const SIZES = (process.env.BENCH_MANAGE_SIZES ?? '1000,10000,100000').split(',').map((s) => Number(s.trim())).filter((x) => x > 0).sort((a, b) => a - b);
const SAMPLES = Number(process.env.BENCH_MANAGE_SAMPLES ?? 50);
const OP_SECONDS = Number(process.env.BENCH_MANAGE_OP_SECONDS ?? 300);
const WORKERS = process.env.BENCH_MANAGE_WORKERS !== '0';
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MINUTES ?? 180) * 60_000;
const OTHER_ORG_KEYS = 1_000;
const AUDIT_PER_KEY = 10;
const PEPPER = 'bench-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
const stamp = Date.now().toString(36);
const env: Record<string, string> = {
  NODE_ENV: 'production',
  MONGODB_DB: `bench_manage_${stamp}`,
  REDIS_PREFIX: `benchmanage${stamp}`,
  LOG_LEVEL: 'warn',
  LATCHKEY_KEY_PEPPER: PEPPER,
  LATCHKEY_KEK: Buffer.alloc(32, 7).toString('base64'),
  LATCHKEY_ADMIN_EMAIL: OWNER.email,
  LATCHKEY_ADMIN_PASSWORD: OWNER.password,
};

const log = (m: string) => process.stdout.write(`[bench:manage] ${m}\n`);
const results: ManageResults = {
  startedAt: new Date().toISOString(),
  // The machine is shared: its load when the run started is part of the figures.
  machine: { cores: cpus().length, node: process.versions.node, loadAverage1m: Math.round(loadavg()[0] * 100) / 100 },
  store: process.env.BENCH_STORE_LABEL ?? 'unknown (run through scripts/bench-manage.mjs to name it)',
  samplesPlanned: SAMPLES,
  opBudgetSeconds: OP_SECONDS,
  workers: WORKERS,
  sizes: [],
};
const file = resultsFile(results.startedAt);
let phase = 'starting';

let finished = false;

/** Writes the results once: the first of a normal end, the watchdog or a signal wins. */
function finish(partial?: string): void {
  if (finished) return;
  finished = true;
  results.finishedAt = new Date().toISOString();
  if (partial) results.partial = partial;
  writeResults(results, file);
  // BENCH_MANAGE_DOCS=0: an exploratory run (other budgets, one size) leaves the docs alone.
  const docs = results.sizes.length > 0 && process.env.BENCH_MANAGE_DOCS !== '0';
  if (docs) writeSection(results, file);
  log(`wrote ${file}${docs ? ' and docs/PERFORMANCE.md' : ''}`);
}

const procs: { stop(): Promise<void> }[] = [];

/** Writes what was measured, stops what this run started (bounded wait), exits. */
async function bail(partial: string, code: number): Promise<never> {
  finish(partial);
  await Promise.race([Promise.all(procs.map((p) => p.stop().catch(() => undefined))), new Promise((r) => setTimeout(r, 20_000))]);
  process.exit(code);
}

// A phase that stops making progress ends the run with what was measured, instead of hanging.
setTimeout(() => {
  log(`watchdog: still in "${phase}" after ${WATCHDOG_MS / 60_000} min; writing partial results`);
  void bail(`the watchdog (${WATCHDOG_MS / 60_000} min) stopped the run in "${phase}"`, 2);
}, WATCHDOG_MS).unref();
// Ctrl-C or a kill: the same.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void bail(`stopped by ${signal} in "${phase}"`, 130));

async function main(): Promise<void> {
  const conn = await mongoose.createConnection(process.env.MONGODB_URI ?? '', { dbName: env.MONGODB_DB }).asPromise();
  try {
    phase = 'starting the stack';
    const api = await startNode('server/dist/main.js', { env, core: 0 });
    procs.push(api);
    if (WORKERS) procs.push(await startNode('jobs/dist/main.js', { env, core: 0, readyPath: null }));
    const consoleApp = await startConsole({ apiUrl: api.url });
    procs.push(consoleApp);
    log(`api ${api.url}, console ${consoleApp.url}${WORKERS ? ', workers' : ''}`);

    phase = 'building the organizations through the API';
    const world = await buildWorld(api.url);
    phase = 'seeding the second organization';
    await grow(conn, world.b, { keys: OTHER_ORG_KEYS, users: 20, sessions: OTHER_ORG_KEYS, auditEvents: OTHER_ORG_KEYS * AUDIT_PER_KEY }, PEPPER);

    const a = world.a;
    let users = a.userIds.length;
    let sessions = 0;
    let audit = 0;
    for (const size of SIZES) {
      phase = `seeding ${size} keys`;
      const t0 = Date.now();
      const add = (target: number, have: number) => Math.max(0, target - have);
      const g = { keys: add(size, a.seededKeys), users: add(Math.max(10, size / 100), users), sessions: add(size, sessions), auditEvents: add(size * AUDIT_PER_KEY, audit) };
      await grow(conn, a, g, PEPPER);
      users += g.users;
      sessions += g.sessions;
      audit += g.auditEvents;
      const seedSeconds = Math.round((Date.now() - t0) / 1000);
      log(`${size} keys: seeded ${JSON.stringify(g)} in ${seedSeconds} s`);
      // Seeding moved the audit chain's head behind the API's back: its next append loses the
      // compare-and-set and re-reads the head once (audit-appender.ts), as after another
      // node's writes. That one-off is paid here, outside the samples, and reported.
      phase = `${size} keys: first audit append after seeding`;
      const s0 = Date.now();
      await call(api.url, LOGIN, { e: a.owner.email, p: a.owner.password }, undefined, 30 * 60_000);
      const settleSeconds = Math.round((Date.now() - s0) / 1000);
      log(`${size} keys: first audit append after seeding took ${settleSeconds} s`);
      results.sizes.push(
        await measureSize(api.url, consoleApp.url, a, {
          keys: size,
          otherOrgKeys: OTHER_ORG_KEYS,
          auditEvents: audit,
          sessions,
          users,
          seedSeconds,
          settleSeconds,
        }),
      );
      writeResults(results, file); // what is measured survives a later watchdog
    }
  } finally {
    phase = 'stopping';
    for (const p of procs.splice(0).reverse()) await p.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

async function measureSize(api: string, consoleUrl: string, org: OrgWorld, base: Omit<SizeResult, 'ops' | 'deepPage'>): Promise<SizeResult> {
  phase = `${base.keys} keys: walking to the deep page`;
  const t0 = Date.now();
  const deep = await deepCursor(api, org.owner.token, org.keyIds.length, OP_SECONDS * 1000);
  const out: SizeResult = { ...base, deepPage: { depthKeys: deep.depth, walkSeconds: Math.round((Date.now() - t0) / 1000) }, ops: {} };
  for (const [name, fn] of operations({ api, consoleUrl, org }, deep.cursor)) {
    if (finished) throw new Error('the run is stopping');
    phase = `${base.keys} keys: ${name}`;
    const r = await sample(fn, { samples: SAMPLES, budgetMs: OP_SECONDS * 1000 });
    out.ops[name] = r;
    log(`${base.keys} keys: ${name.padEnd(42)} p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  (${r.samples}${r.truncated ? ', budget ran out' : ''}${r.error ? `, ERROR ${r.error}` : ''})`);
  }
  return out;
}

main().then(
  () => {
    finish();
    process.exit(0);
  },
  (err: unknown) => {
    log(`failed in "${phase}": ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    finish(`failed in "${phase}": ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
