import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../harness/app';
import { loginOwner } from '../keys/key-helpers';
import { serviceKey } from '../verify/verify-helpers';
import { wsClient } from '../harness/ws';
import { introspect, operationArb, type FuzzOp } from './fuzz-arbitraries';
import { sendOneWs } from './fuzz-ws';

/** What a response must never contain: stack frames, file paths, driver and runtime errors. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w$.<>[\] ]+ \(?(\/|node:|file:)/, // a stack frame
  /\.(ts|js|mjs):\d+(:\d+)?/, // a source position
  /node_modules|\/work\/|\/home\/|\/usr\/lib/,
  /internal server error/i,
  /INTERNAL_SERVER_ERROR/,
  /Mongo(Server|Network)?Error|E11000|BSON|mongoose|Cast to \w+ failed|ValidatorError/,
  /ECONNREFUSED|ETIMEDOUT|ReplyError|ioredis/,
  /TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|undefined is not/,
  /Context creation failed|Unexpected error/,
];

export interface FuzzSummary {
  operations: number;
  /** How many of them went over graphql-ws instead of HTTP. */
  overWs: number;
  seed: number;
  seconds: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  fieldsCovered: number;
  failures: { op: FuzzOp; status: number; body: string; why: string }[];
  /** Error-level log lines the app wrote (unexpected errors are logged there). */
  errorLogs: string[];
}

export interface FuzzTarget {
  app: TestApp;
  owner: string;
  key: string;
  stop(): Promise<void>;
}

/** A test app of its own (backups and archives in a temp dir: fuzzed mutations may succeed). */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-fuzz-'));
  const app = await startTestApp({ env: { BACKUP_DIR: join(dir, 'backups'), ARCHIVE_DIR: join(dir, 'archives') } });
  const owner = await loginOwner(app);
  // A broad key so API-key authentication reaches the resolvers too.
  const key = await serviceKey(app, owner, { permissionLevel: 'read_write', scopes: undefined, rateLimit: { perSecond: 100_000 } });
  return { app, owner, key: key.secret, stop: () => app.stop() };
}

/**
 * Sends `n` generated operations, `concurrency` at a time, and records every response that
 * is a 5xx, carries INTERNAL_SERVER_ERROR or matches a leak pattern. The seed is printed
 * so any failure replays exactly (fc.sample is deterministic for a seed).
 */
export async function runFuzz(t: FuzzTarget, n: number, opts: { seed?: number; concurrency?: number } = {}): Promise<FuzzSummary> {
  const seed = opts.seed ?? (Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31);
  const schema = await introspect(t.app.url);
  // logout would end the shared session and starve the rest of the run of coverage.
  const ops = fc.sample(operationArb(schema, { excludeWithOwner: ['logout'] }), { numRuns: n, seed });
  const summary: FuzzSummary = {
    operations: n,
    overWs: 0,
    seed,
    seconds: 0,
    byStatus: {},
    byCode: {},
    fieldsCovered: new Set(ops.map((o) => o.field)).size,
    failures: [],
    errorLogs: [],
  };
  const logStart = t.app.logs.length;
  const started = Date.now();
  // Every fifth authenticated operation goes over graphql-ws (same schema, other code path).
  const ws = { owner: wsClient(t.app.wsUrl, t.owner), key: wsClient(t.app.wsUrl, t.key) };
  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const i = next++;
      const op = ops[i] as FuzzOp;
      // Messages over the 64 kB frame limit would close the shared socket (1009) for everyone.
      if (i % 5 === 4 && op.who !== 'anonymous' && JSON.stringify(op).length < 60_000) await sendOneWs(ws[op.who], op, summary);
      else await sendOne(t, op, summary);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, worker));
  await Promise.all([ws.owner.dispose(), ws.key.dispose()]);
  summary.seconds = (Date.now() - started) / 1000;
  summary.errorLogs = t.app.logs.slice(logStart).filter((l) => /"level":(50|60)/.test(l));
  return summary;
}

async function sendOne(t: FuzzTarget, op: FuzzOp, s: FuzzSummary): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (op.who === 'owner') headers.authorization = `Bearer ${t.owner}`;
  if (op.who === 'key') headers.authorization = `Bearer ${t.key}`;
  let status = 0;
  let text = '';
  try {
    const res = await fetch(`${t.app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: op.query, variables: op.variables }) });
    status = res.status;
    text = await res.text();
  } catch (e) {
    // fetch's own message is only "fetch failed"; the socket error that caused it is in `cause`.
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    s.failures.push({ op, status: 0, body: `${String(e)}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`, why: 'no response' });
    return;
  }
  record(s, op, status, text);
}

/** Counts a response and files it as a failure when it is a 5xx, an internal error or a leak. */
export function record(s: FuzzSummary, op: FuzzOp, status: number, text: string): void {
  s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    for (const e of body.errors ?? []) {
      const c = e.extensions?.code ?? '(none)';
      s.byCode[c] = (s.byCode[c] ?? 0) + 1;
    }
    if (!body.errors?.length) s.byCode.OK = (s.byCode.OK ?? 0) + 1;
  } catch {
    s.byCode['(non-JSON)'] = (s.byCode['(non-JSON)'] ?? 0) + 1;
  }
  // Leak patterns are matched on what the server wrote, minus echoes of our own input.
  const own = JSON.stringify(op.query);
  const scrubbed = text.includes(own.slice(1, -1)) ? text.split(own.slice(1, -1)).join('') : text;
  const leak = LEAK_PATTERNS.find((p) => p.test(scrubbed) && !p.test(own));
  // Failures keep a readable excerpt of the operation (the seed replays it in full).
  const short = { ...op, query: op.query.slice(0, 300), variables: JSON.stringify(op.variables).slice(0, 300) as unknown as Record<string, unknown> };
  if (status === 4500 || status === 1011) s.failures.push({ op: short, status, body: text.slice(0, 500), why: 'socket closed as an internal error' });
  else if (status >= 500 && status < 1000) s.failures.push({ op: short, status, body: text.slice(0, 500), why: '5xx' });
  else if (leak) s.failures.push({ op: short, status, body: text.slice(0, 500), why: `matches ${leak}` });
}

/** One line per figure, for the test output and docs/SECURITY.md. */
export function describeSummary(s: FuzzSummary): string {
  const top = Object.entries(s.byCode).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ');
  return (
    `fuzz: ${s.operations} operations (${s.overWs} over graphql-ws) over ${s.fieldsCovered} root fields in ${s.seconds.toFixed(1)} s (seed ${s.seed}); ` +
    `statuses ${JSON.stringify(s.byStatus)}; codes ${top}; failures ${s.failures.length}; error logs ${s.errorLogs.length}`
  );
}
