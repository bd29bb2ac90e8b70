import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino must never print. Keys, secrets, session tokens and passwords. */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'cookie',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'key',
  '*.key',
  'token',
  '*.token',
  'api_key',
  '*.api_key',
  'query.api_key',
];

export function createLogger(opts: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
