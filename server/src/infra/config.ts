import { z } from 'zod';
import { parseIpTruncation } from './ip-truncation-mode';

/**
 * The one place that reads the environment (CONVENTIONS 5). Entry points call
 * `loadConfig(process.env)` once and pass the frozen result down.
 */
const DEV_PEPPER = 'dev-pepper-not-for-production-0000000000';
const DEV_KEK = 'ZGV2LWtlay1ub3QtZm9yLXByb2R1Y3Rpb24tMDAwMDA='; // base64 of 32 bytes, dev only

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigShape = z.object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Express `trust proxy`: hops of reverse proxies whose X-Forwarded-For we believe. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /**
     * Browser origins (comma-separated, e.g. https://console.example.com) that may open
     * graphql-ws besides pages on the API's own host name; any other Origin is refused.
     */
    CONSOLE_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .refine((list) => list.every((o) => URL.canParse(o) && new URL(o).origin === o), 'must be comma-separated origins such as https://console.example.com'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('latchkey'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
    /** Prefix for every Redis key and BullMQ queue; tests use one per file. */
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]{1,40}$/).default('lk'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LATCHKEY_ADMIN_EMAIL: z.email().optional(),
    LATCHKEY_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    LATCHKEY_ADMIN_CREDENTIALS_FILE: z.string().optional(),
    LATCHKEY_KEY_PEPPER: z.string().min(32, 'must be at least 32 characters').default(DEV_PEPPER),
    LATCHKEY_KEY_PEPPER_VERSION: z.coerce.number().int().min(1).default(1),
    /** base64 of a 32-byte key-encryption key for recoverable keys and webhook secrets. */
    LATCHKEY_KEK: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
      .default(DEV_KEK),
    LATCHKEY_KEK_ID: z.string().min(1).max(40).default('kek-dev-1'),
    LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: bool.default(false),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(12 * 3600),
    /** Failed sign-ins allowed per email and per client IP in one LOGIN_WINDOW_SECONDS window. */
    LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(10_000).default(10),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** What verify does when Redis is down: keys still verify, limits fall back in-process. */
    /** While Redis is away each node enforces limit / this many nodes (LocalLimiter). */
    RATE_LIMIT_FALLBACK_NODES: z.coerce.number().int().min(1).max(1000).default(2),
    /**
     * RateLimit header dialect: draft-11 (current IETF draft, default) or the older
     * draft-7 / draft-6 forms many client libraries still parse.
     */
    RATELIMIT_HEADERS: z.enum(['draft-11', 'draft-7', 'draft-6']).default('draft-11'),
    /** How long a verified key stays in a node's cache without a change message (ms). */
    VERIFY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    REDIS_DOWN_POLICY: z.enum(['fail_open_local_limits', 'fail_closed']).default('fail_open_local_limits'),
    TLS_CERT_FILE: z.string().optional(),
    TLS_KEY_FILE: z.string().optional(),
    ARCHIVE_DIR: z.string().default('.data/archives'),
    // Background jobs (docs/JOBS.md, docs/ARCHIVAL.md).
    EXPIRY_SCAN_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
    /** After expiresAt + this many seconds an expired key's status becomes `expired` (it stops verifying at expiresAt regardless). */
    EXPIRY_GRACE_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(0),
    ROTATION_SCAN_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
    /** How long before a rotation overlap ends an old key still in use is reported. */
    ROTATION_STILL_USED_LEAD_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(3_600),
    ARCHIVAL_EVERY_MS: z.coerce.number().int().min(100).max(7 * 86_400_000).default(3_600_000),
    ARCHIVE_RETENTION_DAYS_REQUEST_LOGS: z.coerce.number().int().min(1).max(3_650).default(30),
    ARCHIVE_RETENTION_DAYS_USAGE_MINUTE: z.coerce.number().int().min(1).max(3_650).default(7),
    /** Audit events older than this are copied to archives (never deleted). */
    ARCHIVE_AUDIT_AFTER_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
    ARCHIVE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),
    ARCHIVE_LOCK_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    /** Tests only (refused in production): pause after each archival batch so a worker can be killed mid-run. */
    ARCHIVE_TEST_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    // Security operations (docs/SECURITY-OPERATIONS.md, docs/PERSONAL-DATA.md).
    /** Strict-Transport-Security max-age sent while the API serves TLS itself; 0 = no HSTS. */
    TLS_HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(2 * 365 * 86_400).default(31_536_000),
    /** SECRET. Passphrase backups are encrypted with (scrypt); unset = derived from LATCHKEY_KEK. */
    LATCHKEY_BACKUP_PASSPHRASE: z.string().min(16, 'must be at least 16 characters').optional(),
    BACKUP_DIR: z.string().default('.data/backups'),
    /** Scheduled platform backups every this many hours (the backup job); 0 = none. */
    BACKUP_EVERY_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(0),
    /** Scheduled backups kept in BACKUP_DIR; older ones are deleted after each new one. */
    BACKUP_RETAIN: z.coerce.number().int().min(1).max(1_000).default(7),
    /** Client addresses in stored request logs: `none` or `/v4,/v6` prefixes such as `/24,/48`. */
    REQUEST_LOG_IP_TRUNCATION: z
      .string()
      .default('none')
      .transform((v, ctx) => {
        try {
          return parseIpTruncation(v);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
          return z.NEVER;
        }
      }),
  });

const ConfigSchema = ConfigShape.superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production') {
      if (c.LATCHKEY_KEY_PEPPER === DEV_PEPPER) {
        ctx.addIssue({ code: 'custom', path: ['LATCHKEY_KEY_PEPPER'], message: 'the development default is refused in production' });
      }
      if (c.LATCHKEY_KEK === DEV_KEK) {
        ctx.addIssue({ code: 'custom', path: ['LATCHKEY_KEK'], message: 'the development default is refused in production' });
      }
    }
    if (c.NODE_ENV === 'production' && c.ARCHIVE_TEST_DELAY_MS > 0) {
      ctx.addIssue({ code: 'custom', path: ['ARCHIVE_TEST_DELAY_MS'], message: 'is for tests only and refused in production' });
    }
    if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
      ctx.addIssue({ code: 'custom', path: ['TLS_CERT_FILE'], message: 'set TLS_CERT_FILE and TLS_KEY_FILE together' });
    }
  });

/** Every variable the configuration reads (a test checks .env.example documents each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ConfigShape.shape);

export type Config = Readonly<z.infer<typeof ConfigSchema>> & { readonly isProduction: boolean };

/** Names of configuration values that are secrets and must never be logged. */
export const SECRET_CONFIG_KEYS = ['LATCHKEY_KEY_PEPPER', 'LATCHKEY_KEK', 'LATCHKEY_ADMIN_PASSWORD', 'LATCHKEY_BACKUP_PASSPHRASE'] as const;

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" so `FOO= npm start` behaves like no FOO at all.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue ? String(issue.path[0] ?? 'configuration') : 'configuration';
    const problem = issue?.code === 'invalid_type' && cleaned[variable] === undefined ? 'is required' : issue?.message ?? 'is invalid';
    throw new ConfigError(variable, problem);
  }
  return Object.freeze({ ...parsed.data, isProduction: parsed.data.NODE_ENV === 'production' });
}

/** A copy of the config safe to log. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const k of SECRET_CONFIG_KEYS) if (out[k] !== undefined) out[k] = '[redacted]';
  return out;
}
