import type { Db, Document } from 'mongodb';
import type { CommandRecord, Statement } from '../harness/command-monitor';

/**
 * Asks the store itself whether each distinct command shape is served by an index:
 * `explain` of the statement as it was sent (values included, since the pushdown can
 * depend on a value's type). Writes are judged by their filter, as a find of the same
 * filter: FerretDB's update/delete/findAndModify handlers query the backend exactly as
 * find does, and its `explain` reads only `filter`, not `q` or `query`.
 */

/**
 * point: by `_id` through its index; indexed: an index range; bounded: reads ≤ limit rows;
 * counted: a count or group over an index range whose documents are read to be counted (not a
 * SQL COUNT over the index).
 */
export type Verdict = 'point' | 'indexed' | 'bounded' | 'counted' | 'write' | 'unsorted' | 'scan' | 'unexplained';

/** Verdicts that fail the no-scan test: the cost follows what is stored, not what is asked. */
export const FAILING: readonly Verdict[] = ['scan', 'unsorted', 'unexplained'];
/**
 * Reported, not failing: index-backed, but the cost follows the matches (a totalCount
 * over 100k keys reads 100k documents on FerretDB). Whether to fail on it is the lead's call.
 */
export const WARNING: readonly Verdict[] = ['counted'];

export interface ShapeFinding {
  shape: string;
  collection: string;
  verdict: Verdict;
  /** What the store said, in one line (SQLite plan details, or MongoDB's stages). */
  plan: string;
  count: number;
  sources: string[];
  callers: string[];
  maxMs: number;
  totalMs: number;
}

export async function classify(db: Db, records: readonly CommandRecord[]): Promise<ShapeFinding[]> {
  const groups = new Map<string, CommandRecord[]>();
  for (const r of records) groups.set(r.shape, [...(groups.get(r.shape) ?? []), r]);
  const out: ShapeFinding[] = [];
  for (const [shape, recs] of groups) {
    const first = recs[0] as CommandRecord;
    const { verdict, plan } = await judgeStatement(db, first.statement);
    const times = recs.map((r) => r.durationMs ?? 0);
    out.push({
      shape,
      collection: first.collection,
      verdict,
      plan,
      count: recs.length,
      sources: [...new Set(recs.map((r) => r.source))],
      callers: [...new Set(recs.flatMap((r) => r.callers.slice(0, 2).join(' ← ')).filter(Boolean))],
      maxMs: Math.round(Math.max(...times) * 10) / 10,
      totalMs: Math.round(times.reduce((a, b) => a + b, 0)),
    });
  }
  return out.sort((a, b) => b.totalMs - a.totalMs);
}

export async function judgeStatement(db: Db, s: Statement): Promise<{ verdict: Verdict; plan: string }> {
  if (s.kind === 'write' || s.kind === 'other') return { verdict: 'write', plan: '' };
  let explained: Document;
  try {
    explained = await db.command({ explain: explainable(s), verbosity: 'queryPlanner' });
  } catch (e) {
    return { verdict: 'unexplained', plan: `explain failed: ${(e as Error).message}` };
  }
  return isFerret(explained) ? judgeFerret(explained, s) : judgeMongo(explained, s);
}

function explainable(s: Statement): Document {
  if (s.kind === 'aggregate') return { aggregate: s.collection, pipeline: s.pipeline ?? [], cursor: {} };
  const cmd: Document = { find: s.collection, filter: s.filter ?? {} };
  if (s.sort && Object.keys(s.sort).length) cmd.sort = s.sort;
  if (s.limit) cmd.limit = s.limit;
  if (s.skip) cmd.skip = s.skip;
  return cmd;
}

function isFerret(e: Document): boolean {
  return 'filterPushdown' in e || Boolean((e.serverInfo as Document | undefined)?.ferretdbVersion);
}

/** Does the statement ask for an order and a bounded number of rows? */
function wantsOrderedPage(s: Statement): boolean {
  const sort = s.kind === 'aggregate' ? (s.pipeline ?? []).find((st) => '$sort' in st) : s.sort;
  const limit = s.kind === 'aggregate' ? (s.pipeline ?? []).some((st) => '$limit' in st) : Boolean(s.limit);
  return Boolean(sort && Object.keys(sort).length) && limit;
}

/** A count, or a pipeline that groups or counts before any $limit: it reads every match. */
function counts(s: Statement): boolean {
  if (s.kind !== 'aggregate') return Boolean(s.count);
  for (const st of s.pipeline ?? []) {
    if ('$limit' in st) return false;
    if ('$group' in st || '$count' in st) return true;
  }
  return false;
}

function filterOf(s: Statement): Record<string, unknown> {
  if (s.kind !== 'aggregate') return s.filter ?? {};
  const m = (s.pipeline ?? [])[0];
  return (m && '$match' in m ? (m.$match as Record<string, unknown>) : {}) ?? {};
}

/**
 * FerretDB (SQLite backend): `queryPlanner.Plan` holds SQLite's EXPLAIN QUERY PLAN lines.
 * `SCAN <table>` with no index is the whole collection; `SEARCH … USING INDEX` an index
 * range. A sort that was not pushed down is done in Go over every row the filter matched,
 * so "first 50 by date" still reads all of them: `unsorted`.
 */
export function judgeFerret(e: Document, s: Statement): { verdict: Verdict; plan: string } {
  const lines = ((e.queryPlanner as Document | undefined)?.Plan as string[] | undefined) ?? [];
  const details = lines.map((l) => /detail=(.*)$/.exec(l)?.[1] ?? l);
  // Our FerretDB build (tools/ferretdb, docs/MONGODB-PORTABILITY.md "Pushdown contract") says
  // more in queryPlanner.pushdown: whether the filter was pushed exactly, a count done in SQL.
  const push = (e.queryPlanner as Document | undefined)?.pushdown as { exactFilter?: boolean; countPushdown?: boolean; notes?: string[] } | undefined;
  const more = push
    ? ` ${push.exactFilter ? 'exact' : 'rest in memory'}${push.countPushdown ? ' count:SQL' : ''}${push.notes?.length ? ` notes:${push.notes.join('; ')}` : ''}`
    : '';
  const flags = `filter:${e.filterPushdown ? 'pushed' : 'no'} sort:${e.sortPushdown ? 'pushed' : 'no'} limit:${e.limitPushdown ? 'pushed' : 'no'}${more}`;
  if (details.length === 0) {
    // An empty planner: the collection does not exist (yet), so nothing is read. A lookup
    // by `_id` alone is a point read once it does; anything else needs the collection
    // seeded before the store can say.
    const id = filterOf(s)._id;
    const byId = Object.keys(filterOf(s)).length === 1 && (typeof id === 'string' || (id !== null && typeof id === 'object' && id.constructor?.name === 'ObjectId'));
    return byId ? { verdict: 'point', plan: '(collection absent) lookup by _id' } : { verdict: 'unexplained', plan: '(collection absent: seed it so the store can explain)' };
  }
  const plan = `${details.join(' | ')} [${flags}]`;
  const hasFilter = Object.keys(filterOf(s)).length > 0;
  const scans = details.filter((d) => d.startsWith('SCAN'));
  if (scans.some((d) => !/USING (COVERING )?INDEX/.test(d))) {
    // An unfiltered read with its LIMIT in SQL stops after `limit` rows.
    return { verdict: !hasFilter && e.limitPushdown ? 'bounded' : 'scan', plan };
  }
  if (scans.length > 0) return { verdict: e.limitPushdown ? 'bounded' : 'scan', plan };
  if (wantsOrderedPage(s) && !e.sortPushdown) return { verdict: 'unsorted', plan };
  // A count SQLite does over the index (COUNT(*)) reads index entries, not documents.
  if (counts(s) && !push?.countPushdown) return { verdict: 'counted', plan };
  return { verdict: details.every((d) => /USING (COVERING )?INDEX \S+__id_ /.test(d)) ? 'point' : 'indexed', plan };
}

/** MongoDB: the winning plan's stages (classic or SBE), COLLSCAN and in-memory SORT. */
export function judgeMongo(e: Document, s: Statement): { verdict: Verdict; plan: string } {
  const planner = (e.queryPlanner ?? ((e.stages as Document[] | undefined)?.[0]?.$cursor as Document | undefined)?.queryPlanner) as Document | undefined;
  const stages: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const d = n as Document;
    if (typeof d.stage === 'string') stages.push(d.indexName ? `${d.stage}(${String(d.indexName)})` : d.stage);
    walk(d.inputStage);
    walk(d.queryPlan);
    for (const c of (d.inputStages as unknown[] | undefined) ?? []) walk(c);
  };
  walk(planner?.winningPlan);
  const plan = stages.join(' ← ') || '(no plan)';
  if (stages.length === 0) return { verdict: 'unexplained', plan };
  if (stages.some((st) => st.startsWith('COLLSCAN'))) return { verdict: Object.keys(filterOf(s)).length === 0 && s.limit ? 'bounded' : 'scan', plan };
  if (wantsOrderedPage(s) && stages.some((st) => st === 'SORT')) return { verdict: 'unsorted', plan };
  if (counts(s) && !stages.some((st) => st.startsWith('COUNT_SCAN'))) return { verdict: 'counted', plan };
  return { verdict: stages.some((st) => st.startsWith('IDHACK') || st.startsWith('EXPRESS') || st.includes('(_id_)')) ? 'point' : 'indexed', plan };
}

/** Markdown table of findings (failing first), for the test's failure message and the report. */
export function findingsTable(findings: readonly ShapeFinding[]): string {
  const rank = (f: ShapeFinding) => (FAILING.includes(f.verdict) ? 2 : WARNING.includes(f.verdict) ? 1 : 0);
  const rows = [...findings].sort((a, b) => rank(b) - rank(a) || b.totalMs - a.totalMs);
  const esc = (x: string) => x.replace(/\|/g, '\\|');
  return [
    '| verdict | shape | n | max ms | from (operation) | issued by (server/src) | store plan |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((f) => `| ${f.verdict} | \`${esc(f.shape)}\` | ${f.count} | ${f.maxMs} | ${esc(few(f.sources, 6))} | ${esc(f.callers.join('<br>'))} | ${esc(f.plan)} |`),
  ].join('\n');
}

function few(xs: readonly string[], n: number): string {
  return xs.length <= n ? xs.join(', ') : `${xs.slice(0, n).join(', ')} and ${xs.length - n} more`;
}

/** The failing shapes grouped by the server function that issues them: the work list. */
export function workList(findings: readonly ShapeFinding[], verdicts: readonly Verdict[] = FAILING): string {
  const byFn = new Map<string, ShapeFinding[]>();
  for (const f of findings.filter((x) => verdicts.includes(x.verdict))) {
    const fns = new Set(f.callers.map((c) => c.split(' ← ')[0] ?? c));
    for (const fn of fns.size ? fns : new Set(['(no server/src frame)'])) byFn.set(fn, [...(byFn.get(fn) ?? []), f]);
  }
  return [...byFn]
    .sort(([, a], [, b]) => b.reduce((t, f) => t + f.totalMs, 0) - a.reduce((t, f) => t + f.totalMs, 0))
    .map(([fn, fs]) => `- \`${fn}\`\n${fs.map((f) => `  - ${f.verdict}: \`${f.shape}\` (${f.count}×, max ${f.maxMs} ms; ${few(f.sources, 4)})`).join('\n')}`)
    .join('\n');
}
