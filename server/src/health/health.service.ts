import type { Redis } from 'ioredis';
import type { Mongo } from '../infra/mongo';
import { redisIsUp } from '../infra/redis';

export interface Readiness {
  ready: boolean;
  mongodb: 'up' | 'down';
  redis: 'up' | 'down';
}

/** Readiness as /readyz, serverInfo and the store guard see it. */
export class HealthService {
  constructor(private readonly mongo: Mongo, private readonly redis: Redis) {}

  readiness(): Readiness {
    const mongodb = this.mongo.isUp() ? 'up' : 'down';
    const redis = redisIsUp(this.redis) ? 'up' : 'down';
    return { ready: mongodb === 'up' && redis === 'up', mongodb, redis };
  }
}
