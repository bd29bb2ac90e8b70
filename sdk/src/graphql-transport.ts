import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { LatchkeyError } from './errors';
import { postJson, type HttpOptions } from './http';

/** A generated operation: its text plus the result and variables types it carries. */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/**
 * Runs generated operations over `POST /graphql`. Queries retry transient failures;
 * mutations do not (a lost answer may mean the work was done) — pass an
 * `idempotencyKey` where the API takes one and retry yourself.
 */
export class GraphQLTransport {
  constructor(private readonly http: HttpOptions) {}

  async request<TResult, TVariables>(op: Operation<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
    const query = op.toString();
    // Generated documents start with the operation; fragments follow it.
    const isMutation = /^\s*mutation\b/.test(query);
    const answer = await postJson<GraphQLAnswer<TResult>>({ ...this.http, retries: isMutation ? 0 : this.http.retries }, '/graphql', { query, variables: variables ?? {} });
    const { body } = answer;
    const first = body.errors?.[0];
    if (first) {
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL_ERROR';
      throw new LatchkeyError(code, first.message, { status: answer.status, details: body.errors });
    }
    if (!body.data) throw new LatchkeyError('BAD_RESPONSE', `GraphQL answer without data (HTTP ${answer.status})`, { status: answer.status });
    return body.data;
  }
}
