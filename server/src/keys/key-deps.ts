import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { WebhookEvent } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { AuditService } from '../audit/audit.service';
import type { OrgService } from '../orgs/org.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import type { RoleService } from '../roles/role.service';
import type { UserService } from '../users/user.service';
import type { ApplicationService } from '../apps/application.service';

/** What the webhook domain offers the keys domain (`services.webhooks` satisfies it). */
export interface WebhookEmitter {
  emit(orgId: string, type: WebhookEvent, data: Record<string, unknown>): Promise<unknown>;
}

/** Everything the keys and requests services are built from. */
export interface KeyDeps {
  conn: Connection;
  redis: Redis;
  pubsub: RedisPubSub;
  config: Config;
  logger: Logger;
  audit: Pick<AuditService, 'append' | 'list'>;
  orgs: OrgService;
  orgPolicy: OrgPolicyService;
  roles: RoleService;
  users: UserService;
  applications: ApplicationService;
  /** Absent in builds without the webhook domain: events are then only audited. */
  webhooks?: WebhookEmitter;
  /** Metered-dimension catalogue: keys may only limit dimensions it knows. */
  dimensions?: { assertKnown(orgId: string, dims: readonly { name: string }[] | undefined, basePath: (string | number)[]): Promise<void> };
  /** Clock, replaceable in tests. */
  now?: () => Date;
}

export function nowOf(deps: Pick<KeyDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}
