import { Schema, type Connection, type Model } from 'mongoose';
import type { StoredOrgPolicy } from './org-policy';

/** An organization (tenant). `orgId` repeats `_id` so every document carries an orgId. */
export interface OrgDoc {
  _id: string;
  orgId: string;
  name: string;
  /** Unique, URL-safe; the first organization is `default`, which decides who seeds. */
  slug: string;
  /** Prefix of this organization's API keys (`lk` → `lk_prd_…`). */
  keyPrefix: string;
  /** Resources and actions this organization added to the platform catalogue. */
  customResources: string[];
  customActions: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const orgSchema = new Schema<OrgDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    slug: { type: String, required: true },
    keyPrefix: { type: String, required: true },
    customResources: { type: [String], default: [] },
    customActions: { type: [String], default: [] },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'organizations', versionKey: false },
);
orgSchema.index({ slug: 1 }, { unique: true });

export function orgModel(conn: Connection): Model<OrgDoc> {
  return (conn.models.Organization as Model<OrgDoc> | undefined) ?? conn.model<OrgDoc>('Organization', orgSchema);
}

/** The policy document: `_id` is the orgId, so there is exactly one per organization. */
export type OrgPolicyDoc = StoredOrgPolicy & { _id: string };

const policySchema = new Schema<OrgPolicyDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    approvalRules: { type: Schema.Types.Mixed, default: [] },
    keyLifetimes: { type: Schema.Types.Mixed, default: [] },
    defaultRateLimit: { type: Schema.Types.Mixed, required: true },
    rotation: { type: Schema.Types.Mixed, required: true },
    recoverableKeysAllowed: { type: Boolean, required: true },
    expiryWarningDays: { type: [Number], required: true },
    alertResponses: { type: Schema.Types.Mixed, required: true },
    adaptiveLimiting: { type: Schema.Types.Mixed, default: null },
    leakResponse: { type: String, default: 'suspend' },
    version: { type: Number, required: true },
    updatedAt: { type: Date, default: null },
    updatedBy: { type: String, default: null },
  },
  { collection: 'org_policies', versionKey: false, minimize: false },
);

export function orgPolicyModel(conn: Connection): Model<OrgPolicyDoc> {
  return (conn.models.OrgPolicy as Model<OrgPolicyDoc> | undefined) ?? conn.model<OrgPolicyDoc>('OrgPolicy', policySchema);
}
