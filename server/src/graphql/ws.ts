import type { GraphQLSchema, ValidationRule } from 'graphql';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, validate, specifiedRules, getOperationAST } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Mongo } from '../infra/mongo';
import type { RedisPubSub } from '../infra/pubsub';
import type { Authenticator } from '../access/authenticator';
import { isAppError } from '../infra/app-error';
import type { GraphQLContext, ResolverContainer } from './context';
import type { Principal } from '../access/principal';
import { resolvePrincipal, sessionCookieOf } from '../http/authenticate';
import type { Credential } from '../access/authenticator';
import { normalizeIp } from '../infra/client-ip';
import { CLOSE_FORBIDDEN, SocketRevocation } from './ws-revocation';
import { createFormatError, withoutSuggestions } from './format-error';
import { PARSE_OPTIONS } from './armor';

/** Sockets one principal may hold open at once. */
export const MAX_SOCKETS_PER_PRINCIPAL = 20;

interface ConnectionState {
  principal: Principal | null;
  untrack: () => void;
  expiry: NodeJS.Timeout;
}

/**
 * Browsers always send Origin on a websocket handshake, and websockets are outside CORS:
 * without this a page of any site could open a socket that the browser authenticates with
 * the console's session cookie. Allowed: no Origin (not a browser), a page on the API's own
 * host name (the console on another port; loopback names count as one), or one of
 * CONSOLE_ORIGINS.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  if (!host || !URL.canParse(origin) || !URL.canParse(`http://${host}`)) return false;
  const o = new URL(origin);
  const h = new URL(`http://${host}`).hostname;
  // localhost and 127.0.0.1 name one machine: `npm start` users open either.
  const loopback = (n: string) => n === 'localhost' || n === '[::1]' || /^127(\.\d{1,3}){3}$/.test(n);
  return (o.protocol === 'http:' || o.protocol === 'https:') && (o.hostname === h || (loopback(o.hostname) && loopback(h)));
}

/** What the websocket edge uses: the same authenticators and resolvers as HTTP, pub/sub and keys for revocation. */
export interface WsDeps {
  config: Pick<Config, 'isProduction' | 'CONSOLE_ORIGINS'>;
  logger: Logger;
  authenticators: readonly Authenticator[];
  pubsub: Pick<RedisPubSub, 'subscribe'>;
  mongo: Pick<Mongo, 'conn'>;
  container: ResolverContainer;
}

/**
 * graphql-ws options: authentication in `connection_init` (payload
 * `{authorization: "Bearer …"}` or the session cookie), the organization taken from
 * the connection, the same validation rules as HTTP, and a socket cap per principal.
 */
export function createWsServerOptions(
  services: WsDeps,
  schema: GraphQLSchema,
  validationRules: readonly ValidationRule[],
): ServerOptions<Record<string, unknown> | undefined, Extra & Partial<ConnectionState>> {
  const socketsByPrincipal = new Map<string, number>();
  const release = (id: string) => {
    const n = (socketsByPrincipal.get(id) ?? 1) - 1;
    if (n <= 0) socketsByPrincipal.delete(id);
    else socketsByPrincipal.set(id, n);
  };
  // Sockets of a revoked session or key are closed on every node (4403).
  const revocation = new SocketRevocation(services);
  void revocation.start();
  // Subscription errors carry the same extensions.code as HTTP (NOT_FOUND, FORBIDDEN …).
  const formatError = createFormatError(services.logger, services.config.isProduction);
  // Same validation as HTTP, where Apollo also refuses introspection in production.
  const production = services.config.isProduction;
  const rules = [...specifiedRules, ...validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];

  return {
    schema,
    connectionInitWaitTimeout: 3_000,
    onConnect: async (ctx) => {
      const req = ctx.extra.request;
      if (!originAllowed(req.headers.origin, req.headers.host, services.config.CONSOLE_ORIGINS)) return false; // 4403
      const meta = { requestId: `ws-${Date.now().toString(36)}`, ip: normalizeIp(req.socket.remoteAddress ?? ''), userAgent: req.headers['user-agent'] };
      const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      let credential: Credential | null = null;
      if (typeof auth === 'string') credential = { value: auth.replace(/^Bearer\s+/i, ''), source: 'connection_init' };
      else {
        const cookie = sessionCookieOf(req.headers);
        if (cookie) credential = { value: cookie, source: 'cookie' };
      }
      let principal: Principal | null;
      try {
        principal = await resolvePrincipal(services.authenticators, credential, meta);
      } catch (e) {
        if (isAppError(e)) return false; // graphql-ws closes with 4403 Forbidden
        throw e;
      }
      if (!principal) return false;
      const n = socketsByPrincipal.get(principal.id) ?? 0;
      if (n >= MAX_SOCKETS_PER_PRINCIPAL) return false;
      socketsByPrincipal.set(principal.id, n + 1);
      ctx.extra.principal = principal;
      ctx.extra.untrack = revocation.track(ctx.extra.socket, principal);
      // An expiring credential (session TTL, key expiresAt) ends its socket at that moment.
      const left = principal.expiresAt === undefined ? Infinity : principal.expiresAt - Date.now();
      if (left < 2 ** 31) ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CLOSE_FORBIDDEN, 'credential expired'), Math.max(0, left));
      return true;
    },
    onClose: (ctx) => {
      clearTimeout(ctx.extra.expiry);
      ctx.extra.untrack?.();
      if (ctx.extra.principal) release(ctx.extra.principal.id);
    },
    context: (ctx): GraphQLContext => ({
      requestId: `ws-${Date.now().toString(36)}`,
      ip: normalizeIp(ctx.extra.request.socket.remoteAddress ?? ''),
      principal: ctx.extra.principal ?? null,
      container: services.container,
      logger: services.logger,
    }),
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (!result.errors?.length) return undefined;
      return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
    },
    onSubscribe: (_ctx, _id, payload) => {
      // Same limits as HTTP: run the armor rules before anything executes.
      let document;
      try {
        document = parse(payload.query, PARSE_OPTIONS);
      } catch (e) {
        return [e instanceof GraphQLError ? e : new GraphQLError('invalid query')];
      }
      const errors = validate(schema, document, rules);
      // Production hides the schema here as on HTTP: no suggestions in validation errors.
      if (errors.length > 0) {
        if (!production) return errors;
        return errors.map((e) => new GraphQLError(withoutSuggestions(e.message), { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
      }
      const op = getOperationAST(document, payload.operationName);
      if (!op) return [new GraphQLError('no operation to run')];
      return undefined;
    },
  };
}
