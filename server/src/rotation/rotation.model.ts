import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One scheduled rotation of one key at one due time. `_id` is `${keyId}:${dueMs}`:
 * inserting it is the compare-and-set that lets exactly one run rotate the key for
 * that due time (docs/MONGODB-PORTABILITY.md). States: `started` (insert won),
 * `rotated` (successor exists), `done` (secret sealed for the claim, owner notified),
 * `skipped` (the key was no longer rotatable, e.g. rotated by hand meanwhile).
 */
export interface RotationRunDoc {
  _id: string;
  orgId: string;
  keyId: string;
  dueAt: Date;
  state: 'started' | 'rotated' | 'done' | 'skipped';
  successorId: string | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const rotationRunSchema = new Schema<RotationRunDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    dueAt: { type: Date, required: true },
    state: { type: String, required: true },
    successorId: { type: String, default: null },
    reason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'rotation_runs', versionKey: false },
);
rotationRunSchema.index({ state: 1, updatedAt: 1 });
rotationRunSchema.index({ successorId: 1 });

export function rotationRunModel(conn: Connection): Model<RotationRunDoc> {
  return (conn.models.RotationRun as Model<RotationRunDoc> | undefined) ?? conn.model<RotationRunDoc>('RotationRun', rotationRunSchema);
}

/**
 * Claims of scheduled successors' secrets and "still used" reports: both exactly once,
 * so both are inserts under a unique `_id` (`claim:${keyId}`, `still-used:${keyId}:${graceEndsMs}`).
 */
export interface RotationMarkerDoc {
  _id: string;
  orgId: string;
  keyId: string;
  userId: string | null;
  at: Date;
}

const rotationMarkerSchema = new Schema<RotationMarkerDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    userId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'rotation_markers', versionKey: false },
);

export function rotationMarkerModel(conn: Connection): Model<RotationMarkerDoc> {
  return (conn.models.RotationMarker as Model<RotationMarkerDoc> | undefined) ?? conn.model<RotationMarkerDoc>('RotationMarker', rotationMarkerSchema);
}

export const claimMarkerIdOf = (keyId: string) => `claim:${keyId}`;
export const stillUsedMarkerIdOf = (keyId: string, graceEndsAt: Date) => `still-used:${keyId}:${graceEndsAt.getTime()}`;
