import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode } from '@latchkey/schema';
import { ArgumentValidationError } from 'type-graphql';
import { httpStatusFor, isAppError, KeyRefusedError } from '../infra/app-error';
import type { Logger } from '../infra/logger';
import { isMongoUnavailable, STORE_DOWN } from '../infra/mongo';

/**
 * The single mapping from thrown errors to what clients see (CONVENTIONS 4).
 * AppErrors keep their code and message; GraphQL validation/parse errors pass
 * through; everything else is masked and logged.
 */
export function createFormatError(logger: Logger, isProduction: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isAppError(original)) {
      const extensions: Record<string, unknown> = { code: original.code, ...publicDetails(original.details) };
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions };
    }
    if (original instanceof ArgumentValidationError) {
      const fields = original.extensions.validationErrors;
      return {
        message: 'invalid input',
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
      };
    }
    const code = formatted.extensions?.code;
    // Errors Apollo/graphql produced before execution (parse, validation, armor).
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const message = isProduction ? withoutSuggestions(formatted.message) : formatted.message;
      return { message, locations: formatted.locations, extensions: { code } };
    }
    if (original instanceof GraphQLError && !formatted.path && (!original.originalError || original.originalError instanceof GraphQLError)) {
      // graphql-ws hands over graphql-js's own errors without a code: validation errors, and
      // variable-coercion errors (which wrap the scalar's GraphQLError) — BAD_USER_INPUT as on HTTP.
      const message = isProduction ? withoutSuggestions(formatted.message) : formatted.message;
      return { message, locations: formatted.locations, extensions: { code: original.originalError ? ErrorCode.BAD_USER_INPUT : 'GRAPHQL_VALIDATION_FAILED' } };
    }
    if (isMongoUnavailable(original)) {
      logger.warn({ err: (original as Error).message }, 'GraphQL operation failed: MongoDB unreachable');
      return { message: STORE_DOWN, path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    logger.error({ err: original }, 'unexpected error in GraphQL operation');
    return { message: 'internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

/**
 * An error thrown while authenticating (Apollo's context function) as a GraphQL error
 * with its HTTP status; Apollo answers anything else 500 "Context creation failed".
 * A refused API key keeps its verification code, status and RateLimit headers.
 */
export function contextError(e: unknown): unknown {
  if (e instanceof KeyRefusedError) {
    return new GraphQLError(e.message, { extensions: { code: e.verifyCode, ...e.details, http: { status: e.status, headers: new Map(Object.entries(e.headers)) } } });
  }
  if (isAppError(e)) return new GraphQLError(e.message, { extensions: { code: e.code, http: { status: httpStatusFor(e.code) } } });
  if (isMongoUnavailable(e)) return new GraphQLError(STORE_DOWN, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } } });
  return e;
}

/** Field and enum suggestions ("Did you mean …?") leak schema details; production never shows them. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/s, '');
}

function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (v !== undefined) out[k] = v;
  return out;
}
