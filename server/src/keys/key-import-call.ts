import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { Principal } from '../access/principal';
import { canonicalJson } from '../audit/canonical-json';
import { AppError } from '../infra/app-error';
import { parseInput } from '../access/validation';
import { importCallModel, type ImportCallDoc, type StoredImportResult } from './key-import.model';
import { IdempotencyKeySchema } from './key-idempotency';

/**
 * `importApiKeys(…, idempotencyKey)`: the call's record is inserted under its unique `_id`
 * before any work, so of concurrent duplicates one imports and the others wait for its
 * outcome; a repeat answers the stored per-item results (keys re-read, never a secret).
 * The same shape as createApiKey's idempotency (key-idempotency.ts) but the outcome is a
 * list, and items are idempotent on their own too (key-import.ts), so a call taken over
 * after a crash finds the keys the first attempt made instead of making them again.
 */
export type CallOutcome<T> = { replayed: false; value: T } | { replayed: true; results: StoredImportResult[] };

const POLL_MS = 50;
/** A duplicate waits this long for the first call to finish (1,000 keys take a few seconds). */
const WAIT_MS = 30_000;
/** A pending record older than this was left by a crashed node and may be taken over. */
const ABANDONED_MS = 5 * 60_000;

export class ImportCalls {
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly conn: Connection) {}

  private get model(): Model<ImportCallDoc> {
    return importCallModel(this.conn);
  }

  /** Runs `work(callId)` at most once per (org, caller, idempotencyKey); without a key, always. */
  async run<T>(
    principal: Principal,
    idempotencyKey: string | null | undefined,
    input: unknown,
    work: (callId: string | null) => Promise<{ value: T; results: StoredImportResult[] }>,
  ): Promise<CallOutcome<T>> {
    if (idempotencyKey === null || idempotencyKey === undefined) return { replayed: false, value: (await work(null)).value };
    const key = parseInput(IdempotencyKeySchema, idempotencyKey, ['idempotencyKey']);
    const inputHash = createHash('sha256').update(canonicalJson(input)).digest('hex');
    const ident = { orgId: principal.orgId, principalId: principal.id, idempotencyKey: key };
    const id = `kic_${createHash('sha256').update(canonicalJson(ident)).digest('hex').slice(0, 40)}`;
    await (this.indexes ??= this.model.createIndexes());
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = new Date();
      try {
        await this.model.create({ _id: id, ...ident, inputHash, state: 'pending', results: [], createdAt: now, updatedAt: now });
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
        const existing = await this.model.findOne({ _id: id }).lean<ImportCallDoc>().exec();
        if (!existing) continue; // the first call failed and let go: run it ourselves
        if (existing.inputHash !== inputHash) throw AppError.conflict(`idempotency key "${key}" was already used for importApiKeys with different input`);
        if (existing.state === 'done') return { replayed: true, results: existing.results };
        if (now.getTime() - existing.createdAt.getTime() > ABANDONED_MS) {
          await this.model.deleteOne({ _id: id, state: 'pending', createdAt: existing.createdAt }).exec();
          continue;
        }
        if (Date.now() > deadline) throw AppError.conflict(`an import with idempotency key "${key}" is still in progress; retry shortly`);
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      let out: { value: T; results: StoredImportResult[] };
      try {
        out = await work(id);
      } catch (e) {
        await this.model.deleteOne({ _id: id, state: 'pending' }).exec().catch(() => undefined);
        throw e;
      }
      await this.model.updateOne({ _id: id }, { $set: { state: 'done', results: out.results, updatedAt: new Date() } }).exec();
      return { replayed: false, value: out.value };
    }
  }
}
