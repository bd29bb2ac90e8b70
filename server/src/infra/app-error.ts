import { ErrorCode, ERROR_HTTP_STATUS, VERIFY_CODE_HTTP_STATUS, type VerifyCode } from '@latchkey/schema';

export interface FieldProblem {
  /** Path of the offending field, e.g. ["input", "restrictions", "ipAllowList", 2]. */
  path: (string | number)[];
  message: string;
}

/**
 * The one error type services throw. Anything else reaching the error formatter is
 * treated as a bug and masked as INTERNAL_SERVER_ERROR. Each transport maps the code:
 * HTTP statuses here (`httpStatusFor`), GraphQL in `graphql/format-error.ts`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: FieldProblem[]; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badInput(message: string, fields: FieldProblem[] = []): AppError {
    return new AppError(ErrorCode.BAD_USER_INPUT, message, { fields });
  }
  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
  }
  static forbidden(message = 'not allowed', details: Record<string, unknown> = {}): AppError {
    return new AppError(ErrorCode.FORBIDDEN, message, details);
  }
  static unauthenticated(message = 'authentication required'): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
  static conflict(message: string): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }
  static invalidState(message: string, details: Record<string, unknown> = {}): AppError {
    return new AppError(ErrorCode.INVALID_STATE, message, details);
  }
  static unavailable(message: string): AppError {
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The HTTP status of an error code (REST routes and GraphQL over HTTP); unknown codes are 500. */
export function httpStatusFor(code: string): number {
  return (ERROR_HTTP_STATUS as Record<string, number>)[code] ?? 500;
}

const REFUSAL_CODE: Record<number, ErrorCode> = { 401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN, 413: ErrorCode.PAYLOAD_TOO_LARGE, 429: ErrorCode.RATE_LIMITED };

/**
 * An API key the verify pipeline refused while authenticating a request. Clients see the
 * verification code itself (MALFORMED, RATE_LIMITED …) with its HTTP status and the
 * RateLimit headers; `code` is the nearest general error code for anything that only
 * knows AppErrors.
 */
export class KeyRefusedError extends AppError {
  readonly status: number;
  constructor(
    readonly verifyCode: VerifyCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    details: Record<string, unknown> = {},
  ) {
    const status = VERIFY_CODE_HTTP_STATUS[verifyCode];
    super(REFUSAL_CODE[status] ?? ErrorCode.UNAUTHENTICATED, message, details);
    this.name = 'KeyRefusedError';
    this.status = status;
  }
}
