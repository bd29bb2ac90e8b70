import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { createAppServices, ensureIndexes, type AppServices } from './app-services';
import { createExpressApp, restErrorHandler, type RouteModule } from '../http/app';
import { getSchema } from '../graphql/build-schema';
import { contextError, createFormatError } from '../graphql/format-error';
import { createArmor } from '../graphql/armor';
import type { GraphQLContext } from '../graphql/context';
import { credentialFromRequest, resolvePrincipal } from '../http/authenticate';
import { requestMeta } from '../http/request-meta';
import { routeModules } from './routes';
import { createWsServerOptions } from '../graphql/ws';
import { waitForMongo } from '../infra/mongo';
import { checkEvictionPolicy } from '../infra/redis';
import { onBoot } from './boot';
import { createResolverContainer } from './resolver-container';
import { authenticateKeyHttp, isApiKeyCredential } from '../verify/key-authenticator';
import { createApiServer, tlsEnabled } from '../tls/tls-server';
import { withVerifyFastPath } from '../verify/verify-fast-route';

export interface RunningServer {
  url: string;
  wsUrl: string;
  services: AppServices;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * Builds and starts one API node: Express (health, metrics, REST) + Apollo on
 * /graphql + graphql-ws on the same path. `stop()` drains and closes everything and
 * is safe to call twice.
 */
export async function startServer(config: Config, logger: Logger, extraRoutes: readonly RouteModule<AppServices>[] = []): Promise<RunningServer> {
  const services = createAppServices(config, logger);
  void checkEvictionPolicy(services.redis, logger, 'latchkey').then((policy) => services.health.noteEvictionPolicy(policy));
  services.signals.start();
  services.usage.realtime.start();
  services.adaptive.start();
  // Cache invalidations from other nodes; retried by ioredis when Redis is away.
  // Not awaited: with Redis away the subscription waits for it, and the node must still
  // start (the cache TTL bounds staleness until the subscription is up).
  services.verify.start().catch((err: unknown) => logger.warn({ err }, 'key-change subscription failed; cache TTL bounds staleness'));
  const app = createExpressApp(services, [...routeModules, ...extraRoutes]);
  // TLS only when configured (then HSTS on every response, and graphql-ws is WSS).
  const tls = tlsEnabled(config);
  // POST /v1/keys/verify is answered below Express (verify/verify-fast-route.ts).
  const httpServer: Server = createApiServer(config, withVerifyFastPath(services, app));

  const schema = await getSchema();
  const container = createResolverContainer(services);
  const armor = createArmor(config);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const wsCleanup = useServer(createWsServerOptions({ ...services, container }, schema, armor.validationRules), wss);

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: !config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    formatError: createFormatError(logger, config.isProduction),
    validationRules: armor.validationRules,
    parseOptions: armor.parseOptions,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphQLContext> => {
        const meta = requestMeta(req);
        // A refused credential keeps its code and status (401/403); Apollo would answer
        // 500 "Context creation failed" for anything else thrown here.
        const credential = credentialFromRequest(req);
        if (isApiKeyCredential(credential)) {
          const referrer = typeof req.headers.origin === 'string' ? req.headers.origin : req.headers.referer;
          const principal = await authenticateKeyHttp(services.verify, credential, meta, res, { referrer, headerFormat: config.RATELIMIT_HEADERS }).catch((e: unknown) => {
            throw contextError(e); // a refused key (401/403/429), fail_closed and an unreachable MongoDB (503): not a 500
          });
          return { ...meta, principal, container, logger: logger.child({ reqId: meta.requestId }), req, res };
        }
        const principal = await resolvePrincipal(services.authenticators, credential, meta).catch((e: unknown) => {
          throw contextError(e); // AppErrors keep their status, an unreachable MongoDB is a 503
        });
        return { ...meta, principal, container, logger: logger.child({ reqId: meta.requestId }), req, res };
      },
    }),
  );
  app.use(restErrorHandler(services));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  const wsUrl = `${tls ? 'wss' : 'ws'}://${host}:${port}/graphql`;
  logger.info({ url }, 'api listening');

  // Indexes and first-start seeding wait for MongoDB in the background: the node
  // serves /healthz and /readyz (503) meanwhile instead of crash-looping.
  // A failed boot (the store went away half-way) is retried with backoff; every task
  // is idempotent, and /readyz stays 503 until one run completes.
  let stopping = false;
  const booted = (async () => {
    for (let attempt = 0, delay = 500; !stopping; attempt++, delay = Math.min(delay * 2, 15_000)) {
      try {
        await waitForMongo(services.mongo, logger);
        await ensureIndexes(services);
        await onBoot(services);
        services.health.markBooted();
        return;
      } catch (err) {
        logger.error({ err, attempt }, 'boot tasks failed; retrying');
        // unref: the HTTP server keeps a running node alive; a stopped one must not wait out the backoff.
        await new Promise((r) => setTimeout(r, delay).unref());
      }
    }
  })();

  let stopped: Promise<void> | undefined;
  return {
    url,
    wsUrl,
    services,
    httpServer,
    stop() {
      stopping = true;
      stopped ??= (async () => {
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([booted, new Promise((r) => (bound = setTimeout(r, 2_000)))]);
        clearTimeout(bound); // a stopped node must not keep the process alive for the rest of it
        await apollo.stop();
        await services.close();
      })();
      return stopped;
    },
  };
}
