import { Schema, type Connection, type Model } from 'mongoose';
import type { BuiltinRole } from '@latchkey/schema';

export interface RoleDoc {
  _id: string;
  orgId: string;
  /** Unique within the organization. */
  name: string;
  description: string;
  scopes: string[];
  /** Set for the five built-in roles, which cannot be edited or deleted. */
  builtin: BuiltinRole | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const roleSchema = new Schema<RoleDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    scopes: { type: [String], default: [] },
    builtin: { type: String, default: null },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'roles', versionKey: false },
);
roleSchema.index({ orgId: 1, name: 1 }, { unique: true });
roleSchema.index({ orgId: 1, _id: 1 });

export function roleModel(conn: Connection): Model<RoleDoc> {
  return (conn.models.Role as Model<RoleDoc> | undefined) ?? conn.model<RoleDoc>('Role', roleSchema);
}
