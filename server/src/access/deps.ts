import type { Connection } from 'mongoose';
import { Topic, type KeyChangedMessage } from '@latchkey/schema';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { AuditSink } from '../audit/audit-input';

/** Infrastructure the org/user/session/role/application services are built from. */
export interface AccessDeps {
  conn: Connection;
  redis: Redis;
  pubsub: RedisPubSub;
  config: Config;
  logger: Logger;
  audit: AuditSink;
}

/**
 * Tells every node that the effective permissions or policy of an organization's API
 * keys may have changed (a role they hold, the org policy), so key caches drop that
 * organization's entries. Best effort: a lost message only delays the change until the
 * cache entry expires.
 */
export async function announceOrgKeysChanged(deps: Pick<AccessDeps, 'pubsub' | 'logger'>, orgId: string): Promise<void> {
  const msg: KeyChangedMessage = { orgId, allOfOrg: true, at: Date.now() };
  await deps.pubsub.publish(Topic.keyChanged, msg).catch((err: unknown) => deps.logger.warn({ err, orgId }, 'could not announce a key-affecting change'));
}
