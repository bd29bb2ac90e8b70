import type { Connection, Model } from 'mongoose';
import { ErrorCode } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import type { Logger } from '../infra/logger';
import type { AuditInput } from './audit-input';
import { auditEventModel, type AuditEventDoc } from './audit.model';
import { CHAIN_VERSION, GENESIS_HASH, eventHash, payloadDigest, sanitizePayload } from './audit-hash';
import { ChainAppender, type UnchainedEvent } from './audit-appender';
import { chainMaterial, toRecord, type AuditEventRecord } from './audit-record';
import { decodeCursor, encodeCursor, pageSize, toMongoFilter, type AuditFilter, type AuditPageArgs } from './audit-query';
import { csvHeader, csvRow, ndjsonLine } from './audit-export';
import { canonicalJson } from './canonical-json';
import { erasureCovers, erasureIndex } from './audit-erasure';

export interface AuditEventPage {
  edges: { cursor: string; node: AuditEventRecord }[];
  nodes: AuditEventRecord[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** A verified position in the chain (e.g. the last event of an archived range). */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Events verified before stopping (all of them when ok). */
  checked: number;
  /** Last event that verified: the checkpoint to resume from or to anchor externally. */
  lastSeq: number;
  lastHash: string;
  firstBrokenSeq?: number;
  /** Absent when the broken link is a missing event. */
  firstBrokenId?: string;
  reason?: string;
}

export type AuditExportFormat = 'NDJSON' | 'CSV';

const SCAN_BATCH = 500;
export const MAX_EXPORT_EVENTS = 10_000;

const LIMITS = { action: 128, id: 200, type: 64, requestId: 128, ip: 64, userAgent: 512 } as const;
/** Far above any entity snapshot; keeps one runaway payload from failing the batch it is appended with. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * The per-organization, hash-chained audit trail (docs/AUDIT.md). Appends take the
 * next `seq` by inserting under the unique {orgId, seq} index — a compare-and-set on
 * the chain head that FerretDB enforces even though it does not isolate updates — so
 * concurrent writers on any number of nodes never fork the chain.
 */
export class AuditService {
  private readonly model: Model<AuditEventDoc>;
  private readonly appender: ChainAppender;
  /** The unique index must exist before the first append, even if boot's ensureIndexes has not run yet. */
  private indexes: Promise<unknown> | null = null;

  constructor(conn: Connection, logger: Logger) {
    this.model = auditEventModel(conn);
    this.appender = new ChainAppender(this.model, logger);
  }

  /** Appends one event to `input.orgId`'s chain; call it in the same service call as the change. */
  async append(input: AuditInput): Promise<AuditEventRecord> {
    checkInput(input);
    const before = sanitizePayload(input.before);
    const after = sanitizePayload(input.after);
    const payloadBytes = Buffer.byteLength(canonicalJson({ before, after }), 'utf8');
    if (payloadBytes > MAX_PAYLOAD_BYTES) throw new Error(`audit append: before/after is ${payloadBytes} bytes (max ${MAX_PAYLOAD_BYTES})`);
    const event: UnchainedEvent = {
      v: CHAIN_VERSION,
      orgId: input.orgId,
      actor: { type: input.actor.type, id: input.actor.id },
      action: input.action,
      target: { type: input.target.type, id: input.target.id },
      requestId: clip(input.meta?.requestId, LIMITS.requestId),
      ip: clip(input.meta?.ip, LIMITS.ip),
      userAgent: clip(input.meta?.userAgent, LIMITS.userAgent),
      before,
      after,
      payloadDigest: payloadDigest(before, after),
      actorId: input.actor.id,
      targetId: input.target.id,
    };
    await this.ensureIndexes();
    return this.appender.append(event);
  }

  /** Newest first. */
  async list(orgId: string, filter: AuditFilter = {}, page: AuditPageArgs = {}): Promise<AuditEventPage> {
    const first = pageSize(page.first);
    const q = toMongoFilter(orgId, filter);
    if (page.after) q.seq = { $lt: decodeCursor(page.after) };
    const docs = await this.model.find(q).sort({ seq: -1 }).limit(first + 1).lean<AuditEventDoc[]>();
    const nodes = docs.slice(0, first).map(toRecord);
    const edges = nodes.map((node) => ({ cursor: encodeCursor(node.seq), node }));
    return { edges, nodes, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: docs.length > first } };
  }

  /**
   * Walks the chain in seq order from the start (or from a checkpoint) and reports the
   * first broken link: a missing seq, a prevHash that does not chain, a payload that
   * does not match its digest, or contents that do not match the hash.
   */
  async verifyChain(orgId: string, opts: { from?: ChainCheckpoint } = {}): Promise<ChainVerification> {
    let lastSeq = opts.from?.seq ?? 0;
    let lastHash = opts.from?.hash ?? GENESIS_HASH;
    let checked = 0;
    const broken = (seq: number, id: string | undefined, reason: string): ChainVerification => ({
      ok: false, checked, lastSeq, lastHash, firstBrokenSeq: seq, ...(id ? { firstBrokenId: id } : {}), reason,
    });
    // Erased payloads (tombstones named by a later, chained erasure record) are the one
    // accepted digest mismatch: the hash chain itself is untouched (audit-erasure.ts).
    const erased = await erasureIndex(this.model, orgId);
    for await (const e of this.scan(orgId, {}, lastSeq)) {
      const expected = lastSeq + 1;
      if (e.seq !== expected) return broken(expected, undefined, `event ${expected} is missing (next stored is ${e.seq})`);
      if (e.v !== CHAIN_VERSION) return broken(e.seq, e.id, `unknown chain version ${String(e.v)}`);
      if (e.prevHash !== lastHash) return broken(e.seq, e.id, 'prevHash does not match the previous event');
      if (payloadDigest(e.before, e.after) !== e.payloadDigest && !erasureCovers(erased, e)) return broken(e.seq, e.id, 'before/after do not match payloadDigest');
      if (eventHash(chainMaterial(e)) !== e.hash) return broken(e.seq, e.id, 'event contents do not match its hash');
      lastSeq = e.seq;
      lastHash = e.hash;
      checked += 1;
    }
    return { ok: true, checked, lastSeq, lastHash };
  }

  /** Chain order (oldest first), one canonical JSON object per line. */
  async *exportNdjson(orgId: string, filter: AuditFilter = {}): AsyncIterable<string> {
    for await (const e of this.scan(orgId, filter, 0)) yield ndjsonLine(e);
  }

  /** Chain order (oldest first), header row first; before/after as canonical JSON cells. */
  async *exportCsv(orgId: string, filter: AuditFilter = {}): AsyncIterable<string> {
    yield csvHeader();
    for await (const e of this.scan(orgId, filter, 0)) yield csvRow(e);
  }

  /** A whole export as one string (GraphQL); larger ranges belong to a streaming route. */
  async exportToString(orgId: string, format: AuditExportFormat, filter: AuditFilter = {}, maxEvents = MAX_EXPORT_EVENTS): Promise<string> {
    const total = await this.model.countDocuments(toMongoFilter(orgId, filter));
    if (total > maxEvents) {
      throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `export would contain ${total} events (max ${maxEvents}); narrow the filter or time range`);
    }
    const parts: string[] = [];
    for await (const chunk of format === 'CSV' ? this.exportCsv(orgId, filter) : this.exportNdjson(orgId, filter)) parts.push(chunk);
    return parts.join('');
  }

  private ensureIndexes(): Promise<unknown> {
    this.indexes ??= this.model.createIndexes().catch((err: unknown) => {
      this.indexes = null;
      throw err;
    });
    return this.indexes;
  }

  /** Keyset scan in seq order; short queries instead of one long-lived server cursor. */
  private async *scan(orgId: string, filter: AuditFilter, afterSeq: number): AsyncIterable<AuditEventRecord> {
    const base = toMongoFilter(orgId, filter);
    let last = afterSeq;
    for (;;) {
      const docs = await this.model.find({ ...base, seq: { $gt: last } }).sort({ seq: 1 }).limit(SCAN_BATCH).lean<AuditEventDoc[]>();
      for (const d of docs) {
        last = d.seq;
        yield toRecord(d);
      }
      if (docs.length < SCAN_BATCH) return;
    }
  }
}

function checkInput(i: AuditInput): void {
  // A malformed event is a bug in the calling service, not user input: fail loudly.
  const bad = (what: string) => new Error(`audit append: invalid ${what}`);
  const ok = (s: unknown, max: number) => typeof s === 'string' && s.length > 0 && s.length <= max;
  if (!ok(i.orgId, LIMITS.id)) throw bad('orgId');
  if (!['user', 'key', 'system'].includes(i.actor?.type) || !ok(i.actor.id, LIMITS.id)) throw bad('actor');
  if (!ok(i.action, LIMITS.action)) throw bad('action');
  if (!ok(i.target?.type, LIMITS.type) || !ok(i.target.id, LIMITS.id)) throw bad('target');
}

function clip(s: string | undefined, max: number): string | null {
  if (!s) return null;
  // NUL is refused by FerretDB; request metadata is caller-controlled.
  const clean = s.replaceAll('\0', '\uFFFD');
  return clean.length > max ? clean.slice(0, max) : clean;
}
