import type { Model } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import type { Logger } from '../infra/logger';
import type { AuditEventDoc } from './audit.model';
import { GENESIS_HASH, eventHash } from './audit-hash';
import { chainMaterial, toRecord, type AuditEventRecord } from './audit-record';

/** An event with everything but its chain position. */
export type UnchainedEvent = Omit<AuditEventDoc, '_id' | 'seq' | 'time' | 'prevHash' | 'hash'>;

interface Pending {
  event: UnchainedEvent;
  deadline: number;
  resolve(r: AuditEventRecord): void;
  reject(e: unknown): void;
}

interface Head {
  seq: number;
  hash: string;
}

/**
 * How long one append may keep losing races for the chain head before answering 503.
 * A time budget rather than an attempt count: every lost race means another writer
 * progressed, so under a burst from many nodes the losers only need to wait their turn.
 */
const APPEND_BUDGET_MS = 10_000;
const MAX_BACKOFF_MS = 100;
/** Events chained and inserted in one round trip. */
const MAX_BATCH = 100;
const HEAD_CACHE_MAX = 10_000;

/**
 * Appends to per-org hash chains with a compare-and-set on the head: read the head,
 * insert seq+1… under the unique {orgId, seq} index, and on a duplicate key re-read and
 * retry. The chain is sequential by nature, so this process keeps one queue per org and
 * drains it in ordered batches: local writers never race each other, only other nodes,
 * and a burst costs one round trip per batch rather than per event.
 */
export class ChainAppender {
  private readonly queues = new Map<string, Pending[]>();
  /** Head this process last wrote per org, to skip the head read when nobody else wrote. */
  private readonly heads = new LRUCache<string, Head>({ max: HEAD_CACHE_MAX });

  constructor(
    private readonly model: Model<AuditEventDoc>,
    private readonly logger: Logger,
  ) {}

  append(event: UnchainedEvent): Promise<AuditEventRecord> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(event.orgId);
      const item = { event, deadline: Date.now() + APPEND_BUDGET_MS, resolve, reject };
      if (queue) {
        queue.push(item);
        return;
      }
      this.queues.set(event.orgId, [item]);
      this.drain(event.orgId).catch((err: unknown) => {
        // drain() handles its own failures; this only guards against a bug leaving callers hanging.
        const left = this.queues.get(event.orgId) ?? [];
        this.queues.delete(event.orgId);
        rejectAll(left.splice(0), err);
      });
    });
  }

  private async drain(orgId: string): Promise<void> {
    const queue = this.queues.get(orgId) ?? [];
    let head: Head | null = this.heads.get(orgId) ?? null;
    let attempt = 0;
    while (queue.length > 0) {
      let batch: Pending[] = [];
      let docs: AuditEventDoc[] = [];
      try {
        // Always awaits (even with a cached head), so events enqueued in the meantime
        // — a burst from one request, or many requests in one tick — join this batch.
        head = await (head ?? this.readHead(orgId));
        batch = queue.slice(0, MAX_BATCH);
        docs = chain(head, batch);
        // Ordered: an insert stops at the first failure, so what landed is a prefix and
        // every landed event's prevHash names an event that exists.
        await this.model.insertMany(docs, { ordered: true });
        head = settle(queue, docs, docs.length);
        attempt = 0;
        this.remember(orgId, head);
        continue;
      } catch (err) {
        this.heads.delete(orgId);
        // Some of the batch may have landed before the failure (or before a timeout).
        const landed = await this.countLanded(docs);
        if (landed > 0) settle(queue, docs, landed);
        head = null;
        if (!isDuplicateKey(err)) {
          // Not a lost race: fail this batch's callers (the head read may have failed before
          // a batch was taken: then the events it would have taken).
          if (landed <= 0) rejectAll(queue.splice(0, batch.length || Math.min(queue.length, MAX_BATCH)), err);
          continue;
        }
        if (landed > 0) continue; // progress: the rest go in the next round
        // Another node took this seq: back off with full jitter so losers spread out.
        attempt += 1;
        this.logger.debug({ orgId, seq: docs[0]?.seq, attempt }, 'audit append lost the race for the chain head');
        await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 4 * 2 ** attempt));
        this.expire(orgId, queue);
      }
    }
    this.queues.delete(orgId);
  }

  /** How many of `docs` exist (a prefix); -1 when that cannot be found out. */
  private async countLanded(docs: AuditEventDoc[]): Promise<number> {
    if (docs.length === 0) return 0;
    try {
      return await this.model.countDocuments({ _id: { $in: docs.map((d) => d._id) } });
    } catch {
      return -1;
    }
  }

  private expire(orgId: string, queue: Pending[]): void {
    const now = Date.now();
    const expired = queue.filter((p) => p.deadline <= now);
    if (expired.length === 0) return;
    this.logger.warn({ orgId, events: expired.length }, 'audit append kept losing the race for the chain head');
    for (const p of expired) queue.splice(queue.indexOf(p), 1);
    rejectAll(expired, AppError.unavailable('audit trail is busy; try again'));
  }

  private async readHead(orgId: string): Promise<Head> {
    const d = await this.model.findOne({ orgId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean<Pick<AuditEventDoc, 'seq' | 'hash'>>();
    return d ? { seq: d.seq, hash: d.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  private remember(orgId: string, head: Head): void {
    this.heads.set(orgId, head);
  }
}

/** Gives each pending event the next seq after `head`, linking each to the one before. */
function chain(head: Head, batch: Pending[]): AuditEventDoc[] {
  const time = new Date();
  let prev = head;
  return batch.map((p) => {
    const doc: AuditEventDoc = { ...p.event, _id: newId('evt'), seq: prev.seq + 1, time, prevHash: prev.hash, hash: '' };
    doc.hash = eventHash(chainMaterial(toRecord(doc)));
    prev = { seq: doc.seq, hash: doc.hash };
    return doc;
  });
}

/** Resolves the first `n` queued events with their stored docs; returns the new head. */
function settle(queue: Pending[], docs: AuditEventDoc[], n: number): Head {
  const done = queue.splice(0, n);
  done.forEach((p, i) => p.resolve(toRecord(docs[i] as AuditEventDoc)));
  const last = docs[n - 1] as AuditEventDoc;
  return { seq: last.seq, hash: last.hash };
}

function rejectAll(items: Pending[], err: unknown): void {
  for (const p of items) p.reject(err);
}

function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: { code?: unknown }[] };
  return e.code === 11000 || e.writeErrors?.[0]?.code === 11000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
