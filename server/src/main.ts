import 'reflect-metadata';
import { loadConfig, ConfigError, redactedConfig } from './infra/config';
import { createLogger } from './infra/logger';
import { startServer } from './composition/server';
import { plainHttpWarning } from './tls/tls-server';

/** API process entry point. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`latchkey: ${e.message}\n`);
      process.exit(78); // EX_CONFIG: do not restart-loop on bad configuration
    }
    throw e;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'latchkey-api' });
  logger.debug({ config: redactedConfig(config) }, 'configuration');
  // Loud on purpose: keys and session tokens would cross the network in clear text.
  const plainHttp = plainHttpWarning(config);
  if (plainHttp) {
    logger.warn(plainHttp);
    process.stderr.write(`latchkey: ${plainHttp}\n`);
  }
  const server = await startServer(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`latchkey: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
