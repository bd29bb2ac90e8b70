import { Schema, type Connection, type Model } from 'mongoose';

export type IdempotentOperation = 'createApiKey' | 'requestApiKey' | 'rotateApiKey';

/**
 * One idempotency key of one caller and operation. Inserted under the unique index
 * BEFORE the work starts, so of N concurrent duplicates exactly one does the work
 * (FerretDB enforces unique indexes even though it does not isolate updates); the
 * others wait for `state: done` and replay the stored result ids.
 */
export interface IdempotencyDoc {
  _id: string;
  orgId: string;
  principalId: string;
  operation: IdempotentOperation;
  idempotencyKey: string;
  /** sha256 of the canonical input: the same key with other input is a CONFLICT. */
  inputHash: string;
  state: 'pending' | 'done';
  /** The key (create, rotate: the successor) or request id the first call produced. */
  resultId: string | null;
  /** rotate: the key that was rotated. */
  previousId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    principalId: { type: String, required: true },
    operation: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    inputHash: { type: String, required: true },
    state: { type: String, required: true },
    resultId: { type: String, default: null },
    previousId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'key_idempotency', versionKey: false },
);
schema.index({ orgId: 1, principalId: 1, operation: 1, idempotencyKey: 1 }, { unique: true });

export function idempotencyModel(conn: Connection): Model<IdempotencyDoc> {
  return (conn.models.KeyIdempotency as Model<IdempotencyDoc> | undefined) ?? conn.model<IdempotencyDoc>('KeyIdempotency', schema);
}
