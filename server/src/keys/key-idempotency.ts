import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical-json';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { parseInput } from '../access/validation';
import { idempotencyModel, type IdempotencyDoc, type IdempotentOperation } from './key-idempotency.model';

/**
 * Idempotent create/request/rotate (docs/KEYS.md, "Idempotency"). The record is
 * inserted under a unique index before any work, so concurrent duplicates produce
 * exactly one result. The winner deletes its record when the work fails, so a
 * rejected first attempt does not poison the key; losers poll until the winner
 * finishes, then replay its result ids (never the secret).
 */
export interface IdempotentOutcome {
  resultId: string;
  previousId?: string | null;
}

export type Idempotent<T> = { replayed: false; value: T } | { replayed: true; resultId: string; previousId: string | null };

/** What an idempotency key may be (createApiKey, requestApiKey, rotateApiKey, importApiKeys). */
export const IdempotencyKeySchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces only');

const POLL_MS = 25;
const WAIT_MS = 15_000;
/** A pending record older than this was left by a crashed node and may be taken over. */
const ABANDONED_MS = 60_000;

export class KeyIdempotency {
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly conn: Connection) {}

  private get model(): Model<IdempotencyDoc> {
    return idempotencyModel(this.conn);
  }

  /**
   * Runs `work` at most once per (org, principal, operation, idempotencyKey). `input`
   * is what makes two calls "the same": a different input under one key is CONFLICT.
   */
  async run<T>(
    principal: Principal,
    operation: IdempotentOperation,
    idempotencyKey: string | null | undefined,
    input: unknown,
    work: () => Promise<{ value: T; outcome: IdempotentOutcome }>,
  ): Promise<Idempotent<T>> {
    if (idempotencyKey === null || idempotencyKey === undefined) return { replayed: false, value: (await work()).value };
    const key = parseInput(IdempotencyKeySchema, idempotencyKey, ['idempotencyKey']);
    const inputHash = createHash('sha256').update(canonicalJson(stripUndefined(input))).digest('hex');
    const ident = { orgId: principal.orgId, principalId: principal.id, operation, idempotencyKey: key };
    await (this.indexes ??= this.model.createIndexes());
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = new Date();
      const recordId = `idem_${createHash('sha256').update(canonicalJson(ident)).digest('hex').slice(0, 40)}`;
      const record: IdempotencyDoc = {
        _id: recordId,
        ...ident,
        inputHash,
        state: 'pending',
        resultId: null,
        previousId: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.model.create(record);
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
        const existing = await this.model.findOne(ident).lean<IdempotencyDoc>().exec();
        if (!existing) continue; // the winner failed and let go: try to win ourselves
        if (existing.inputHash !== inputHash) {
          throw AppError.conflict(`idempotency key "${key}" was already used for ${operation} with different input`);
        }
        if (existing.state === 'done' && existing.resultId) return { replayed: true, resultId: existing.resultId, previousId: existing.previousId };
        if (now.getTime() - existing.createdAt.getTime() > ABANDONED_MS) {
          await this.model.deleteOne({ _id: existing._id, state: 'pending', createdAt: existing.createdAt }).exec();
          continue;
        }
        if (Date.now() > deadline) throw AppError.conflict(`a request with idempotency key "${key}" is still in progress; retry shortly`);
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      let result: { value: T; outcome: IdempotentOutcome };
      try {
        result = await work();
      } catch (e) {
        await this.model.deleteOne({ _id: record._id, state: 'pending' }).exec().catch(() => undefined);
        throw e;
      }
      await this.model
        .updateOne({ _id: record._id }, { $set: { state: 'done', resultId: result.outcome.resultId, previousId: result.outcome.previousId ?? null, updatedAt: new Date() } })
        .exec();
      return { replayed: false, value: result.value };
    }
  }
}

/**
 * Dates become ISO strings and null/undefined members disappear, so a client that
 * spells out `field: null` and one that leaves it out send "the same" input.
 */
function stripUndefined(v: unknown): unknown {
  const plain = v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
  const drop = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(drop);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(Object.entries(x).filter(([, y]) => y !== null).map(([k, y]) => [k, drop(y)]));
  };
  return drop(plain);
}
