import type { Request, Response } from 'express';
import type { Logger } from '../infra/logger';
import type { AppServices } from '../app-services';

/** Who is calling. Resolved once per request by the auth middleware. */
export interface Principal {
  kind: 'user' | 'key';
  /** usr_… for a user session, key_… for an API key. */
  id: string;
  orgId: string;
  /** Effective scopes: roles expanded plus direct scopes. */
  scopes: readonly string[];
  /** The human behind the call: the user, or the key's owner. */
  userId?: string;
  sessionId?: string;
  isPlatformAdmin: boolean;
  /** When the credential stops being valid (epoch ms); graphql-ws closes the socket then. */
  expiresAt?: number;
}

export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent?: string;
}

export interface GraphQLContext extends RequestMeta {
  principal: Principal | null;
  services: AppServices;
  logger: Logger;
  /** Present on HTTP requests (absent on websocket operations); used for cookies. */
  res?: Response;
  req?: Request;
}
