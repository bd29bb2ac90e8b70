import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { freePort, SERVER_MAIN } from '../harness/node-process';
import { waitReady } from '../harness/app';
import { generateKey } from '@latchkey/server/testing';
import { linearFit, quantile, type LinearFit } from '../security/stats';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { sleep, startLoad, tally, type Sample } from './load';

export interface SoakReport {
  seconds: number;
  verify: { requests: number; perSecond: number; p50: number; p99: number; codes: Record<string, number> };
  management: { operations: number; codes: Record<string, number> };
  /** Status classes over every request of both loads. */
  statuses: Record<string, number>;
  rssMb: MemorySeries;
  heapMb: MemorySeries;
  samples: number;
}

/**
 * One memory series after warm-up. A garbage-collected heap is a sawtooth, so the trend is
 * fitted to the floor of each window (its minimum: the level after a collection), not to
 * raw samples, whose slope over a short run is mostly where in the sawtooth it ended.
 */
export interface MemorySeries {
  first: number;
  last: number;
  max: number;
  /** Minimum of the first and of the last window. */
  floorFirst: number;
  floorLast: number;
  /** Least-squares line through the window floors, MB per minute. */
  fit: LinearFit;
  floors: number[];
}

function series(points: { t: number; v: number }[], windowMs: number): MemorySeries {
  const floors: { t: number; v: number }[] = [];
  const start = points[0]?.t ?? 0;
  for (let w = start; w <= (points.at(-1)?.t ?? 0); w += windowMs) {
    const inW = points.filter((p) => p.t >= w && p.t < w + windowMs);
    if (inW.length) floors.push({ t: w + windowMs / 2, v: Math.min(...inW.map((p) => p.v)) });
  }
  const vs = points.map((p) => p.v);
  return {
    first: vs[0] as number,
    last: vs.at(-1) as number,
    max: Math.max(...vs),
    floorFirst: floors[0]?.v as number,
    floorLast: floors.at(-1)?.v as number,
    fit: linearFit(floors.map((f) => f.t / 60_000), floors.map((f) => f.v)),
    floors: floors.map((f) => Math.round(f.v * 10) / 10),
  };
}

const MB = 1024 * 1024;
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? (Number(m[1]) * 1024) / MB : NaN;
}
async function heapOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^latchkey_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return m ? Number(m[1]) / MB : NaN;
}

interface ApiProcess {
  url: string;
  pid: number;
  output: string[];
  exited(): string | null;
  stop(): Promise<void>;
}

/**
 * The API node under soak, like harness startNodeProcess but started through a symlink
 * with a name of its own: on this shared machine other sessions end their API processes
 * by command line, and a 10-minute run must not be taken down by a `dist/main.js` match.
 */
async function startSoakApi(peer: TestApp): Promise<ApiProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-soak-'));
  const entry = join(dir, 'latchkey-soak-api.js');
  symlinkSync(SERVER_MAIN, entry);
  const port = await freePort();
  const output: string[] = [];
  const c = peer.config;
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_DB: c.MONGODB_DB,
      REDIS_PREFIX: c.REDIS_PREFIX,
      LOG_LEVEL: 'warn',
      LATCHKEY_ADMIN_EMAIL: c.LATCHKEY_ADMIN_EMAIL,
      LATCHKEY_ADMIN_PASSWORD: c.LATCHKEY_ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? String(child.exitCode ?? child.signalCode) : null);
  const stop = () =>
    new Promise<void>((resolve) => {
      rmSync(dir, { recursive: true, force: true });
      if (exited()) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
    });
  try {
    await waitReady(url, 30_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${output.join('').slice(-3000)}`);
  }
  return { url, pid: child.pid as number, output, exited, stop };
}

/**
 * Sustained verify + management traffic against an API node running as its own process
 * (so its RSS is its own), memory sampled every `sampleEveryMs`. Memory after `warmupMs`
 * is fitted with a least-squares line (MB per minute) — the growth trend the caller bounds.
 * The load is closed-loop (fixed concurrency) and stops by itself after `durationMs`.
 */
export async function runSoak(opts: { durationMs: number; warmupMs: number; sampleEveryMs: number; windowMs: number }): Promise<SoakReport> {
  let a: TestApp | undefined;
  let node: ApiProcess | undefined;
  try {
    a = await startTestApp();
    const app = a;
    node = await startSoakApi(app);
    const target = { ...app, url: node.url };
    const { token, verifier } = await verifierSetup(app);
    const pool = await Promise.all(Array.from({ length: 20 }, () => serviceKey(app, token, { rateLimit: { perSecond: 100_000 } })));
    let i = 0;
    const verifyOp = async () => {
      const n = i++;
      // Mostly known keys, some unknown (negative cache) and some damaged (no lookup).
      const key = n % 10 === 0 ? generateKey({ environment: 'production' }).key : n % 20 === 1 ? 'lk_prd_damaged' : (pool[n % pool.length]?.secret as string);
      const r = await verifyHttp(target, verifier, { key, resource: 'applications', action: 'read' });
      return { status: r.status, code: r.body.code ?? r.body.error?.code ?? '?' };
    };
    let m = 0;
    const manageOp = async () => {
      const step = m++ % 4;
      let r;
      if (step === 0) r = await gql(node?.url as string, 'mutation($n:String!){ createApplication(input:{name:$n}){ id } }', { n: `soak-${m}-${Date.now()}` }, { token });
      else if (step === 1) r = await gql(node?.url as string, '{ apiKeys(first: 20) { totalCount nodes { id status } } }', {}, { token });
      else if (step === 2) {
        const k = await serviceKey(target, token).catch(() => null);
        r = k
          ? await gql(node?.url as string, 'mutation($id:ID!){ revokeApiKey(id:$id, reason:"soak"){ id } }', { id: k.id }, { token })
          : { status: 0, errors: [{ message: 'create failed' }] };
      } else r = await gql(node?.url as string, '{ auditEvents(first: 20) { nodes { id action } } }', {}, { token });
      await sleep(100);
      return { status: r.status, code: r.errors?.length ? String(r.errors[0]?.extensions?.code ?? 'ERROR') : 'OK' };
    };
    const mem: { t: number; rss: number; heap: number }[] = [];
    const verifyLoad = startLoad(verifyOp, { concurrency: 4, durationMs: opts.durationMs });
    const manageLoad = startLoad(manageOp, { concurrency: 1, durationMs: opts.durationMs });
    const pid = node.pid;
    while (Date.now() - verifyLoad.startedAt < opts.durationMs) {
      const gone = node.exited();
      if (gone) throw new Error(`the API process ended (${gone}) during the soak:\n${node.output.join('').slice(-3000)}`);
      mem.push({ t: Date.now() - verifyLoad.startedAt, rss: rssOf(pid), heap: await heapOf(node.url) });
      await sleep(opts.sampleEveryMs);
    }
    await Promise.all([verifyLoad.done, manageLoad.done]);
    const steady = mem.filter((x) => x.t >= opts.warmupMs);
    const lat = verifyLoad.samples.map((s: Sample) => s.ms);
    const seconds = opts.durationMs / 1000;
    return {
      seconds,
      verify: {
        requests: lat.length,
        perSecond: lat.length / seconds,
        p50: quantile(lat, 0.5),
        p99: quantile(lat, 0.99),
        codes: tally(verifyLoad.samples, 0, Infinity, (s) => s.code),
      },
      management: { operations: manageLoad.samples.length, codes: tally(manageLoad.samples, 0, Infinity, (s) => s.code) },
      statuses: tally([...verifyLoad.samples, ...manageLoad.samples], 0, Infinity, (s) => `${Math.floor(s.status / 100)}xx`),
      rssMb: series(steady.map((x) => ({ t: x.t, v: x.rss })), opts.windowMs),
      heapMb: series(steady.map((x) => ({ t: x.t, v: x.heap })), opts.windowMs),
      samples: steady.length,
    };
  } finally {
    await node?.stop();
    await a?.stop();
  }
}

export function describeSoak(r: SoakReport): string {
  const f = (x: MemorySeries) =>
    `${x.first.toFixed(1)} → ${x.last.toFixed(1)} MB (max ${x.max.toFixed(1)}; window floors ${x.floors.join(', ')}), ` +
    `floor slope ${x.fit.slope.toFixed(2)} ± ${x.fit.slopeSe.toFixed(2)} MB/min (upper 95 % ${x.fit.slopeUpper95.toFixed(2)})`;
  const v = r.verify;
  return [
    `soak ${r.seconds} s: verify ${v.requests} requests (${v.perSecond.toFixed(0)}/s, p50 ${v.p50} ms, p99 ${v.p99} ms) ${JSON.stringify(v.codes)}`,
    `management ${r.management.operations} operations ${JSON.stringify(r.management.codes)}; statuses ${JSON.stringify(r.statuses)}`,
    `RSS ${f(r.rssMb)}; heap used ${f(r.heapMb)}; ${r.samples} samples after warm-up`,
  ].join('\n');
}
