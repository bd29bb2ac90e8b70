import type { Redis } from 'ioredis';
import type { Mongo } from '../infra/mongo';
import { redisIsUp } from '../infra/redis';

export interface Readiness {
  ready: boolean;
  mongodb: 'up' | 'down';
  redis: 'up' | 'down';
  /** First-start tasks (indexes, seeding) have run on this node. */
  boot: 'done' | 'pending';
}

/** Readiness as /readyz, serverInfo and the store guard see it. */
export class HealthService {
  private booted = false;

  constructor(private readonly mongo: Mongo, private readonly redis: Redis) {}

  markBooted(): void {
    this.booted = true;
  }

  readiness(): Readiness {
    const mongodb = this.mongo.isUp() ? 'up' : 'down';
    const redis = redisIsUp(this.redis) ? 'up' : 'down';
    const boot = this.booted ? 'done' : 'pending';
    return { ready: mongodb === 'up' && redis === 'up' && this.booted, mongodb, redis, boot };
  }
}
