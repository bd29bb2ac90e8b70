import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

/**
 * Records every command an app sends to the store, reduced to its *shape*: command,
 * collection, filter field names and operators (never values), sort, and whether a limit
 * was given. Distinct shapes are what the explain classifier (test/src/scale) judges.
 *
 * Connections capture `monitorCommands` when they are opened, so the app must connect
 * with it on from the start: give it `monitoredMongoUri(uri)` as MONGODB_URI.
 */

/** `uri` with the driver's `monitorCommands=true` option (connections emit command events). */
export function monitoredMongoUri(uri: string): string {
  const u = new URL(uri);
  u.searchParams.set('monitorCommands', 'true');
  return u.toString();
}

/** One statement of a command (an update or delete command may carry several). */
export interface CommandRecord {
  /** find, aggregate, count, distinct, update, delete, findAndModify, insert, … */
  name: string;
  collection: string;
  /** e.g. `find api_keys filter={orgId:?,status:?} sort={createdAt:-1,_id:-1} limit`. */
  shape: string;
  /** What was being done when it was sent (set by the caller: a GraphQL operation, a route). */
  source: string;
  /** The server/src frames that issued it (async stack), innermost first. */
  callers: string[];
  durationMs: number | null;
  /** The statement as sent (values included): what the classifier explains. */
  statement: Statement;
}

/** A read-shaped statement the classifier can explain: the filter and how it is read. */
export interface Statement {
  collection: string;
  kind: 'find' | 'aggregate' | 'write' | 'other';
  filter?: Record<string, unknown>;
  sort?: Record<string, unknown>;
  limit?: number;
  skip?: number;
  pipeline?: Record<string, unknown>[];
  /** A count (the `count` command): it reads every document the filter matches. */
  count?: boolean;
}

type Doc = Record<string, unknown>;

/** Commands that are connection housekeeping, not data access. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo', 'getMore', 'killCursors', 'explain']);

export class CommandMonitor {
  readonly records: CommandRecord[] = [];
  /** Label given to commands sent from now on. */
  source = 'unlabelled';
  private readonly pending = new Map<number, CommandRecord[]>();
  private readonly onStart = (e: CommandStartedEvent): void => this.started(e);
  private readonly onDone = (e: CommandSucceededEvent | CommandFailedEvent): void => this.finished(e);
  private paused = 0;

  constructor(private readonly client: MongoClient) {
    client.on('commandStarted', this.onStart);
    client.on('commandSucceeded', this.onDone);
    client.on('commandFailed', this.onDone);
  }

  detach(): void {
    this.client.off('commandStarted', this.onStart);
    this.client.off('commandSucceeded', this.onDone);
    this.client.off('commandFailed', this.onDone);
  }

  /** Runs `fn` with its commands labelled `source`; calls run one at a time. */
  async during<T>(source: string, fn: () => Promise<T>): Promise<T> {
    const before = this.source;
    this.source = source;
    try {
      return await fn();
    } finally {
      this.source = before;
    }
  }

  /** Runs `fn` without recording (the test's own seeding and explain calls). */
  async unrecorded<T>(fn: () => Promise<T>): Promise<T> {
    this.paused += 1;
    try {
      return await fn();
    } finally {
      this.paused -= 1;
    }
  }

  private started(e: CommandStartedEvent): void {
    if (this.paused > 0 || HOUSEKEEPING.has(e.commandName) || e.databaseName === 'admin') return;
    const callers = serverFrames(new Error().stack ?? '');
    const recs = statementsOf(e.commandName, e.command as Doc).map((s) => ({ ...s, source: this.source, callers, durationMs: null }));
    this.records.push(...recs);
    this.pending.set(e.requestId, recs);
  }

  private finished(e: CommandSucceededEvent | CommandFailedEvent): void {
    const recs = this.pending.get(e.requestId);
    if (!recs) return;
    this.pending.delete(e.requestId);
    for (const r of recs) r.durationMs = e.duration;
  }
}

// Async stack traces (V8) reach through the driver's awaits to the service that awaited
// the query; node_modules and this harness are cut away.
function serverFrames(stack: string): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /at (?:async )?(?:(\S+) \()?.*?(server\/src\/[^:)]+):(\d+)/.exec(line);
    if (m) out.push(`${m[2]}:${m[3]}${m[1] ? ` ${m[1]}` : ''}`);
    if (out.length === 4) break;
  }
  return out;
}

// Frames deeper than the default 10 are where the service calls are.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 60);

/** The statements of one command, each with its shape. */
export function statementsOf(name: string, cmd: Doc): Omit<CommandRecord, 'source' | 'callers' | 'durationMs'>[] {
  const collection = typeof cmd[name] === 'string' ? (cmd[name] as string) : String(cmd[name] ?? '');
  const rec = (shape: string, statement: Omit<Statement, 'collection'>) => ({
    name,
    collection,
    shape: `${name} ${collection} ${shape}`.trim(),
    statement: { collection, ...statement },
  });
  switch (name) {
    case 'find': {
      const s = { filter: asDoc(cmd.filter), sort: asDoc(cmd.sort), limit: num(cmd.limit), skip: num(cmd.skip) };
      return [rec(readShape(s), { kind: 'find', ...s })];
    }
    case 'count': {
      const s = { filter: asDoc(cmd.query), limit: num(cmd.limit), skip: num(cmd.skip) };
      return [rec(readShape(s), { kind: 'find', ...s, count: true })];
    }
    case 'distinct': {
      const s = { filter: asDoc(cmd.query) };
      return [rec(`key=${String(cmd.key)} ${readShape(s)}`, { kind: 'find', ...s })];
    }
    case 'aggregate': {
      const pipeline = Array.isArray(cmd.pipeline) ? (cmd.pipeline as Doc[]) : [];
      return [rec(`[${pipeline.map(stageShape).join(', ')}]`, { kind: 'aggregate', pipeline })];
    }
    case 'findAndModify': {
      const s = { filter: asDoc(cmd.query), sort: asDoc(cmd.sort), limit: 1 };
      const what = cmd.remove ? 'remove' : `update=${updateShape(cmd.update)}${cmd.upsert ? ' upsert' : ''}`;
      return [rec(`${readShape({ ...s, limit: undefined })} ${what}`, { kind: 'find', ...s })];
    }
    case 'update':
      return ((cmd.updates as Doc[] | undefined) ?? []).map((u) => {
        const s = { filter: asDoc(u.q), limit: u.multi ? undefined : 1 };
        return rec(`${readShape({ filter: s.filter })} update=${updateShape(u.u)}${u.multi ? ' multi' : ''}${u.upsert ? ' upsert' : ''}`, { kind: 'find', ...s });
      });
    case 'delete':
      return ((cmd.deletes as Doc[] | undefined) ?? []).map((d) => {
        const s = { filter: asDoc(d.q), limit: d.limit === 1 ? 1 : undefined };
        return rec(`${readShape({ filter: s.filter })}${d.limit === 1 ? ' one' : ' many'}`, { kind: 'find', ...s });
      });
    case 'insert':
      return [rec('', { kind: 'write' })];
    default:
      return [rec('', { kind: 'other' })];
  }
}

function readShape(s: { filter?: Doc; sort?: Doc; limit?: number; skip?: number }): string {
  const parts = [`filter=${valueShape(s.filter ?? {})}`];
  if (s.sort && Object.keys(s.sort).length) parts.push(`sort=${sortShape(s.sort)}`);
  if (s.limit) parts.push('limit');
  if (s.skip) parts.push('skip');
  return parts.join(' ');
}

function stageShape(stage: Doc): string {
  const [op] = Object.keys(stage);
  const arg = op === undefined ? undefined : stage[op];
  switch (op) {
    case '$match':
      return `$match ${valueShape(arg)}`;
    case '$sort':
      return `$sort ${sortShape(asDoc(arg) ?? {})}`;
    case '$group':
      return `$group ${valueShape((asDoc(arg) ?? {})._id ?? null)}`;
    default:
      return op ?? '{}';
  }
}

function sortShape(sort: Doc): string {
  return `{${Object.entries(sort).map(([k, v]) => `${k}:${String(v)}`).join(',')}}`;
}

/** `{$set:{a,b},$inc:{c}}` → `{$inc:[c],$set:[a,b]}`; a pipeline update → `[pipeline]`. */
function updateShape(u: unknown): string {
  if (Array.isArray(u)) return '[pipeline]';
  const d = asDoc(u) ?? {};
  const ops = Object.keys(d).sort();
  if (!ops.every((k) => k.startsWith('$'))) return '{replacement}';
  return `{${ops.map((op) => `${op}:[${Object.keys(asDoc(d[op]) ?? {}).sort().join(',')}]`).join(',')}}`;
}

/**
 * A filter's shape: field names and operators, values replaced by `?` (arrays of values
 * by `[?]`), keys sorted so the same query written twice is one shape.
 */
export function valueShape(v: unknown): string {
  if (Array.isArray(v)) {
    return v.some((x) => isPlainDoc(x)) ? `[${v.map(valueShape).join(',')}]` : '[?]';
  }
  if (v instanceof RegExp) return '/?/'; // a regex is a different query from an equality
  if (!isPlainDoc(v)) return '?';
  const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries
    .map(([k, x]) => {
      if (k === '$in' || k === '$nin' || k === '$all') return `${k}:[?]`;
      if (k === '$and' || k === '$or' || k === '$nor' || k === '$elemMatch' || k === '$not') return `${k}:${valueShape(x)}`;
      if (k.startsWith('$')) return `${k}:?`;
      // A field's value is an operator object ({$gt: …}) or a literal (even a sub-document).
      if (x instanceof RegExp) return `${k}:/?/`;
      return isPlainDoc(x) && Object.keys(x).length > 0 && Object.keys(x).every((o) => o.startsWith('$')) ? `${k}:${valueShape(x)}` : `${k}:?`;
    })
    .join(',')}}`;
}

function isPlainDoc(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function asDoc(v: unknown): Doc | undefined {
  // The driver sends sorts as a Map (key order is the sort order).
  if (v instanceof Map) return Object.fromEntries(v) as Doc;
  return isPlainDoc(v) ? v : undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number((v as { valueOf?: () => unknown } | null)?.valueOf?.());
  return Number.isFinite(n) && n !== 0 ? Math.abs(n) : undefined;
}
