import type { Connection } from 'mongoose';
import { Scope } from '@latchkey/schema';
import { decideScope } from '../access/policy';
import type { RoleService } from '../roles/role.service';
import { userModel, type UserDoc } from '../users/user.model';

const MAX_ADMINS = 200;

/**
 * Who hears about a key: its owner (the user of a user key, the application's owner
 * for an application key) while that person is an active member; otherwise — system
 * keys, or an owner who left — everyone who may manage the organization's keys
 * (keys:write: the owner and admin roles).
 */
export async function keyRecipients(
  deps: { conn: Connection; roles: Pick<RoleService, 'expandScopes'> },
  key: { orgId: string; ownerId: string | null },
): Promise<string[]> {
  const users = userModel(deps.conn);
  if (key.ownerId) {
    const owner = await users.findOne({ _id: key.ownerId, orgId: key.orgId, status: 'active' }, { _id: 1 }).lean<Pick<UserDoc, '_id'>>().exec();
    if (owner) return [owner._id];
  }
  const members = await users
    .find({ orgId: key.orgId, status: 'active' }, { _id: 1, roleIds: 1, scopes: 1 })
    .sort({ _id: 1 })
    .limit(MAX_ADMINS * 5)
    .lean<Pick<UserDoc, '_id' | 'roleIds' | 'scopes'>[]>()
    .exec();
  const admins: string[] = [];
  for (const u of members) {
    const scopes = await deps.roles.expandScopes(key.orgId, u.roleIds, u.scopes);
    if (decideScope(scopes, Scope.keysWrite).allowed) admins.push(u._id);
    if (admins.length >= MAX_ADMINS) break;
  }
  return admins;
}
