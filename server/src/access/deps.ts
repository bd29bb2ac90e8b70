import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { AuditSink } from './audit-sink';

/** Infrastructure the org/user/session/role/application services are built from. */
export interface AccessDeps {
  conn: Connection;
  redis: Redis;
  pubsub: RedisPubSub;
  config: Config;
  logger: Logger;
  audit: AuditSink;
}
