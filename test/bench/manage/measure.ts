import { consoleOperation, LOGIN } from './console-operations';
import { call, type OrgWorld } from './world';

/**
 * The management operations of issue 16 item 6, each sampled sequentially (one request
 * in flight) so a figure is the latency one administrator sees, not a throughput.
 */

export interface OpResult {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Set when the op's time budget ran out before the planned samples. */
  truncated?: boolean;
  error?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Runs `fn(i)` `samples` times after `warmup` unmeasured runs, within `budgetMs`. */
export async function sample(fn: (i: number) => Promise<void>, opts: { samples: number; budgetMs: number; warmup?: number }): Promise<OpResult> {
  const times: number[] = [];
  const started = Date.now();
  let i = 0;
  try {
    for (let w = 0; w < (opts.warmup ?? 2); w++) await fn(i++);
    while (times.length < opts.samples) {
      if (times.length > 0 && Date.now() - started > opts.budgetMs) break;
      const t0 = performance.now();
      await fn(i++);
      times.push(performance.now() - t0);
    }
  } catch (e) {
    return { ...summary(times), error: (e as Error).message.slice(0, 300) };
  }
  return { ...summary(times), ...(times.length < opts.samples ? { truncated: true } : {}) };
}

function summary(times: number[]): OpResult {
  const s = [...times].sort((a, b) => a - b);
  return { samples: s.length, p50Ms: round(percentile(s, 50)), p95Ms: round(percentile(s, 95)), maxMs: round(s[s.length - 1] ?? Number.NaN) };
}

export interface Target {
  api: string;
  consoleUrl: string;
  org: OrgWorld;
}

/** Keys the mutations work on: each taken out of `ids` (never a key an earlier sample or size changed). */
class Pool {
  constructor(private readonly ids: string[]) {}
  take(): string {
    // A random one, so consecutive samples touch keys far apart in the collection.
    const at = Math.floor(Math.random() * this.ids.length);
    const id = this.ids[at];
    if (id === undefined) throw new Error('ran out of seeded active keys');
    this.ids[at] = this.ids[this.ids.length - 1] as string;
    this.ids.pop();
    return id;
  }
}

/** The operations, by the name they carry in results and in docs/PERFORMANCE.md. */
export function operations(t: Target, deepCursor: string | null): [string, (i: number) => Promise<void>][] {
  const { api, org } = t;
  const token = org.owner.token;
  const q = (name: string, vars: Record<string, unknown>) => call(api, consoleOperation(name), vars, token).then(() => undefined);
  const pool = new Pool(org.activeKeyIds);
  const newest = { field: 'createdAt', direction: 'desc' };
  const ops: [string, (i: number) => Promise<void>][] = [
    ['login', () => call(api, LOGIN, { e: org.owner.email, p: org.owner.password }).then(() => undefined)],
    ['me (session check)', () => call(api, '{ me { id orgId } }', {}, token).then(() => undefined)],
    [
      'createApiKey',
      (i) =>
        q('CreateKey', {
          input: {
            name: `bench-created-${Date.now()}-${i}`,
            type: 'application',
            subtype: 'service',
            applicationId: org.applicationIds[0],
            permissionLevel: 'custom',
            scopes: ['applications:read'],
            tags: ['bench'],
          },
        }),
    ],
    ['updateApiKey', (i) => q('UpdateKey', { id: pool.take(), input: { name: `bench-updated-${i}`, tags: ['bench', 'edited'] } })],
    ['rotateApiKey', () => q('RotateKey', { id: pool.take(), grace: 3600 })],
    ['revokeApiKey', () => q('RevokeKey', { id: pool.take(), reason: 'bench' })],
    ['apiKeys(first: 50) newest', () => q('KeyList', { filter: {}, sort: newest, first: 50 })],
    ['apiKeys(first: 50) status + environment', () => q('KeyList', { filter: { status: 'active', environment: 'staging' }, sort: newest, first: 50 })],
    ['apiKeys(first: 50) tag, by name', () => q('KeyList', { filter: { tag: 'team-3' }, sort: { field: 'name', direction: 'asc' }, first: 50 })],
    ['apiKeys(first: 50) search on name', () => q('KeyList', { filter: { search: 'billing' }, sort: newest, first: 50 })],
    ['apiKeys(first: 50) deep page', () => q('KeyList', { filter: {}, sort: newest, first: 50, after: deepCursor })],
    ['auditEvents(first: 50)', () => q('AuditEvents', { filter: {} })],
    ['auditEvents(first: 50) of one key', (i) => q('AuditEvents', { filter: { targetType: 'key', targetId: org.keyIds[(i * 7919) % org.keyIds.length] } })],
    ['console keys page (server render)', () => renderKeysPage(t.consoleUrl, token)],
  ];
  return ops;
}

/** GET the console's keys page as a signed-in browser would (the session cookie), whole body read. */
async function renderKeysPage(consoleUrl: string, token: string): Promise<void> {
  const res = await fetch(`${consoleUrl}/keys`, { headers: { cookie: `lk_session=${token}` }, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
  const html = await res.text();
  if (res.status !== 200 || !html.includes('Every API key of your organization')) throw new Error(`console /keys answered ${res.status}: ${html.slice(0, 200)}`);
}

/**
 * The cursor `pages` pages of 50 into the newest-first listing (or of the last full page
 * when there are fewer), reached by walking pages of 100 as a client would. On a store
 * where every page scans, the walk stops when `budgetMs` runs out: `depth` says how deep it got.
 */
export async function deepCursor(api: string, token: string, total: number, budgetMs: number, pages = 200): Promise<{ cursor: string | null; depth: number }> {
  const target = Math.max(0, Math.min(pages * 50, Math.floor((total - 50) / 100) * 100));
  const started = Date.now();
  let cursor: string | null = null;
  let depth = 0;
  while (depth < target && Date.now() - started < budgetMs) {
    const d: { apiKeys: { pageInfo: { endCursor: string | null } } } = await call(
      api,
      'query($after: String){ apiKeys(first: 100, after: $after, sort: {field: createdAt, direction: desc}) { pageInfo { endCursor } } }',
      { after: cursor },
      token,
    );
    cursor = d.apiKeys.pageInfo.endCursor;
    depth += 100;
  }
  return { cursor, depth };
}
