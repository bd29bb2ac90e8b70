/**
 * One error type for everything the SDK throws, with a stable `code` a caller can
 * switch on: a verification code, a GraphQL `extensions.code`, or one of the SDK's own
 * (`UNAVAILABLE`, `TIMEOUT`, `BAD_RESPONSE`, `WEBHOOK_*`, `QUOTA_EXCEEDED`).
 */
export class LatchkeyError extends Error {
  readonly code: string;
  /** HTTP status of the answer that caused it, when there was one. */
  readonly status?: number;
  /** True when trying again later may succeed (network, timeout, 502/503/504). */
  readonly transient: boolean;
  readonly details?: unknown;

  constructor(code: string, message: string, opts: { status?: number; transient?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = opts.status;
    this.transient = opts.transient ?? false;
    this.details = opts.details;
  }
}

export function isLatchkeyError(e: unknown): e is LatchkeyError {
  return e instanceof LatchkeyError;
}
