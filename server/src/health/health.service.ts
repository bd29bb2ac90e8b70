import type { Redis } from 'ioredis';
import type { Mongo } from '../infra/mongo';
import { redisIsUp } from '../infra/redis';

export interface Readiness {
  ready: boolean;
  mongodb: 'up' | 'down';
  redis: 'up' | 'down';
  /** First-start tasks (indexes, seeding) have run on this node. */
  boot: 'done' | 'pending';
  /** Redis maxmemory-policy as read at start (must be noeviction); absent until read, 'unchecked' when refused. */
  redisEvictionPolicy?: string;
}

/** Readiness as /readyz, serverInfo and the store guard see it. */
export class HealthService {
  private booted = false;
  private evictionPolicy: string | undefined;

  constructor(private readonly mongo: Mongo, private readonly redis: Redis) {}

  markBooted(): void {
    this.booted = true;
  }

  /** What checkEvictionPolicy (infra/redis.ts) found at start; null when Redis refused to say. */
  noteEvictionPolicy(policy: string | null): void {
    this.evictionPolicy = policy ?? 'unchecked';
  }

  readiness(): Readiness {
    const mongodb = this.mongo.isUp() ? 'up' : 'down';
    const redis = redisIsUp(this.redis) ? 'up' : 'down';
    const boot = this.booted ? 'done' : 'pending';
    const r: Readiness = { ready: mongodb === 'up' && redis === 'up' && this.booted, mongodb, redis, boot };
    if (this.evictionPolicy !== undefined) r.redisEvictionPolicy = this.evictionPolicy;
    return r;
  }
}
