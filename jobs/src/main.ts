import { loadConfig, ConfigError, createLogger } from '@latchkey/server';
import { startWorkers } from './workers';

/** Worker process entry point. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`latchkey-jobs: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'latchkey-jobs' });
  const running = await startWorkers(config, logger);
  logger.info({ workers: running.workers.map((w) => w.name) }, 'workers started');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'workers shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`latchkey-jobs: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
