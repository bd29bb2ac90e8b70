import { Schema, type Connection, type Model } from 'mongoose';

export type UserStatus = 'active' | 'disabled';

export interface UserDoc {
  _id: string;
  orgId: string;
  /** Lower-cased; unique across the platform because login names only the email. */
  email: string;
  name: string;
  /** argon2id PHC string. Never leaves the service layer. */
  passwordHash: string;
  status: UserStatus;
  roleIds: string[];
  /** Direct scopes, on top of the roles'. */
  scopes: string[];
  isPlatformAdmin: boolean;
  /** Sessions created before this instant are dead (belt and braces with revocation). */
  passwordChangedAt: Date;
  lastLoginAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, default: '' },
    passwordHash: { type: String, required: true },
    status: { type: String, required: true, default: 'active' },
    roleIds: { type: [String], default: [] },
    scopes: { type: [String], default: [] },
    isPlatformAdmin: { type: Boolean, default: false },
    passwordChangedAt: { type: Date, required: true },
    lastLoginAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ orgId: 1, _id: 1 });
userSchema.index({ orgId: 1, roleIds: 1 });

export function userModel(conn: Connection): Model<UserDoc> {
  return (conn.models.User as Model<UserDoc> | undefined) ?? conn.model<UserDoc>('User', userSchema);
}
