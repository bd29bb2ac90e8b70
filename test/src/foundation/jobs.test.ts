import { Redis } from 'ioredis';
import { loadConfig, createLogger } from '@latchkey/server';
import { startWorkers, heartbeatKey } from '@latchkey/jobs';
import { uniqueName } from '../harness/app';

describe('job workers', () => {
  it('run a scheduled job end to end and close twice without error', async () => {
    const config = loadConfig({ ...process.env, REDIS_PREFIX: uniqueName('lkj'), LOG_LEVEL: 'silent' });
    const logger = createLogger({ level: 'silent', name: 'test' });
    const running = await startWorkers(config, logger, { heartbeatEveryMs: 200 });
    const redis = new Redis(config.REDIS_URL);
    try {
      let at: string | null = null;
      for (let i = 0; i < 50 && !at; i++) {
        await new Promise((r) => setTimeout(r, 100));
        at = await redis.get(heartbeatKey(config));
      }
      expect(Number(at)).toBeGreaterThan(Date.now() - 10_000);
    } finally {
      await running.close();
      await running.close();
      redis.disconnect();
    }
  });
});
