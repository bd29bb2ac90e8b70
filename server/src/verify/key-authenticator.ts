import type { Response } from 'express';
import { SESSION_TOKEN_PREFIX } from '@latchkey/schema';
import type { Principal, RequestMeta } from '../access/principal';
import type { Authenticator, Credential } from '../access/authenticator';
import { AppError, KeyRefusedError } from '../infra/app-error';
import { rateLimitHeaders, type RateLimitHeaderFormat } from '../ratelimit/headers';
import type { VerifyService } from './verify.service';
import type { VerifyResult } from './verify-result';

function principalOf(r: VerifyResult): Principal {
  return {
    kind: 'key',
    id: r.keyId as string,
    orgId: r.orgId as string,
    scopes: r.scopes ?? [],
    userId: r.ownerId ?? undefined,
    isPlatformAdmin: false,
    expiresAt: r.expiresAt ? Date.parse(r.expiresAt) : undefined,
  };
}

/** Anything that is not a session token is treated as an API key. */
export function isApiKeyCredential(c: Credential | null): c is Credential {
  return c !== null && !c.value.startsWith(SESSION_TOKEN_PREFIX);
}

/**
 * API keys on Latchkey's own /graphql over HTTP: the same pipeline as
 * /v1/keys/verify. A valid key's limits become RateLimit headers on the response; a
 * denied one throws KeyRefusedError, which the GraphQL edge answers 401/403/429 with
 * the verification code as `extensions.code` and the same headers.
 */
export async function authenticateKeyHttp(
  verify: VerifyService,
  c: Credential,
  meta: RequestMeta,
  res: Response,
  opts: { referrer?: string; headerFormat?: RateLimitHeaderFormat } = {},
): Promise<Principal> {
  const r = await verify.verify({ key: c.value, ip: meta.ip, referrer: opts.referrer }, { queryParam: c.source === 'query' });
  const headers = r.policies
    ? rateLimitHeaders(
        {
          allowed: r.valid,
          retryAfterMs: r.retryAfterMs,
          limit: r.ratelimit?.limit ?? -1,
          remaining: r.ratelimit?.remaining ?? 0,
          resetMs: r.ratelimit?.resetMs ?? 0,
          policies: r.policies,
        },
        opts.headerFormat,
      )
    : {};
  if (r.valid) {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    return principalOf(r);
  }
  throw new KeyRefusedError(r.code, r.reason ?? r.code, headers, r.dimension ? { dimension: r.dimension } : {});
}

/** The same for graphql-ws `connection_init`, where a refusal closes the socket (4403). */
export class KeyAuthenticator implements Authenticator {
  readonly name = 'api-key';
  constructor(private readonly verify: VerifyService) {}

  async authenticate(c: Credential, meta: RequestMeta): Promise<Principal | null> {
    if (!isApiKeyCredential(c)) return null;
    const r = await this.verify.verify({ key: c.value, ip: meta.ip });
    if (!r.valid) throw AppError.unauthenticated(r.reason ?? r.code);
    return principalOf(r);
  }
}
