import { Schema, type Connection, type Model } from 'mongoose';

/** An organization's own metered dimension (built-ins are not stored). */
export interface DimensionDoc {
  /** `${orgId}:${name}`: unique per organization by construction. */
  _id: string;
  orgId: string;
  name: string;
  unit: string;
  description: string;
  createdBy: string;
  createdAt: Date;
}

const dimensionSchema = new Schema<DimensionDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    unit: { type: String, required: true },
    description: { type: String, default: '' },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'metered_dimensions', versionKey: false },
);
dimensionSchema.index({ orgId: 1, name: 1 });

export function dimensionModel(conn: Connection): Model<DimensionDoc> {
  return (conn.models.MeteredDimension as Model<DimensionDoc> | undefined) ?? conn.model<DimensionDoc>('MeteredDimension', dimensionSchema);
}
