import { ErrorCode } from '@latchkey/schema';

export interface FieldProblem {
  /** Path of the offending field, e.g. ["input", "restrictions", "ipAllowList", 2]. */
  path: (string | number)[];
  message: string;
}

/**
 * The one error type services throw. Anything else reaching the error formatter is
 * treated as a bug and masked as INTERNAL_SERVER_ERROR.
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
