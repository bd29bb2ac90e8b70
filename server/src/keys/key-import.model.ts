import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Stored state of `importApiKeys` (docs/KEY-IMPORT.md).
 *
 * `api_key_import_refs` maps an item's identity to the key it became, with the identity's
 * digest as `_id`: an externalId (`kind: external`, the id in the old system) or, in a
 * call with an idempotencyKey, the item's position (`kind: call_item`). A unique
 * `{orgId, externalId}` index would be the natural shape, but neither partial nor sparse
 * indexes exist on FerretDB v1.24 and every key without an externalId would collide on
 * null; an `_id` insert is the one "exactly once" primitive both stores enforce
 * (docs/MONGODB-PORTABILITY.md). Written before the key, like the hash index: a crash
 * leaves at most an orphan, taken over after a minute.
 *
 * `api_key_import_calls` is one call under an idempotencyKey: inserted (pending) before
 * any work, then holding the per-item outcome so a repeat answers the same results.
 */
export type ImportRefKind = 'external' | 'call_item';

export interface ImportRefDoc {
  /** `kir_` + SHA-256 of (orgId, kind, identity). */
  _id: string;
  orgId: string;
  kind: ImportRefKind;
  /** The id in the old system (kind external); null for call items. */
  externalId: string | null;
  keyId: string;
  createdAt: Date;
}

/** One item's outcome as stored for replays (never a secret). */
export interface StoredImportResult {
  index: number;
  ok: boolean;
  existing: boolean;
  keyId: string | null;
  externalId: string | null;
  error: { code: string; message: string; field: string | null } | null;
}

export interface ImportCallDoc {
  /** `kic_` + SHA-256 of (orgId, principalId, idempotencyKey). */
  _id: string;
  orgId: string;
  principalId: string;
  idempotencyKey: string;
  /** SHA-256 of the canonical input: the same key with other input is a CONFLICT. */
  inputHash: string;
  state: 'pending' | 'done';
  results: StoredImportResult[];
  createdAt: Date;
  updatedAt: Date;
}

const refSchema = new Schema<ImportRefDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    kind: { type: String, required: true },
    externalId: { type: String, default: null },
    keyId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'api_key_import_refs', versionKey: false },
);
// Which identities point at a key (a key's externalIds, cleanup of a key's refs).
refSchema.index({ orgId: 1, keyId: 1 });

const resultSchema = new Schema<StoredImportResult>(
  {
    index: Number,
    ok: Boolean,
    existing: Boolean,
    keyId: { type: String, default: null },
    externalId: { type: String, default: null },
    error: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

const callSchema = new Schema<ImportCallDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    principalId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    inputHash: { type: String, required: true },
    state: { type: String, required: true },
    results: { type: [resultSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'api_key_import_calls', versionKey: false },
);

export function importRefModel(conn: Connection): Model<ImportRefDoc> {
  return (conn.models.ApiKeyImportRef as Model<ImportRefDoc> | undefined) ?? conn.model<ImportRefDoc>('ApiKeyImportRef', refSchema);
}

export function importCallModel(conn: Connection): Model<ImportCallDoc> {
  return (conn.models.ApiKeyImportCall as Model<ImportCallDoc> | undefined) ?? conn.model<ImportCallDoc>('ApiKeyImportCall', callSchema);
}
