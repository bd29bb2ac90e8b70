// Measures the management-query shapes of issue #16 against one FerretDB binary:
// an organization with --keys keys next to another of the same size (and, with
// --audit, that many audit events per organization), each query repeated until
// --iterations or --budget-ms per shape. Run it once with the stock build and once with
// the pushdown build; the figures are in docs/MONGODB-PORTABILITY.md.
//
//   node tools/ferretdb/bench-pushdown.mjs --bin /tmp/ferretdb-stock --keys 100000 --label stock
//
// Not a test: it prints a table and writes JSON (--out) for the docs.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]]] : acc), []),
);
const BIN = args.bin ?? path.join(ROOT, 'tools/ferretdb/bin/ferretdb');
const KEYS = Number(args.keys ?? 100_000);
const AUDIT = Number(args.audit ?? 0);
const ITER = Number(args.iterations ?? 30);
const BUDGET_MS = Number(args['budget-ms'] ?? 60_000);
const LABEL = args.label ?? path.basename(BIN);
const PAGE = 50;
// the deep page is the 200th (fewer when the data set is too small for 200 pages)
const DEEP_PAGES = Math.max(1, Math.min(200, Math.floor((KEYS * 3) / 5 / PAGE) - 2));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startFerret() {
  const port = Number(args.port ?? (await freePort()));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fdb-bench-'));
  const log = openSync(path.join(dir, 'ferretdb.log'), 'a');
  const child = spawn(BIN, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { stdio: ['ignore', 'pipe', log] });
  await new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`ferretdb exited ${c}`)));
    child.stdout.on('data', (d) => d.toString().includes('listening') && resolve());
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return { uri: `mongodb://127.0.0.1:${port}/`, stop };
}

const pad = (n, w) => String(n).padStart(w, '0');
const T0 = Date.UTC(2024, 0, 1);
const STATUSES = ['active', 'active', 'active', 'revoked', 'expired'];

function keyDoc(org, i) {
  return {
    _id: `key_${org}${pad(i, 8)}`,
    orgId: `org_${org}`,
    name: `key ${i}`,
    status: STATUSES[i % STATUSES.length],
    environment: i % 2 ? 'live' : 'test',
    type: i % 3 ? 'secret' : 'publishable',
    tags: [`t${i % 10}`, `team${i % 7}`],
    ownerId: `usr_${pad(i % 50, 4)}`,
    applicationId: `app_${pad(i % 20, 4)}`,
    hash: `${org}${pad(i, 10)}${'f'.repeat(52)}`,
    prefix: `lk_${org}${pad(i % 1000, 4)}`,
    scopes: ['keys:read', 'usage:read'],
    // a few keys share a creation instant, so the cursor's _id tie-break matters
    createdAt: new Date(T0 + Math.floor(i / 3) * 1000),
    expiresAt: new Date(T0 + 365 * 86_400_000 + i * 1000),
    metadata: { note: 'x'.repeat(120), costCenter: `cc${i % 13}` },
  };
}

function auditDoc(org, i) {
  return {
    _id: `aud_${org}${pad(i, 9)}`,
    orgId: `org_${org}`,
    seq: i + 1,
    action: ['key.created', 'key.updated', 'key.revoked', 'user.login'][i % 4],
    actor: { type: 'user', id: `usr_${pad(i % 50, 4)}` },
    target: { type: 'api_key', id: `key_${org}${pad(i % 100_000, 8)}` },
    at: new Date(T0 + i * 500),
    hash: 'h'.repeat(64),
  };
}

async function seed(coll, make, n, label) {
  const started = Date.now();
  const BATCH = 1000;
  for (const org of ['a', 'b']) {
    for (let i = 0; i < n; i += BATCH) {
      const docs = [];
      for (let j = i; j < Math.min(n, i + BATCH); j++) docs.push(make(org, j));
      await coll.insertMany(docs, { ordered: false });
    }
  }
  const s = (Date.now() - started) / 1000;
  console.log(`seeded ${2 * n} ${label} in ${s.toFixed(1)} s (${Math.round((2 * n) / s)}/s)`);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(name, fn, check) {
  const first = await fn(); // warm-up, and the answer checked
  if (check) check(first);
  const times = [];
  const deadline = Date.now() + BUDGET_MS;
  while (times.length < ITER && (times.length < 3 || Date.now() < deadline)) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const r = { name, n: times.length, p50: +quantile(times, 0.5).toFixed(2), p95: +quantile(times, 0.95).toFixed(2) };
  console.log(`${name.padEnd(44)} n=${String(r.n).padStart(3)}  p50 ${String(r.p50).padStart(9)} ms  p95 ${String(r.p95).padStart(9)} ms`);
  return r;
}

function expectLen(n) {
  return (rows) => {
    if (rows.length !== n) throw new Error(`expected ${n} rows, got ${rows.length}`);
  };
}

async function main() {
  const { uri, stop } = await startFerret();
  const client = await MongoClient.connect(uri);
  const results = [];
  try {
    const db = client.db('bench_pushdown');
    const keys = db.collection('api_keys');
    await keys.createIndexes([
      { key: { hash: 1 }, name: 'hash_1', unique: true },
      { key: { orgId: 1, _id: 1 }, name: 'orgId_1__id_1' },
      { key: { orgId: 1, createdAt: -1, _id: -1 }, name: 'orgId_1_createdAt_-1__id_-1' },
      { key: { orgId: 1, status: 1, createdAt: -1, _id: -1 }, name: 'orgId_1_status_1_createdAt_-1__id_-1' },
    ]);
    await seed(keys, keyDoc, KEYS, 'keys');
    const sort = { createdAt: -1, _id: -1 };
    const active = { orgId: 'org_a', status: 'active' };
    // the cursor of page DEEP_PAGES: the last row of the page before it, computed once
    const cutRow = await keys.find(active).sort(sort).skip(DEEP_PAGES * PAGE - 1).limit(1).next();
    const afterId = (await keys.find({ orgId: 'org_a' }).sort({ _id: 1 }).skip(DEEP_PAGES * PAGE - 1).limit(1).next())._id;
    const cursor = { $or: [{ createdAt: { $lt: cutRow.createdAt } }, { createdAt: cutRow.createdAt, _id: { $lt: cutRow._id } }] };
    const activeA = Math.ceil((KEYS * 3) / 5);
    results.push(await measure('keys: page {orgId,status} sort limit 51', () => keys.find(active).sort(sort).limit(PAGE + 1).toArray(), expectLen(51)));
    results.push(await measure(`keys: deep page (${DEEP_PAGES} pages) $or cursor`, () => keys.find({ ...active, ...cursor }).sort(sort).limit(PAGE + 1).toArray(), expectLen(51)));
    results.push(
      await measure(
        `keys: deep page (${DEEP_PAGES} pages) _id > after`,
        () => keys.find({ orgId: 'org_a', _id: { $gt: afterId } }).sort({ _id: 1 }).limit(PAGE + 1).toArray(),
        expectLen(51),
      ),
    );
    results.push(
      await measure('keys: countDocuments {orgId}', () => keys.countDocuments({ orgId: 'org_a' }), (n) => {
        if (n !== KEYS) throw new Error(`count ${n}`);
      }),
    );
    results.push(
      await measure('keys: countDocuments {orgId,status}', () => keys.countDocuments(active), (n) => {
        if (n !== activeA) throw new Error(`count ${n} != ${activeA}`);
      }),
    );
    results.push(await measure('keys: findOne {_id, orgId}', () => keys.findOne({ _id: `key_a${pad(KEYS >> 1, 8)}`, orgId: 'org_a' }), (d) => d || fail('point')));
    results.push(await measure('keys: findOne {hash}', () => keys.findOne({ hash: `a${pad(KEYS >> 2, 10)}${'f'.repeat(52)}` }), (d) => d || fail('hash')));
    if (AUDIT > 0) {
      const audit = db.collection('audit_events');
      await audit.createIndexes([
        { key: { orgId: 1, seq: 1 }, name: 'orgId_1_seq_1', unique: true },
        { key: { orgId: 1, seq: -1 }, name: 'orgId_1_seq_-1' },
        { key: { orgId: 1, action: 1, seq: -1 }, name: 'orgId_1_action_1_seq_-1' },
      ]);
      await seed(audit, auditDoc, AUDIT, 'audit events');
      const deepSeq = AUDIT - Math.min(200, Math.floor(AUDIT / PAGE) - 2) * PAGE;
      results.push(await measure('audit: page {orgId} sort {seq:-1}', () => audit.find({ orgId: 'org_a' }).sort({ seq: -1 }).limit(51).toArray(), expectLen(51)));
      results.push(
        await measure('audit: page {orgId,action} sort {seq:-1}', () => audit.find({ orgId: 'org_a', action: 'key.revoked' }).sort({ seq: -1 }).limit(51).toArray(), expectLen(51)),
      );
      results.push(
        await measure(`audit: deep page seq < cursor`, () => audit.find({ orgId: 'org_a', seq: { $lt: deepSeq } }).sort({ seq: -1 }).limit(51).toArray(), expectLen(51)),
      );
      results.push(await measure('audit: countDocuments {orgId}', () => audit.countDocuments({ orgId: 'org_a' })));
    }
  } finally {
    await client.close();
    stop();
  }
  const out = { label: LABEL, bin: BIN, keysPerOrg: KEYS, auditPerOrg: AUDIT, at: new Date().toISOString(), results };
  if (args.out) writeFileSync(args.out, `${JSON.stringify(out, null, 2)}\n`);
}

function fail(what) {
  throw new Error(`${what}: no document`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
