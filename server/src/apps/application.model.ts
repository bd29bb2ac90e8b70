import { Schema, type Connection, type Model } from 'mongoose';

export interface ApplicationDoc {
  _id: string;
  orgId: string;
  /** Unique within the organization. */
  name: string;
  description: string;
  /** usr_… of the person responsible. */
  ownerId: string;
  /** Environments the application runs in (keys bind to one of them). */
  environments: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const applicationSchema = new Schema<ApplicationDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    ownerId: { type: String, required: true },
    environments: { type: [String], default: [] },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'applications', versionKey: false },
);
applicationSchema.index({ orgId: 1, name: 1 }, { unique: true });
applicationSchema.index({ orgId: 1, _id: 1 });
applicationSchema.index({ orgId: 1, ownerId: 1 });

export function applicationModel(conn: Connection): Model<ApplicationDoc> {
  return (conn.models.Application as Model<ApplicationDoc> | undefined) ?? conn.model<ApplicationDoc>('Application', applicationSchema);
}
