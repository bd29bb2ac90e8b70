import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Prices an organization bills its API usage at (the BILLING report). Kept here rather
 * than in the organization policy, which belongs to access control; `_id` = orgId.
 */
export interface BillingSettingsDoc {
  _id: string;
  /** Price of one verified request (VALID), in `currency`. */
  perRequest: number;
  /** Price of 10^9 bytes (in + out, as reported through POST /v1/usage). */
  perGb: number;
  currency: string;
  updatedAt: Date;
  updatedBy: string;
}

const schema = new Schema<BillingSettingsDoc>(
  {
    _id: { type: String, required: true },
    perRequest: { type: Number, required: true },
    perGb: { type: Number, required: true },
    currency: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'billing_settings', versionKey: false },
);

export function billingSettingsModel(conn: Connection): Model<BillingSettingsDoc> {
  return (conn.models.BillingSettings as Model<BillingSettingsDoc> | undefined) ?? conn.model<BillingSettingsDoc>('BillingSettings', schema);
}

export const DEFAULT_BILLING = { perRequest: 0, perGb: 0, currency: 'USD' } as const;
