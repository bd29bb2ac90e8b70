import { Schema, type Connection, type Model } from 'mongoose';
import type { ArchiveManifest } from './archive-manifest';

/**
 * The index of archives, for listing and recovery. The manifest file on disk is the
 * commit point (docs/ARCHIVAL.md): `writing` is recorded before any file is written,
 * so a run that died leaves a row naming exactly what to clean up; `committed` means
 * the manifest exists and records may still need deleting; `complete` is final.
 * `corrupt` marks an archive whose read-back failed: its records are kept.
 */
export type ArchiveState = 'writing' | 'committed' | 'complete' | 'corrupt';

export interface ArchiveDoc {
  _id: string;
  orgId: string;
  collectionName: string;
  /** Set for the history of one key (archived when it expired). */
  keyId: string | null;
  state: ArchiveState;
  /** The requested range [from, to) of the time field. */
  from: Date;
  to: Date;
  manifest: ArchiveManifest | null;
  createdAt: Date;
  updatedAt: Date;
}

const archiveSchema = new Schema<ArchiveDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    collectionName: { type: String, required: true },
    keyId: { type: String, default: null },
    state: { type: String, required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    manifest: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'archives', versionKey: false, minimize: false },
);
archiveSchema.index({ state: 1, _id: 1 });
archiveSchema.index({ orgId: 1, collectionName: 1, _id: 1 });

export function archiveModel(conn: Connection): Model<ArchiveDoc> {
  return (conn.models.Archive as Model<ArchiveDoc> | undefined) ?? conn.model<ArchiveDoc>('Archive', archiveSchema);
}
